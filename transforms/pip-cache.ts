/**
 * pip-cache: pip (and uv, poetry) download every package again on each rebuild of the layer.
 * buildkit mode: mount the cache (`--mount=type=cache,target=/root/.cache/pip`) and drop
 * `--no-cache-dir` and cache purges that would defeat it. portable mode: `--no-cache-dir`, so the
 * cache at least stays out of the layer.
 */
import type { Word } from '../src/shell/shell.js';
import type { TextEdit, Transform, TransformResult } from '../src/core/transform.js';
import {
  argWord,
  cleanupsFor,
  envPath,
  findRuns,
  inHome,
  planMounts,
  skip,
  type CacheToolSpec,
  type CacheUse,
  type Skip,
} from '../src/rewrite/cache-mounts.js';
import { existingMounts } from '../src/dockerfile/mounts.js';
import { normalizePath, pipArgs, type Invocation } from '../src/tools/packages.js';
import type { RunContext } from '../src/dockerfile/run-context.js';
import { insertWordAfter, removeSteps } from '../src/dockerfile/run-view.js';
import { quote } from '../src/rewrite/edit.js';

const PIP_CACHING = new Set(['install', 'download', 'wheel']);

/** Index (into inv.args) of the pip subcommand, or -1. */
function pipSubcommandIndex(inv: Invocation): number {
  const offset = pipArgs(inv) === inv.args ? 0 : 2;
  const args = inv.args;
  for (let i = offset; i < args.length; i++) {
    const a = args[i];
    if (a === null) return -1;
    if (!a.startsWith('-')) return i;
  }
  return -1;
}

function pipCacheDir(ctx: RunContext, inv: Invocation): string | Skip {
  if (ctx.env.has('PIP_NO_CACHE_DIR') || inv.command.assignments.includes('PIP_NO_CACHE_DIR')) {
    return skip('cache-disabled-by-env', '`PIP_NO_CACHE_DIR` is set, so pip would not use a cache mount');
  }
  if (inv.command.assignments.some((a) => a === 'PIP_CACHE_DIR' || a === 'HOME' || a === 'XDG_CACHE_HOME')) {
    return skip('cache-path-dynamic', 'the pip command sets its own cache location');
  }
  const xdg = ctx.env.has('XDG_CACHE_HOME') ? envPath(ctx, 'XDG_CACHE_HOME', '') : null;
  const fallback = xdg === null ? inHome('~/.cache/pip', ctx) : typeof xdg === 'string' ? xdg + '/pip' : xdg;
  return envPath(ctx, 'PIP_CACHE_DIR', fallback);
}

function toolCacheDir(
  ctx: RunContext,
  inv: Invocation,
  envName: string,
  noCacheEnv: string,
  home: string,
): string | Skip {
  if (ctx.env.has(noCacheEnv) || inv.command.assignments.includes(noCacheEnv)) {
    return skip(
      'cache-disabled-by-env',
      `\`${noCacheEnv}\` is set, so ${inv.name} would not use a cache mount`,
    );
  }
  if (inv.command.assignments.includes(envName))
    return skip('cache-path-dynamic', `the command sets \`${envName}\` itself`);
  return envPath(ctx, envName, inHome(home, ctx));
}

const words = (inv: Invocation, value: string): Word[] => inv.command.args.filter((w) => w.value === value);

const spec: CacheToolSpec = {
  hint: /\bpip|\buv\b|\bpoetry\b/,
  uses(inv, ctx) {
    const pip = pipArgs(inv);
    if (pip !== null) {
      const sub = pipSubcommandIndex(inv);
      if (sub === -1 || !PIP_CACHING.has(inv.args[sub]!)) return null;
      const cache: CacheUse = {
        label: 'the pip cache',
        target: pipCacheDir(ctx, inv),
        cleanedBy: 'pip-cache',
      };
      return { command: inv.command, caches: [cache], disablingWords: words(inv, '--no-cache-dir') };
    }
    if (inv.name === 'uv') {
      const a = inv.args;
      const installs =
        (a[0] === 'pip' && (a[1] === 'install' || a[1] === 'sync')) || a[0] === 'sync' || a[0] === 'add';
      if (!installs) return null;
      const target = toolCacheDir(ctx, inv, 'UV_CACHE_DIR', 'UV_NO_CACHE', '~/.cache/uv');
      return {
        command: inv.command,
        caches: [{ label: 'the uv cache', target }],
        disablingWords: [...words(inv, '--no-cache'), ...words(inv, '-n')],
      };
    }
    if (inv.name === 'poetry') {
      if (inv.args[0] !== 'install') return null;
      const target = toolCacheDir(ctx, inv, 'POETRY_CACHE_DIR', 'POETRY_NO_CACHE', '~/.cache/pypoetry');
      return {
        command: inv.command,
        caches: [{ label: 'the poetry cache', target }],
        disablingWords: words(inv, '--no-cache'),
      };
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
    safety: 'safe',
    modes: ['buildkit', 'portable'],
    example: {
      before: 'RUN pip install --no-cache-dir -r requirements.txt\n',
      after: 'RUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install -r requirements.txt\n',
    },
  },
  run(model, context) {
    const result: TransformResult = { fixes: [], skips: [] };
    const runs = findRuns(model, spec);
    for (const run of runs) {
      if (context.mode === 'buildkit') {
        const outcome = planMounts(model, run);
        if (outcome === null) continue;
        if ('edits' in outcome) result.fixes.push(outcome);
        else result.skips.push({ ...outcome, at: run.view.instr.start });
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
        const cleanups = cleanupsFor(run.view, [normalizePath(target)], ['pip-cache']);
        const removal =
          cleanups.operands.length === 0 && cleanups.steps.length > 0
            ? removeSteps(run.view, cleanups.steps)
            : null;
        if (removal && 'edits' in removal && cleanups.steps.length > 0) {
          edits.push(...removal.edits);
          purged = '; removed the pip cache cleanup it makes unnecessary';
        }
      }
      result.fixes.push({
        message: `Added \`--no-cache-dir\` to pip in ${quote(run.view.instr)}, so the pip cache stays out of the layer${purged}`,
        safety: 'safe',
        edits,
        at: run.view.instr.start,
      });
    }
    return result;
  },
};
