/**
 * npm-cache: npm, yarn and pnpm download every package again on each rebuild of the layer.
 * buildkit mode: mount the package manager's cache and drop the cache cleaning that would empty
 * it. portable mode: clean the npm/yarn cache in the same RUN, so it stays out of the layer.
 */
import type { DockerfileModel } from '../src/core/model.js';
import type { Transform, TransformResult } from '../src/core/transform.js';
import { appendedCommands, checkAppendable, contentEnd, quote } from '../src/rewrite/edit.js';
import {
  envPath,
  findRuns,
  inHome,
  planMounts,
  skip,
  type CacheToolSpec,
  type Skip,
} from '../src/rewrite/cache-mounts.js';
import { existingMounts } from '../src/dockerfile/mounts.js';
import { cacheCleaned, invocation, type Invocation } from '../src/tools/packages.js';
import type { RunContext } from '../src/dockerfile/run-context.js';

const NPM_INSTALLS = new Set(['ci', 'install', 'i', 'add', 'install-clean', 'isntall', 'in']);
const YARN_INSTALLS = new Set(['install', 'add']);
const PNPM_INSTALLS = new Set(['install', 'i', 'add', 'fetch']);

function firstPositional(inv: Invocation): string | null | undefined {
  for (const a of inv.args) {
    if (a === null) return null;
    if (!a.startsWith('-')) return a;
  }
  return undefined;
}

function npmCacheDir(ctx: RunContext, inv: Invocation): string | Skip {
  for (const name of ['npm_config_cache', 'NPM_CONFIG_CACHE']) {
    if (inv.command.assignments.includes(name))
      return skip('cache-path-dynamic', `the command sets \`${name}\` itself`);
    if (ctx.env.has(name)) return envPath(ctx, name, '');
  }
  if (inv.args.some((a) => a !== null && (a === '--cache' || a.startsWith('--cache=')))) {
    return skip('cache-path-dynamic', 'the command passes its own `--cache` directory');
  }
  return inHome('~/.npm', ctx);
}

function yarnCacheDir(ctx: RunContext, inv: Invocation, model: DockerfileModel): string | Skip {
  if (/\bcorepack\b|yarn set version|\.yarnrc\.yml|YARN_ENABLE_GLOBAL_CACHE/.test(model.text)) {
    return skip(
      'yarn-berry',
      'the file sets up Yarn 2+ (corepack, `yarn set version` or `.yarnrc.yml`), whose cache is per project',
    );
  }
  if (inv.command.assignments.includes('YARN_CACHE_FOLDER'))
    return skip('cache-path-dynamic', 'the command sets `YARN_CACHE_FOLDER` itself');
  if (inv.args.some((a) => a !== null && a.startsWith('--cache-folder'))) {
    return skip('cache-path-dynamic', 'the command passes its own `--cache-folder`');
  }
  if (ctx.env.has('YARN_CACHE_FOLDER')) return envPath(ctx, 'YARN_CACHE_FOLDER', '');
  // Yarn 1 keeps root's cache under /usr/local/share, everyone else's under ~/.cache/yarn.
  return ctx.user.root && !ctx.env.has('HOME')
    ? '/usr/local/share/.cache/yarn'
    : inHome('~/.cache/yarn', ctx);
}

function pnpmStoreDir(ctx: RunContext, inv: Invocation): string | Skip {
  if (inv.args.some((a) => a !== null && a.startsWith('--store-dir'))) {
    return skip('cache-path-dynamic', 'the command passes its own `--store-dir`');
  }
  if (ctx.env.has('npm_config_store_dir')) return envPath(ctx, 'npm_config_store_dir', '');
  if (ctx.env.has('PNPM_HOME')) {
    const home = envPath(ctx, 'PNPM_HOME', '');
    return typeof home === 'string' ? home + '/store' : home;
  }
  if (ctx.env.has('XDG_DATA_HOME')) {
    const d = envPath(ctx, 'XDG_DATA_HOME', '');
    return typeof d === 'string' ? d + '/pnpm/store' : d;
  }
  return inHome('~/.local/share/pnpm/store', ctx);
}

