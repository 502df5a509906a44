/**
 * go-cache: `go mod download` and `go build` fetch every module and recompile every package again
 * on each rebuild of the layer. buildkit mode only: mount the module cache and the build cache.
 * The module cache is what `go mod download` produces, so every Go RUN of the stage chain must get
 * the mount, and nothing may need the modules in the image afterwards.
 */
import { skip, type Transform } from '../src/core/transform.js';
import { findRuns, reportProductCaches, SHARED_PRODUCT_SKIPS, type CacheToolSpec } from '../src/rewrite/cache-mounts.js';
import { DOCKER_DOCS } from '../src/core/references.js';
import {
  GO_BUILDS,
  GO_CACHE_VARIABLES,
  GO_COMMAND,
  goBuildCache,
  goFetchesModules,
  goModCache,
} from '../src/tools/go.js';

const spec: CacheToolSpec = {
  hint: /\bgo\b/,
  uses(inv, ctx) {
    if (inv.name !== 'go') return null;
    if (inv.command.assignments.some((a) => GO_CACHE_VARIABLES.includes(a))) {
      return {
        command: inv.command,
        caches: [
          {
            label: 'the Go caches',
            target: skip('cache-path-dynamic', 'the go command sets its own cache location'),
          },
        ],
        disablingWords: [],
      };
    }
    const sub = inv.args[0];
    if (goFetchesModules(inv)) {
      return {
        command: inv.command,
        caches: [{ label: 'the module cache', target: goModCache(ctx) }],
        disablingWords: [],
      };
    }
    if (sub && GO_BUILDS.has(sub)) {
      return {
        command: inv.command,
        caches: [
          { label: 'the module cache', target: goModCache(ctx) },
          { label: 'the build cache', target: goBuildCache(ctx) },
        ],
        disablingWords: [],
      };
    }
    return null;
  },
};

export const goCache: Transform = {
  meta: {
    id: 'go-cache',
    title: 'Cache Go modules and build results across builds',
    description:
      'Adds `--mount=type=cache,target=/go/pkg/mod` to every RUN that runs `go mod download`, and the ' +
      'module and build caches (`/root/.cache/go-build`) to `go build`/`install`/`test` RUNs. The ' +
      'targets follow `GOMODCACHE`, `GOPATH`, `GOCACHE`, `HOME` and the user. Every Go RUN of a stage ' +
      'chain gets the mounts or none does, and nothing that needs the modules in the image (a `go run` ' +
      'CMD, `COPY --from` of the module cache) may follow. buildkit mode only.',
    why:
      'Without cache mounts, any change that rebuilds the layer downloads every module and compiles ' +
      'every package again.',
    seeds: ['002_a22975ebf7ef71db.txt'],
    references: [DOCKER_DOCS.cacheMounts, DOCKER_DOCS.runMountCache],
    readme: 'Transforms › Cache transforms',
    safety: 'safe',
    modes: ['buildkit'],
    example: {
      before: 'COPY go.mod go.sum ./\nRUN go mod download\n',
      after: 'COPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    go mod download\n',
    },
    skips: SHARED_PRODUCT_SKIPS,
    cacheable: true,
  },
  run(model, _context, report) {
    reportProductCaches(model, findRuns(model, spec), report, { tool: 'Go', runtime: /\bgo\b/, command: GO_COMMAND });
  },
};
