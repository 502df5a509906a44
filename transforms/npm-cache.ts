/**
 * npm-cache: npm, yarn and pnpm download every package again on each rebuild of the layer.
 * buildkit mode: mount the package manager's cache and drop the cache cleaning that would empty
 * it. portable mode: clean the npm/yarn cache in the same RUN, so it stays out of the layer.
 */
import type { DockerfileModel } from '../src/core/model.js';
import type { Transform } from '../src/core/transform.js';
import { appendedCommands, checkAppendable, contentEnd, inBranch, quote } from '../src/rewrite/edit.js';
import { CACHE_SKIPS, findRuns, planMounts, reportOutcome, type CacheToolSpec } from '../src/rewrite/cache-mounts.js';
import { existingMounts } from '../src/dockerfile/mounts.js';
import { cacheCleaned } from '../src/tools/caches.js';
import { invocation } from '../src/tools/command.js';
import { DOCKER_DOCS } from '../src/core/references.js';
import {
  NPM_INSTALLS,
  PNPM_INSTALLS,
  yarnInstalls,
  nodeSubcommand,
  npmCacheDir,
  pnpmStoreDir,
  yarnCacheDir,
} from '../src/tools/node.js';

const spec = (model: DockerfileModel): CacheToolSpec => ({
  hint: /\b(npm|yarn|pnpm)\b/,
  uses(inv, ctx) {
    const sub = nodeSubcommand(inv);
    if (inv.name === 'npm' && sub && NPM_INSTALLS.has(sub)) {
      return {
        command: inv.command,
        caches: [{ label: 'the npm cache', target: npmCacheDir(ctx, inv), cleanedBy: 'npm-cache' }],
        disablingWords: [],
      };
    }
    if (yarnInstalls(inv)) {
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
    references: [DOCKER_DOCS.cacheMounts, DOCKER_DOCS.runMountCache],
    readme: 'Transforms › Cache transforms',
    safety: 'safe',
    modes: ['buildkit', 'portable'],
    example: {
      before: 'COPY package.json package-lock.json ./\nRUN npm ci\n',
      after:
        'COPY package.json package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm \\\n    npm ci\n',
    },
    skips: {
      ...CACHE_SKIPS,
      'yarn-berry': 'the file sets up Yarn 2+, whose cache is per project (and may be the install itself)',
      'not-appendable': 'the installing RUN cannot take more commands (it ends with `;`, `&`, a comment, …)',
    },
    cacheable: true,
  },
  run(model, context, report) {
    for (const run of findRuns(model, spec(model))) {
      const instr = run.view.instr;
      if (context.mode === 'buildkit') {
        reportOutcome(report, planMounts(model, run), instr.start);
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
        u.caches.some((c) => typeof c.target !== 'string' && c.target.code === 'yarn-berry'),
      );
      if (kinds.has('yarn') && !cleaned.has('yarn-cache') && !berry) parts.push('yarn cache clean');
      if (parts.length === 0) continue;
      const problem = checkAppendable(model, instr, run.view.script!, 'installing');
      if (problem) {
        report.skip(problem.code, problem.message, instr.start);
        continue;
      }
      const branch = inBranch(run.view.script!, run.uses.map((u) => u.command));
      if (branch) {
        report.skip(
          'not-appendable',
          `\`${branch.name}\` installs only in a branch of ${quote(instr)}; a cleanup appended to the RUN would run without it`,
          instr.start,
        );
        continue;
      }
      const at = contentEnd(model, instr);
      report.fix({
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
  },
};
