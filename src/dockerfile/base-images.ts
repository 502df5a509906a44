/**
 * What a base image sets up before the file's first instruction: the user builds run as, and the
 * environment variables that move tool directories (GOPATH, CARGO_HOME, GEM_HOME, …). Known for the
 * official images and a few widely used families; anything else is unknown, and a fix whose
 * correctness depends on it is `review` (see src/rewrite/cache-mounts.ts).
 */
import { joinContinuations, type DockerfileModel, type Stage } from '../core/model.js';

export interface BaseImageFacts {
  /** The user RUN instructions run as when the file sets no USER. */
  user: { root: true } | { root: false; name: string; uid: number; gid: number; home: string };
  /** Environment the image sets that tool directories follow. */
  env: Readonly<Record<string, string>>;
}

const ROOT: BaseImageFacts = { user: { root: true }, env: {} };
const rootWith = (env: Record<string, string>): BaseImageFacts => ({ user: { root: true }, env });

/** Official images (Docker Hub `library/`) and families whose defaults are documented (haproxy and
 * jetty build as their own users: left out, so unknown). */
const OFFICIAL: Record<string, BaseImageFacts> = {
  alpine: ROOT,
  debian: ROOT,
  ubuntu: ROOT,
  centos: ROOT,
  fedora: ROOT,
  rockylinux: ROOT,
  almalinux: ROOT,
  amazonlinux: ROOT,
  oraclelinux: ROOT,
  archlinux: ROOT,
  photon: ROOT,
  busybox: ROOT,
  'buildpack-deps': ROOT,
  python: ROOT,
  pypy: ROOT,
  node: ROOT,
  golang: rootWith({ GOPATH: '/go' }),
  rust: rootWith({ CARGO_HOME: '/usr/local/cargo', RUSTUP_HOME: '/usr/local/rustup' }),
  ruby: rootWith({ GEM_HOME: '/usr/local/bundle', BUNDLE_APP_CONFIG: '/usr/local/bundle' }),
  php: ROOT,
  composer: rootWith({ COMPOSER_HOME: '/tmp' }),
  // MAVEN_CONFIG is where the image's entrypoint puts settings; the repository stays ~/.m2/repository.
  maven: rootWith({ MAVEN_CONFIG: '/root/.m2' }),
  gradle: rootWith({ GRADLE_HOME: '/opt/gradle' }),
  'eclipse-temurin': ROOT,
  openjdk: ROOT,
  amazoncorretto: ROOT,
  ibmjava: ROOT,
  ibmsemeru: ROOT,
  sapmachine: ROOT,
  perl: ROOT,
  'r-base': ROOT,
  julia: ROOT,
  elixir: ROOT,
  erlang: ROOT,
  swift: ROOT,
  haskell: ROOT,
  gcc: ROOT,
  clojure: ROOT,
  dart: ROOT,
  mono: ROOT,
  nginx: ROOT,
  httpd: ROOT,
  redis: ROOT,
  postgres: ROOT,
  mysql: ROOT,
  mariadb: ROOT,
  mongo: ROOT,
  docker: ROOT,
  tomcat: ROOT,
  wordpress: ROOT,
  drupal: ROOT,
  nextcloud: ROOT,
  'opensuse/leap': ROOT,
  'opensuse/tumbleweed': ROOT,
  'nvidia/cuda': ROOT,
  'pytorch/pytorch': ROOT,
  'tensorflow/tensorflow': ROOT,
  'continuumio/miniconda3': ROOT,
  'continuumio/anaconda3': ROOT,
  'condaforge/miniforge3': ROOT,
  'condaforge/mambaforge': ROOT,
  'mambaorg/micromamba': {
    user: { root: false, name: 'mambauser', uid: 57439, gid: 57439, home: '/home/mambauser' },
    env: { MAMBA_ROOT_PREFIX: '/opt/conda' },
  },
  'mcr.microsoft.com/dotnet/sdk': ROOT,
  'mcr.microsoft.com/dotnet/aspnet': ROOT,
  'mcr.microsoft.com/dotnet/runtime': ROOT,
  'mcr.microsoft.com/dotnet/runtime-deps': ROOT,
  'registry.access.redhat.com/ubi8': ROOT,
  'registry.access.redhat.com/ubi9': ROOT,
  'registry.access.redhat.com/ubi8/ubi': ROOT,
  'registry.access.redhat.com/ubi9/ubi': ROOT,
  'registry.access.redhat.com/ubi8/ubi-minimal': ROOT,
  'registry.access.redhat.com/ubi9/ubi-minimal': ROOT,
  'registry.access.redhat.com/ubi10': ROOT,
  'registry.access.redhat.com/ubi10/ubi': ROOT,
  'registry.access.redhat.com/ubi10/ubi-minimal': ROOT,
  'redhat/ubi8': ROOT,
  'redhat/ubi9': ROOT,
  'redhat/ubi10': ROOT,
  'redhat/ubi8-minimal': ROOT,
  'redhat/ubi9-minimal': ROOT,
  'redhat/ubi10-minimal': ROOT,
  'quay.io/centos/centos': ROOT,
  'rockylinux/rockylinux': ROOT,
  'registry.fedoraproject.org/fedora': ROOT,
  'mcr.microsoft.com/azurelinux/base/core': ROOT,
  'mcr.microsoft.com/cbl-mariner/base/core': ROOT,
};

