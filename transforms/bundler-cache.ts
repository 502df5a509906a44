/**
 * bundler-cache: `bundle install` and `gem install` download every gem again on each rebuild, and
 * keep the `.gem` archives in `$GEM_HOME/cache` inside the layer. buildkit mode: a cache mount on
 * that download cache only (never the installed gems, BUNDLE_PATH or vendor/cache), where GEM_HOME
 * is known (ENV, or the ruby images' /usr/local/bundle). portable mode: the downloaded archives
 * removed in the installing RUN.
 */
import type { Transform } from '../src/core/transform.js';
import {
  DOWNLOAD_CACHE_META,
  runDownloadCache,
  oneCacheSpec,
  type DownloadCacheSkipCode,
} from '../src/rewrite/cache-mounts.js';
import { gemDownloadCache } from '../src/tools/ruby.js';

const spec = oneCacheSpec(/\b(bundle|bundler|gem)\s/, 'the gem download cache', gemDownloadCache);

export const bundlerCache: Transform<DownloadCacheSkipCode> = {
  meta: {
    id: 'bundler-cache',
    title: 'Cache downloaded gems across builds, or remove them in the installing RUN',
    description:
      'buildkit mode: adds `--mount=type=cache,target=$GEM_HOME/cache` (the ruby images: `/usr/local/bundle/cache`) ' +
      'to every RUN that runs `bundle install`/`update` or `gem install`, where GEM_HOME is known and nothing ' +
      'installs elsewhere (`--path`, `--deployment`, BUNDLE_PATH, `--install-dir`). Only the downloaded `.gem` ' +
      'archives live there: the installed gems stay in the image. portable mode: appends ' +
      '`rm -rf $GEM_HOME/cache/*.gem` to the installing RUN.',
    why: 'Without a cache mount every rebuild downloads every gem again; the archives also stay in the layer, next to the installed gems.',
    example: {
      before: 'FROM ruby:3.3\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\n',
      after: 'FROM ruby:3.3\nCOPY Gemfile Gemfile.lock ./\nRUN --mount=type=cache,target=/usr/local/bundle/cache \\\n    bundle install\n',
    },
    ...DOWNLOAD_CACHE_META,
  },
  run(model, context, report) {
    runDownloadCache(model, context.mode, report, spec, (run) => {
      const target = run.uses[0].caches[0].target;
      if (typeof target !== 'string' || !run.ctx.user.root) return null;
      return { commands: [`rm -rf ${target}/*.gem`], dir: target, cleans: () => false, what: 'the downloaded gem archives' };
    });
  },
};
