/**
 * go-cache: `go mod download` and `go build` fetch every module and recompile every package again
 * on each rebuild of the layer. buildkit mode only: mount the module cache and the build cache.
 * The module cache is what `go mod download` produces, so every Go RUN of the stage chain must get
 * the mount, and nothing may need the modules in the image afterwards.
 */
import type { DockerfileModel } from '../src/core/model.js';
import { isSkip, skip, type FixProposal, type Skip, type Transform } from '../src/core/transform.js';
import {
  CACHE_SKIPS,
  findRuns,
  planMounts,
  type CacheSkipCode,
  type CacheToolSpec,
  type PlannedRun,
} from '../src/rewrite/cache-mounts.js';
import { quote } from '../src/rewrite/edit.js';
import { familyRoot } from '../src/dockerfile/run-context.js';
import { runView } from '../src/dockerfile/run-view.js';
import { DOCKER_DOCS } from '../src/core/references.js';
import {
  GO_BUILDS,
  GO_CACHE_VARIABLES,
  GO_COMMAND,
  goBuildCache,
  goFetchesModules,
  goModCache,
} from '../src/tools/go.js';

const GO_SKIPS = {
  ...CACHE_SKIPS,
  'modules-needed-later': 'the modules are needed in the image later (a CMD runs Go, or a COPY --from takes them)',
  'opaque-run': 'a Go RUN of the stage chain is in a form whose commands cannot be read',
} as const;

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

/** Why the modules must stay in the image for this family of stages, or null. */
function modulesNeededLater(model: DockerfileModel, family: number): Skip<keyof typeof GO_SKIPS> | null {
  const members = model.stages.filter((s) => familyRoot(model, s) === family);
  const names = new Set(members.flatMap((s) => [String(s.index), ...(s.name ? [s.name] : [])]));
  for (const s of members) {
    for (const i of s.instructions) {
      if ((i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && /\bgo\b/.test(i.text)) {
        return skip(
          'modules-needed-later',
          `${quote(i)} runs Go in the container, which needs the modules in the image`,
        );
      }
      if (i.keyword === 'RUN' && GO_COMMAND.test(i.text) && runView(model, i) === null) {
        return skip('opaque-run', `${quote(i)} runs Go in a form whose commands cannot be read`);
      }
    }
  }
  for (const i of model.instructions) {
    if (i.keyword !== 'COPY') continue;
    const from = i.flags.find((f) => f.name === 'from')?.value?.toLowerCase();
    if (from !== undefined && names.has(from) && /\/pkg\/mod|\/go(\/|\s|$)/.test(i.text)) {
      return skip(
        'modules-needed-later',
        `${quote(i)} copies Go files out of the stage, so the modules must stay in it`,
      );
    }
  }
  return null;
}

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
    skips: GO_SKIPS,
    cacheable: true,
  },
  run(model, _context, report) {
    const byFamily = new Map<number, PlannedRun[]>();
    for (const run of findRuns(model, spec)) {
      const f = familyRoot(model, model.stages[run.view.instr.stage]);
      byFamily.set(f, [...(byFamily.get(f) ?? []), run]);
    }
    for (const [family, runs] of byFamily) {
      const blocked = modulesNeededLater(model, family);
      const outcomes = runs.map((r) => planMounts(model, r));
      const firstSkip = outcomes.find((o): o is Skip<CacheSkipCode> => o !== null && isSkip(o));
      if (blocked || firstSkip) {
        const why = blocked ?? firstSkip!;
        for (const r of runs) {
          report.skip(
            why.code as keyof typeof GO_SKIPS,
            blocked || outcomes[runs.indexOf(r)] === firstSkip
              ? why.message
              : `another Go RUN of this stage chain is skipped (${why.message})`,
            r.view.instr.start,
          );
        }
        continue;
      }
      // The modules are needed by every Go RUN of the chain: a review fix holds back the others.
      const review = outcomes.find((o) => o !== null && !isSkip(o) && o.safety === 'review') as FixProposal | undefined;
      for (const o of outcomes) {
        if (!o) continue;
        const fix = o as FixProposal;
        if (review && fix.safety === 'safe')
          report.fix({ ...fix, safety: 'review', message: `${fix.message}; review: applied together with ${quote(runs[outcomes.indexOf(review)].view.instr)}, which is a review fix` });
        else report.fix(fix);
      }
    }
  },
};
