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
import { pipArgs, pipCacheCleaned, pipCachesWritten, uvCacheDir } from './python.js';
import { goBuildCache, goModCache } from './go.js';
import { isMaven, jvmOffline } from './jvm.js';
import { condaCacheCleaned, condaCachesWritten } from './conda.js';
import { composerCacheCleaned, composerCachesWritten } from './composer.js';
import { cargoOffline } from './cargo.js';
import type { CachePath, RunContext } from '../dockerfile/run-context.js';
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
    condaCachesWritten(inv) ??
    composerCachesWritten(inv) ??
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
    apkCacheCleaned(inv) ??
    condaCacheCleaned(inv) ??
    composerCacheCleaned(inv)
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

/**
 * Directories a tool's own cleanup removes whole (`go clean -modcache`, `uv cache clean`), for the
 * RUN's environment; null where the directory cannot be told.
 */
export function cacheDirsRemovedBy(inv: Invocation, ctx: RunContext): (string | null)[] {
  const known = (p: CachePath) => (typeof p === 'string' ? p : null);
  if (inv.name === 'go' && inv.args[0] === 'clean') {
    const out: (string | null)[] = [];
    if (inv.args.includes('-modcache')) out.push(known(goModCache(ctx)));
    if (inv.args.includes('-cache')) out.push(known(goBuildCache(ctx)));
    return out;
  }
  if (inv.name === 'uv' && inv.args[0] === 'cache' && (inv.args[1] === 'clean' || inv.args[1] === 'purge'))
    return [known(uvCacheDir(ctx, inv))];
  return [];
}

/** Installs that read only what an earlier install left in the cache (`npm ci --offline`). */
export function readsCacheOffline(inv: Invocation): boolean {
  const flags = new Set(inv.args);
  if (inv.name === 'npm' || inv.name === 'yarn' || inv.name === 'pnpm')
    return flags.has('--offline') || flags.has('--prefer-offline');
  if (pipArgs(inv) !== null) return flags.has('--no-index') && !inv.args.some((a) => a?.startsWith('--find-links') || a === '-f');
  if (inv.name === 'go') return inv.command.assignments.includes('GOPROXY') && /GOPROXY=off/.test(inv.command.args.map((a) => a.raw).join(' '));
  return buildsOfflineFromCache(inv);
}

/**
 * Builds that read dependencies only from what is already in the tool's cache directory (Maven's
 * repository, Cargo's registry, NuGet packages, conda's package cache, the gem cache). A mount
 * there hides what earlier instructions put in it, and may be empty where the layer of the RUN
 * that filled it comes from the layer cache (a pruned builder, `--cache-from` on a fresh CI
 * runner): such a build then fails.
 */
export function buildsOfflineFromCache(inv: Invocation): boolean {
  const flags = new Set(inv.args);
  if (jvmOffline(inv) || cargoOffline(inv)) return true;
  // `--no-build` skips the restore too.
  if (inv.name === 'dotnet') return flags.has('--no-restore') || flags.has('--no-build');
  if (/^(conda|mamba|micromamba)$/.test(inv.name)) return flags.has('--offline') || flags.has('--use-index-cache');
  if (inv.name === 'bundle') return flags.has('--local') || flags.has('--prefer-local');
  return false;
}

/** Variables that move (or switch off) a tool's cache: set inside a RUN, the cache is not where it seems. */
export const CACHE_LOCATION_VARIABLES: ReadonlySet<string> = new Set([
  'HOME',
  'XDG_CACHE_HOME',
  'XDG_DATA_HOME',
  'PIP_CACHE_DIR',
  'PIP_NO_CACHE_DIR',
  'UV_CACHE_DIR',
  'UV_NO_CACHE',
  'POETRY_CACHE_DIR',
  'npm_config_cache',
  'NPM_CONFIG_CACHE',
  'YARN_CACHE_FOLDER',
  'PNPM_HOME',
  'npm_config_store_dir',
  'GOPATH',
  'GOMODCACHE',
  'GOCACHE',
]);

/** Builds that put what they build into the cache directory: `mvn install`/`deploy` (the local repository). */
export function putsProductsInCache(inv: Invocation): boolean {
  return isMaven(inv) && inv.args.some((a) => a !== null && /^(install|deploy|install:install)$/.test(a));
}