/** Families by prefix: every image under it has these defaults. */
const FAMILIES: [RegExp, BaseImageFacts][] = [
  [/^mcr\.microsoft\.com\/(vscode\/)?devcontainers\//, ROOT],
  [
    /^(quay\.io\/)?jupyter\//,
    { user: { root: false, name: 'jovyan', uid: 1000, gid: 100, home: '/home/jovyan' }, env: {} },
  ],
];

/** Docker Hub's implicit prefixes, so that `docker.io/library/python` is `python`. */
function repositoryOf(image: string): string {
  let ref = image.replace(/@sha256:[0-9a-f]+$/i, '');
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > lastSlash) ref = ref.slice(0, colon);
  ref = ref.toLowerCase().replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  // Mirrors of the official images keep their `library/` path (`mirror.example.com/library/python`).
  const library = /(?:^|\/)library\/([^/]+)$/.exec(ref);
  return library ? library[1] : ref;
}

/** The tag, lower-cased (`latest` when none). */
function tagOf(image: string): string {
  const ref = image.replace(/@sha256:[0-9a-f]+$/i, '');
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > lastSlash ? ref.slice(colon + 1).toLowerCase() : 'latest';
}

/** Facts about an image reference, or null when it is not one of the known images. */
export function imageFacts(image: string): BaseImageFacts | null {
  const repo = repositoryOf(image);
  // distroless' nonroot tags run as 65532.
  if (/^gcr\.io\/distroless\//.test(repo)) {
    return /nonroot/.test(tagOf(image))
      ? { user: { root: false, name: 'nonroot', uid: 65532, gid: 65532, home: '/home/nonroot' }, env: {} }
      : ROOT;
  }
  const known = OFFICIAL[repo];
  if (known) return known;
  // Go images under other names are mirrors of golang's (`registry.example.com/team/golang@sha256:…`).
  if (/(^|\/)golang$/.test(repo)) return OFFICIAL.golang;
  for (const [prefix, facts] of FAMILIES) if (prefix.test(repo)) return facts;
  return null;
}

/** Build arguments declared before the first FROM, with their defaults (null without one). */
export function globalArgs(model: DockerfileModel): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const i of model.instructions) {
    if (i.keyword === 'FROM') break;
    if (i.keyword !== 'ARG') continue;
    const text = joinContinuations(model.text, i.argsStart, i.end, model.escape).text.trim();
    for (const word of text.split(/\s+/)) {
      const eq = word.indexOf('=');
      if (eq === -1) out.set(word, null);
      else out.set(word.slice(0, eq), word.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2'));
    }
  }
  return out;
}

/**
 * The image a stage chain starts from, with build arguments read as their defaults (`FROM
 * ${BASE}` with `ARG BASE=golang:1.22`); null when a variable has no default.
 */
