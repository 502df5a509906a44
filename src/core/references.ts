/**
 * Pages a user can open to read more about a transform (printed by `--explain`): Docker's own
 * documentation, and the README section of this tool that documents the transform.
 */
export interface Reference {
  /** What the page is, as its heading reads. */
  title: string;
  url: string;
}

export const DOCKER_DOCS = {
  cacheMounts: {
    title: 'Docker docs: Optimize cache usage in builds › Use cache mounts',
    url: 'https://docs.docker.com/build/cache/optimize/#use-cache-mounts',
  },
  runMountCache: {
    title: 'Dockerfile reference: RUN --mount=type=cache',
    url: 'https://docs.docker.com/reference/dockerfile/#run---mounttypecache',
  },
  aptGet: {
    title: 'Docker docs: Building best practices › apt-get',
    url: 'https://docs.docker.com/build/building/best-practices/#apt-get',
  },
  layers: {
    title: 'Docker docs: Understanding image layers',
    url: 'https://docs.docker.com/get-started/docker-concepts/building-images/understanding-image-layers/',
  },
  orderLayers: {
    title: 'Docker docs: Optimize cache usage in builds › Order your layers',
    url: 'https://docs.docker.com/build/cache/optimize/#order-your-layers',
  },
  buildCache: {
    title: 'Docker docs: Docker build cache',
    url: 'https://docs.docker.com/build/cache/',
  },
  smallContext: {
    title: 'Docker docs: Optimize cache usage in builds › Keep the context small',
    url: 'https://docs.docker.com/build/cache/optimize/#keep-the-context-small',
  },
  dockerignore: {
    title: 'Docker docs: Build context › .dockerignore files',
    url: 'https://docs.docker.com/build/concepts/context/#dockerignore-files',
  },
  syntax: {
    title: 'Dockerfile reference: syntax parser directive',
    url: 'https://docs.docker.com/reference/dockerfile/#syntax',
  },
} satisfies Record<string, Reference>;
