/**
 * Which package-manager caches a command fills or empties, across the tools, and which caches a
 * removed path covers. fold-cleanup and the cache transforms ask here.
 */
import { aptCacheCleaned, aptCachesWritten } from './apt.js';
import { apkCacheCleaned, apkCachesWritten } from './apk.js';
import { CACHE_DIRS, type CacheKind } from './cache-kinds.js';
import type { Invocation } from './command.js';
import { nodeCacheCleaned, nodeCachesWritten } from './node.js';
import { globBase, normalizePath } from './paths.js';
import { pipCacheCleaned, pipCachesWritten } from './python.js';
import { yumCacheCleaned, yumCachesWritten } from './yum.js';

export { CACHE_DIRS, CACHE_LABEL, cacheDirsOf, type CacheKind } from './cache-kinds.js';

/** The cache kinds this command writes. */
export function cachesWritten(inv: Invocation): CacheKind[] {
  return (
    aptCachesWritten(inv) ??
    pipCachesWritten(inv) ??
    nodeCachesWritten(inv) ??
    apkCachesWritten(inv) ??
    yumCachesWritten(inv) ??
    []
  );
}

/** The cache a package-manager cleanup command empties (`apt-get clean`, `pip cache purge`, …). */
export function cacheCleaned(inv: Invocation): CacheKind | null {
  return (
    aptCacheCleaned(inv) ??
    pipCacheCleaned(inv) ??
    nodeCacheCleaned(inv) ??
    yumCacheCleaned(inv) ??
    apkCacheCleaned(inv)
  );
}

/** Cache kinds a removed path covers: the path is inside the cache dir, or a parent of it (two levels deep or more). */
export function cachesCovered(path: string): CacheKind[] {
  const base = globBase(normalizePath(path));
  const depth = base.split('/').filter((s) => s !== '').length;
  const out = new Set<CacheKind>();
  for (const { dir, kind } of CACHE_DIRS) {
    if (base === dir || base.startsWith(dir + '/') || (depth >= 2 && dir.startsWith(base + '/'))) out.add(kind);
  }
  return [...out];
}