const spec = (model: DockerfileModel): CacheToolSpec => ({
  hint: /\b(npm|yarn|pnpm)\b/,
  uses(inv, ctx) {
    const sub = firstPositional(inv);
    if (inv.name === 'npm' && sub && NPM_INSTALLS.has(sub)) {
      return {
        command: inv.command,
        caches: [{ label: 'the npm cache', target: npmCacheDir(ctx, inv), cleanedBy: 'npm-cache' }],
        disablingWords: [],
      };
    }
    if (inv.name === 'yarn' && (sub === undefined || (sub !== null && YARN_INSTALLS.has(sub)))) {
      return {
        command: inv.command,
        caches: [{ label: 'the yarn cache', target: yarnCacheDir(ctx, inv, model), cleanedBy: 'yarn-cache' }],
        disablingWords: [],
      };
    }
    if (inv.name === 'pnpm' && sub && PNPM_INSTALLS.has(sub)) {
      return {
        command: inv.command,
        caches: [{ label: 'the pnpm store', target: pnpmStoreDir(ctx, inv) }],
        disablingWords: [],
      };
    }
    return null;
  },
});

export const npmCache: Transform = {
  meta: {
    id: 'npm-cache',
    title: 'Cache npm, yarn and pnpm downloads across builds',
    description:
      'buildkit mode: adds a cache mount for the package cache to every RUN that runs `npm ci`, ' +
      '`npm install`, `yarn` (1.x) or `pnpm install`: `/root/.npm`, `/usr/local/share/.cache/yarn`, ' +
      'the pnpm store (following the user, `HOME`, `npm_config_cache`, `YARN_CACHE_FOLDER`, ' +
      '`PNPM_HOME`), and removes `npm cache clean --force` / `yarn cache clean` there. portable mode: ' +
      'appends `npm cache clean --force` (or `yarn cache clean`) to the installing RUN.',
    why:
      'Without a cache mount, every rebuild of the install layer downloads the whole dependency tree ' +
      'again; without cleaning, the downloaded tarballs are baked into the image.',
    seeds: ['002_a22975ebf7ef71db.txt'],
    safety: 'safe',
    modes: ['buildkit', 'portable'],
    example: {
      before: 'COPY package.json package-lock.json ./\nRUN npm ci\n',
      after:
        'COPY package.json package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm \\\n    npm ci\n',
    },
  },
  run(model, context) {
    const result: TransformResult = { fixes: [], skips: [] };
    for (const run of findRuns(model, spec(model))) {
      const instr = run.view.instr;
      if (context.mode === 'buildkit') {
        const outcome = planMounts(model, run);
        if (outcome === null) continue;
        if ('edits' in outcome) result.fixes.push(outcome);
        else result.skips.push({ ...outcome, at: instr.start });
        continue;
      }
      // portable: clean the cache at the end of the installing RUN.
      if (run.view.form !== 'shell' || existingMounts(instr).some((m) => m.type === 'cache')) continue;
      const kinds = new Set(run.uses.map((u) => u.inv.name).filter((n) => n === 'npm' || n === 'yarn'));
      const cleaned = new Set(
        run.view.commands.map(({ command }) => {
          const inv = invocation(command);
          return inv ? cacheCleaned(inv) : null;
        }),
      );
      const parts: string[] = [];
      if (kinds.has('npm') && !cleaned.has('npm-cache')) parts.push('npm cache clean --force');
      // Yarn 2+ may run straight from its cache (Plug'n'Play): never clean it.
      const berry = run.uses.some((u) =>
        u.caches.some((c) => typeof c.target !== 'string' && c.target.reason === 'yarn-berry'),
      );
      if (kinds.has('yarn') && !cleaned.has('yarn-cache') && !berry) parts.push('yarn cache clean');
      if (parts.length === 0) continue;
      const problem = checkAppendable(model, instr, run.view.script!, 'installing');
      if (problem) {
        result.skips.push({ ...problem, at: instr.start });
        continue;
      }
      const at = contentEnd(model, instr);
      result.fixes.push({
        message: `Appended ${parts.map((p) => '`' + p + '`').join(' and ')} to ${quote(instr)}, so the package cache stays out of the layer`,
        safety: 'safe',
        edits: [
          {
            start: at,
            end: at,
            text: appendedCommands(model, instr, parts, instr.startLine !== instr.endLine),
          },
        ],
        at: instr.start,
      });
    }
    return result;
  },
};
