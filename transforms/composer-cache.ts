/**
 * composer-cache: composer downloads every package again on each rebuild of the layer, and keeps
 * the archives in its cache inside the layer. buildkit mode: a cache mount on composer's cache
 * directory when the file tells where it is (COMPOSER_CACHE_DIR, COMPOSER_HOME; the composer image
 * sets COMPOSER_HOME=/tmp). portable mode: `composer clear-cache` in the installing RUN.
 */
import type { Transform } from '../src/core/transform.js';
import { appendCacheCleanup, CACHE_SKIPS, findRuns, planMounts, reportOutcome, type CacheToolSpec } from '../src/rewrite/cache-mounts.js';
import { composerCacheDir } from '../src/tools/composer.js';

const SKIPS = {
  ...CACHE_SKIPS,
  'cache-path-unknown': "composer's cache directory depends on the image (XDG directories) and the file does not set it",
  'not-appendable': 'the installing RUN cannot take more commands (it ends with `;`, `&`, a comment, …)',
} as const;

const spec: CacheToolSpec = {
  hint: /\bcomposer/,
  uses(inv, ctx) {
    const target = composerCacheDir(inv, ctx);
    return target === null ? null : { command: inv.command, caches: [{ label: 'the composer cache', target, cleanedBy: 'composer-cache' }], disablingWords: [] };
  },
};

export const composerCache: Transform<keyof typeof SKIPS> = {
  meta: {
    id: 'composer-cache',
    title: 'Cache composer downloads across builds, or clear them in the installing RUN',
    description:
      'buildkit mode: adds `--mount=type=cache,target=<composer cache>` to every RUN that runs `composer install`, ' +
      '`update`, `require` or `create-project`, where the file tells the cache directory: COMPOSER_CACHE_DIR, or ' +
      '`$COMPOSER_HOME/cache` (the composer image sets COMPOSER_HOME=/tmp, so `/tmp/cache`). Without either it ' +
      'is `~/.cache/composer` or `~/.composer/cache` depending on the image, so nothing is done. `vendor/` is ' +
      'never mounted. portable mode: appends `composer clear-cache` to the installing RUN.',
    why: 'Without a cache mount every rebuild downloads every package again; without clearing, the archives stay in the layer.',
    seeds: ['002_a22975ebf7ef71db.txt'],
    safety: 'safe',
    modes: ['buildkit', 'portable'],
    example: {
      before: 'FROM composer:2\nCOPY composer.json composer.lock ./\nRUN composer install --no-dev --no-scripts\n',
      after:
        'FROM composer:2\nCOPY composer.json composer.lock ./\nRUN --mount=type=cache,target=/tmp/cache \\\n    composer install --no-dev --no-scripts\n',
    },
    skips: SKIPS,
    cacheable: true,
  },
  run(model, context, report) {
    for (const run of findRuns(model, spec)) {
      if (context.mode === 'buildkit') {
        reportOutcome(report, planMounts(model, run), run.view.instr.start);
        continue;
      }
      // composer clears its own cache wherever it is; one that runs without a cache has none.
      const target = run.uses[0].caches[0].target;
      if (!run.ctx.user.root || run.uses.some((u) => u.inv.args.includes('--no-cache'))) continue;
      appendCacheCleanup(model, run, report, {
        commands: ['composer clear-cache'],
        dir: typeof target === 'string' ? target : null,
        cleans: (inv) => inv.name === 'composer' && (inv.args[0] === 'clear-cache' || inv.args[0] === 'clearcache' || inv.args[0] === 'cc'),
        what: "composer's download cache",
      });
    }
  },
};
