/**
 * Composer: which commands download packages, and where its cache lives: `COMPOSER_CACHE_DIR`,
 * else `$COMPOSER_HOME/cache` (the composer image sets COMPOSER_HOME=/tmp). Without either, the
 * place depends on the XDG directories of the image (`~/.cache/composer` or `~/.composer/cache`),
 * which the file does not show. `vendor/` is the product, never a cache.
 */
import { skip } from '../core/transform.js';
import type { CachePath, RunContext } from '../dockerfile/run-context.js';
import type { CacheKind } from './cache-kinds.js';
import type { Invocation } from './command.js';

const COMPOSER_NAMES = new Set(['composer', 'composer.phar']);
const DOWNLOADS = new Set(['install', 'update', 'require', 'create-project', 'upgrade', 'u', 'i', 'reinstall']);

export function composerCacheDir(inv: Invocation, ctx: RunContext): CachePath | null {
  if (!COMPOSER_NAMES.has(inv.name)) return null;
  const words = inv.args[0] === 'global' ? inv.args.slice(1) : inv.args;
  const sub = words.find((a) => a === null || !a.startsWith('-'));
  if (sub === undefined || sub === null || !DOWNLOADS.has(sub)) return null;
  if (inv.command.assignments.some((a) => a === 'COMPOSER_CACHE_DIR' || a === 'COMPOSER_HOME' || a === 'HOME'))
    return skip('cache-path-dynamic', 'the composer command sets its own cache location');
  if (ctx.env.has('COMPOSER_NO_CACHE') || inv.args.includes('--no-cache'))
    return skip('cache-disabled-by-env', 'composer runs without its cache');
  for (const [name, suffix] of [['COMPOSER_CACHE_DIR', ''], ['COMPOSER_HOME', '/cache']] as const) {
    if (!ctx.env.has(name)) continue;
    const v = ctx.env.get(name);
    if (v === null || v === undefined || !v.startsWith('/')) return skip('cache-path-dynamic', `\`${name}\` is set from a variable`);
    return v.replace(/\/+$/, '') + suffix;
  }
  return skip('cache-path-unknown', "neither COMPOSER_CACHE_DIR nor COMPOSER_HOME is set: composer's cache is ~/.cache/composer or ~/.composer/cache depending on the image");
}

export function composerCachesWritten(inv: Invocation): CacheKind[] | null {
  if (!COMPOSER_NAMES.has(inv.name)) return null;
  const words = inv.args[0] === 'global' ? inv.args.slice(1) : inv.args;
  const sub = words.find((a) => a === null || !a.startsWith('-'));
  return sub && DOWNLOADS.has(sub) && !inv.args.includes('--no-cache') ? ['composer-cache'] : [];
}

/** `composer clear-cache` (aliases `clearcache`, `cc`). */
export const composerCacheCleaned = (inv: Invocation): CacheKind | null =>
  COMPOSER_NAMES.has(inv.name) && /^(clear-cache|clearcache|cc)$/.test(inv.args[0] ?? '') ? 'composer-cache' : null;