export function resolvedBaseImage(model: DockerfileModel, root: Stage): string | null {
  if (!root.base.includes('$')) return root.base;
  const args = globalArgs(model);
  let unknown = false;
  const image = root.base.replace(
    /\$\{([A-Za-z_]\w*)(?::?-([^}]*))?\}|\$([A-Za-z_]\w*)/g,
    (_m, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      const v = args.get((braced ?? bare)!);
      if (v !== undefined && v !== null) return v;
      if (fallback !== undefined) return fallback;
      unknown = true;
      return '';
    },
  );
  return unknown || image.includes('$') ? null : image;
}

/** The rpm package manager behind `yum`/`dnf` in an image: yum 3 (EL 7 and older), dnf 4, dnf 5. */
export type RpmFlavour = 'yum3' | 'dnf4' | 'dnf5';

const leadingNumber = (tag: string): number | null => {
  const m = /^(\d+)/.exec(tag);
  return m ? Number(m[1]) : null;
};

/**
 * Which rpm package manager an image has, from its name and tag, as the distributions document
 * it: EL 7 (CentOS, Oracle Linux, Amazon Linux 2) has yum 3, EL 8 to 10 and Amazon Linux 2023
 * have dnf 4 (`yum` is dnf), Fedora 41 and later have dnf 5, Fedora 21 and older yum 3. null when the image does not tell.
 */
export function rpmFlavour(image: string): RpmFlavour | null {
  const repo = repositoryOf(image);
  const tag = tagOf(image);
  const n = leadingNumber(tag.replace(/^(stream|centos)/, ''));
  switch (repo) {
    case 'centos':
    case 'quay.io/centos/centos':
      if (tag.startsWith('stream')) return 'dnf4';
      if (tag === 'latest') return 'dnf4';
      return n === null ? null : n <= 7 ? 'yum3' : 'dnf4';
    case 'oraclelinux':
      return n === null ? null : n <= 7 ? 'yum3' : 'dnf4';
    case 'amazonlinux':
      if (tag === 'latest' || tag.startsWith('2023')) return 'dnf4';
      return n === 1 || n === 2 || tag.startsWith('2018') ? 'yum3' : null;
    case 'fedora':
    case 'registry.fedoraproject.org/fedora':
      if (tag === 'latest' || tag === 'rawhide') return 'dnf5';
      // dnf replaced yum in Fedora 22.
      return n === null ? null : n >= 41 ? 'dnf5' : n >= 22 ? 'dnf4' : 'yum3';
    case 'rockylinux':
    case 'rockylinux/rockylinux':
    case 'almalinux':
      return n === null || n >= 8 || tag === 'latest' ? 'dnf4' : null;
  }
  if (/^(registry\.access\.redhat\.com\/|redhat\/)?ubi(8|9|10)(\/ubi|\/ubi-init)?$/.test(repo)) return 'dnf4';
  return null;
}

/** A UBI minimal image (RHEL's microdnf). */
export function isUbiMinimal(image: string): boolean {
  return /^(?:registry\.access\.redhat\.com\/|redhat\/)?ubi(8|9|10)(?:\/ubi-|-)minimal$/.test(repositoryOf(image));
}

/**
 * Whether the image's microdnf takes `--setopt=keepcache=1` (microdnf 3.7 and later: UBI 9 and
 * 10, UBI 8.6 and later); older ones stop with "Unable to handle: keepcache=1".
 */
export function microdnfKeepsCache(image: string): boolean {
  const repo = repositoryOf(image);
  const m = /^(?:registry\.access\.redhat\.com\/|redhat\/)?ubi(8|9|10)(?:\/ubi-|-)minimal$/.exec(repo);
  if (!m) return false;
  if (m[1] !== '8') return true;
  const tag = tagOf(image);
  if (tag === 'latest') return true;
  const minor = /^8\.(\d+)/.exec(tag);
  return minor !== null && Number(minor[1]) >= 6;
}

/**
 * The Alpine 3.x release an image is built on (`alpine:3.19` → 19, `node:20-alpine3.18` → 18), or
 * null when its tag does not tell. An Alpine image without a version (`alpine`, `node:20-alpine`)
 * is a current release: Infinity.
 */
