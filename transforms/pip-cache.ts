/**
 * pip-cache: pip (and uv, poetry) download every package again on each rebuild of the layer.
 * buildkit mode: mount the cache (`--mount=type=cache,target=/root/.cache/pip`) and drop
 * `--no-cache-dir` and cache purges that would defeat it. portable mode: `--no-cache-dir`, so the
 * cache at least stays out of the layer.
 */
import type { Transform } from '../src/core/transform.js';
import type { TextEdit } from '../src/core/transform.js';
import { laterUse } from '../src/dockerfile/later-uses.js';
import {
  cacheRemovals,
  CACHE_SKIPS,
  findRuns,
  planMounts,
  reportOutcome,
  type CacheToolSpec,
  type CacheUse,
} from '../src/rewrite/cache-mounts.js';
import { existingMounts } from '../src/dockerfile/mounts.js';
import { argWord, wordsWithValue } from '../src/tools/command.js';
import {
  isPipNoCacheOption,
  POETRY_CACHE_SUBDIRS,
  PIP_CACHING,
  pipArgs,
  pipCacheDir,
  pipSubcommandIndex,
  poetryCacheDir,
  poetryInstalls,
  uvCacheDir,
  uvInstalls,
} from '../src/tools/python.js';
import { insertWordAfter, removeSteps } from '../src/dockerfile/run-view.js';
import { quote } from '../src/rewrite/edit.js';
import { DOCKER_DOCS } from '../src/core/references.js';

const spec: CacheToolSpec = {
  hint: /\bpip|\buv\b|\bpoetry\b/,
  uses(inv, ctx) {
    const pip = pipArgs(inv);
    if (pip !== null) {
      const sub = pipSubcommandIndex(inv);
      if (sub === -1 || !PIP_CACHING.has(inv.args[sub]!)) return null;
      const cache: CacheUse = { label: 'the pip cache', target: pipCacheDir(ctx, inv), cleanedBy: 'pip-cache' };
      return {
        command: inv.command,
        caches: [cache],
        disablingWords: inv.command.args.filter((w) => isPipNoCacheOption(w.value)),
      };
    }
    if (uvInstalls(inv)) {
      return {
        command: inv.command,
        caches: [{ label: 'the uv cache', target: uvCacheDir(ctx, inv) }],
        disablingWords: [...wordsWithValue(inv, '--no-cache'), ...wordsWithValue(inv, '-n')],
      };
    }
    if (poetryInstalls(inv)) {
      const dir = poetryCacheDir(ctx, inv);
      const caches: CacheUse[] =
        typeof dir === 'string'
          ? POETRY_CACHE_SUBDIRS.map((sub) => ({ label: 'the poetry cache', target: `${dir}/${sub}` }))
          : [{ label: 'the poetry cache', target: dir }];
      return { command: inv.command, caches, disablingWords: wordsWithValue(inv, '--no-cache') };
    }
    return null;
  },
};

export const pipCache: Transform = {
  meta: {
    id: 'pip-cache',
    title: 'Cache pip downloads across builds instead of downloading every package again',
    description:
      'buildkit mode: adds `--mount=type=cache,target=/root/.cache/pip` to every RUN that runs ' +
      '`pip install` (also `python -m pip`, uv and poetry, each with its own cache), and removes ' +
      '`--no-cache-dir`, `pip cache purge` and `rm -rf` of the cache there. The target follows the ' +
      'user, `HOME`, `PIP_CACHE_DIR` and `XDG_CACHE_HOME`. portable mode: adds `--no-cache-dir` to ' +
      'pip installs, so the cache never reaches the layer.',
    why:
      'Without a cache mount, any change that rebuilds the layer downloads every package again. With ' +
      '`--no-cache-dir` missing, the downloaded wheels are also baked into the image.',
    seeds: ['002_a22975ebf7ef71db.txt', '000_e7050b95a6c7ffd0.txt'],
    references: [DOCKER_DOCS.cacheMounts, DOCKER_DOCS.runMountCache],
    readme: 'Transforms › Cache transforms',
    safety: 'safe',
    modes: ['buildkit', 'portable'],
    example: {
      before: 'RUN pip install --no-cache-dir -r requirements.txt\n',
      after: 'RUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install -r requirements.txt\n',
    },
    skips: CACHE_SKIPS,
    cacheable: true,
  },
  run(model, context, report) {
    const runs = findRuns(model, spec);
    for (const run of runs) {
      if (context.mode === 'buildkit') {
        reportOutcome(report, planMounts(model, run), run.view.instr.start);
        continue;
      }
      // portable: `--no-cache-dir` on each pip install that lacks it; then no pip command of the RUN
      // writes the cache, and a purge of it in the same RUN has nothing left to do.
      if (existingMounts(run.view.instr).some((m) => m.type === 'cache')) continue;
      const pips = run.uses.filter((u) => pipArgs(u.inv) !== null);
      if (pips.length === 0 || pips.length !== run.uses.length) continue;
      if (
        run.ctx.env.has('PIP_NO_CACHE_DIR') ||
        pips.some((u) => u.inv.command.assignments.includes('PIP_NO_CACHE_DIR'))
      )
        continue;
      const edits: TextEdit[] = [];
      let ok = true;
      for (const use of pips) {
        if (use.disablingWords.length > 0) continue;
        const sub = pipSubcommandIndex(use.inv);
        if (sub === -1) {
          ok = false;
          break;
        }
        edits.push(insertWordAfter(run.view, use.inv.command, argWord(use.inv, sub), '--no-cache-dir'));
      }
      if (!ok || edits.length === 0) continue;
      let purged = '';
      const target = pips[0].caches[0].target;
      if (typeof target === 'string') {
        // Nothing is cached any more: what reads the cache, or removes it without -f, would fail.
        const lastPip = Math.max(...pips.map((u) => u.command.end));
        const use = laterUse(model, run.view.instr, target, { after: lastPip });
        if (use) {
          const where = use.instr === run.view.instr ? 'the RUN itself' : quote(use.instr);
          if (use.kind === 'strict-rm')
            report.skip('later-removal-fails', `${where} removes \`${use.what}\` without -f, which fails once pip caches nothing`, run.view.instr.start);
          else if (use.kind === 'reads')
            report.skip('read-later', `${where} reads \`${use.what}\`, which pip would no longer write`, run.view.instr.start);
          if (use.kind !== 'mkdir') continue;
        }
        const cleanups = cacheRemovals(run.view, run.ctx, [{ target, content: target, cleanedBy: 'pip-cache' }]);
        const removal =
          cleanups.operands.length === 0 && cleanups.steps.length > 0 ? removeSteps(run.view, cleanups.steps) : null;
        if (removal && 'edits' in removal) {
          edits.push(...removal.edits);
          purged = '; removed the pip cache cleanup it makes unnecessary';
        }
      }
      report.fix({
        message: `Added \`--no-cache-dir\` to pip in ${quote(run.view.instr)}, so the pip cache stays out of the layer${purged}`,
        safety: 'safe',
        edits,
        at: run.view.instr.start,
      });
    }
  },
};
