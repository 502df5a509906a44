/**
 * composer-cache: composer downloads every package again on each rebuild of the layer, and keeps
 * the archives in its cache inside the layer. buildkit mode: a cache mount on composer's cache
 * directory when the file tells where it is (COMPOSER_CACHE_DIR, COMPOSER_HOME; the composer image
 * sets COMPOSER_HOME=/tmp). portable mode: `composer clear-cache` in the installing RUN.
 */
import type { Transform } from '../src/core/transform.js';
import {
  DOWNLOAD_CACHE_META,
  runDownloadCache,
  oneCacheSpec,
  type DownloadCacheSkipCode,
} from '../src/rewrite/cache-mounts.js';
import { composerCacheCleaned, composerCacheDir } from '../src/tools/composer.js';

const spec = oneCacheSpec(/\bcomposer/, 'the composer cache', composerCacheDir, { cleanedBy: 'composer-cache' });

export const composerCache: Transform<DownloadCacheSkipCode> = {
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
    example: {
      before: 'FROM composer:2\nCOPY composer.json composer.lock ./\nRUN composer install --no-dev --no-scripts\n',
      after:
        'FROM composer:2\nCOPY composer.json composer.lock ./\nRUN --mount=type=cache,target=/tmp/cache \\\n    composer install --no-dev --no-scripts\n',
    },
    ...DOWNLOAD_CACHE_META,
  },
  run(model, context, report) {
    runDownloadCache(model, context.mode, report, spec, (run) => {
      // composer clears its own cache wherever it is; one that runs without a cache has none.
      const target = run.uses[0].caches[0].target;
      if (!run.ctx.user.root || run.uses.some((u) => u.inv.args.includes('--no-cache'))) return null;
      // The cleanup runs the composer the install ran (`./composer.phar`, `php composer.phar`):
      // a plain `composer` may not be on PATH.
      const install = run.uses[0].command;
      const source = run.view.script?.source ?? '';
      const invoked = source.slice(install.start, run.uses[0].inv.nameWord?.end ?? install.nameEnd).replace(/^([A-Za-z_]\w*=\S*\s+)+/, '');
      if (!/^[\w./-]+( [\w./-]+)?$/.test(invoked)) return null;
      return {
        commands: [`${invoked} clear-cache`],
        dir: typeof target === 'string' ? target : null,
        cleans: (inv) => composerCacheCleaned(inv) !== null,
        what: "composer's download cache",
      };
    });
  },
};