export function alpineRelease(image: string): number | null {
  const repo = repositoryOf(image);
  const tag = tagOf(image);
  if (repo === 'alpine') {
    if (tag === 'latest' || tag === 'edge') return Infinity;
    const m = /^3\.(\d+)/.exec(tag);
    return m ? Number(m[1]) : null;
  }
  if (!(repo in OFFICIAL)) return null;
  const m = /(?:^|-)alpine(?:3\.(\d+))?$/.exec(tag);
  if (!m) return null;
  if (m[1] !== undefined) return Number(m[1]);
  // No Alpine release in the tag: the image's current Alpine, unless the version is one built
  // only before the official images moved to Alpine 3.8 (July 2018).
  return builtBeforeAlpine38(repo, tag) ? null : Infinity;
}

/**
 * Per official image, the first release of each version line still maintained after the official
 * images moved to Alpine 3.8 (July 2018) that was built on it, with a month or two of margin. A
 * floating tag of such a line (`8-alpine`, `1.14-alpine`) had later builds on 3.8+; a fixed
 * release below the entry (`8.9.4-alpine`, `1.14.0-alpine`), or a line that ended before (`7`,
 * `1.13`), was only ever built on older Alpine, whose apk has no `--cache-dir`.
 */
const FIRST_ON_ALPINE_38: Record<string, readonly string[]> = {
  node: ['6.14.4', '8.12', '10.9'],
  python: ['2.7.16', '3.4.10', '3.5.7', '3.6.7', '3.7.1'],
  nginx: ['1.14.1', '1.15.3'],
  golang: ['1.10.4', '1.11'],
  php: ['5.6.38', '7.0.32', '7.1.22', '7.2.10'],
  ruby: ['2.3.8', '2.4.5', '2.5.2'],
  openjdk: ['8.191'],
};

/** Is this `<version>…-alpine` tag of an official image one built only on Alpine older than 3.8? */
function builtBeforeAlpine38(repo: string, tag: string): boolean {
  const entries = FIRST_ON_ALPINE_38[repo];
  // openjdk writes updates as `8u191`.
  const version = /^v?(\d+(?:[.u]\d+)*)(?=-|$)/.exec(tag)?.[1];
  if (!entries || !version) return false;
  const parts = version.split(/[.u]/).map(Number);
  const parsed = entries.map((e) => e.split('.').map(Number));
  // The entry of the tag's own line (the longest line that prefixes the version).
  const own = parsed
    .filter((e) => e.length - 1 <= parts.length && e.slice(0, -1).every((c, i) => parts[i] === c))
    .sort((a, b) => b.length - a.length)[0];
  if (own) return parts.length === own.length - 1 ? false : compareVersions(parts, own) < 0;
  // A floating tag over maintained lines (`python:3`), or a line newer than every entry.
  if (parsed.some((e) => parts.length < e.length - 1 && parts.every((c, i) => e[i] === c))) return false;
  return !parsed.every((e) => compareVersions(parts, e) > 0);
}

/**
 * A tag's version against an entry: a component the tag leaves out is its line's newest release
 * (`8.12` is 8.12.x), one the entry leaves out is the first (`8.12` is 8.12.0).
 */
function compareVersions(tag: readonly number[], entry: readonly number[]): number {
  for (let i = 0; i < Math.max(tag.length, entry.length); i++) {
    const x = tag[i] ?? Infinity;
    const y = entry[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Where the conda images install conda (its package cache is `<prefix>/pkgs`), or null. */
export function condaRootPrefix(image: string): string | null {
  const repo = repositoryOf(image);
  return /^(continuumio\/(miniconda3?|anaconda3?)|condaforge\/(miniforge3|mambaforge|miniforge-pypy3))$/.test(repo) ? '/opt/conda' : null;
}

/**
 * The gradle images link root's `~/.gradle` to `/home/gradle/.gradle` (a VOLUME of the image):
 * Gradle's user home for root is there. null for other images.
 */
export function imageGradleUserHome(image: string): string | null {
  return repositoryOf(image) === 'gradle' ? '/home/gradle/.gradle' : null;
}

/** The ruby images install gems without documentation already (`install: --no-document` in their gemrc). */
export const gemDocumentationOff = (image: string): boolean => repositoryOf(image) === 'ruby';
