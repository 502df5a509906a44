/** apk (Alpine): subcommands, the index and package cache it writes, and `--no-cache`. */
import type { CacheKind } from './cache-kinds.js';
import { subcommand, subcommandIndex, type Invocation } from './command.js';

/** Where apk keeps its index (and, when caching is set up, packages). */
export const APK_CACHE_DIR = '/var/cache/apk';

/**
 * The options that make one apk command keep its packages in /var/cache/apk: apk caches packages
 * only in a cache directory it is given (`--cache-dir`, apk 2.7+) or finds at /etc/apk/cache;
 * /var/cache/apk alone holds just the index. `-U` fetches a fresh index, as `--no-cache` or an
 * empty cache would (a cached index younger than 4 hours is otherwise reused, and may name
 * packages the mirror no longer has).
 */
export const APK_KEEP_OPTIONS: readonly string[] = ['--cache-dir', APK_CACHE_DIR, '-U'];

/**
 * Whether an Alpine release's apk takes `--cache-dir` and, in images built FROM this one, fetches
 * a missing index by itself (apk-tools 2.10, Alpine 3.8): then a cache mount can replace
 * `--no-cache`.
 */
export const apkCacheMountable = (alpineRelease: number | null): boolean => alpineRelease !== null && alpineRelease >= 8;

/** Subcommands that install packages (and so read the index). */
export const APK_INSTALLS: ReadonlySet<string> = new Set(['add', 'upgrade']);

/** Index of apk's subcommand when it is a literal, else -1. */
export const apkSubcommandIndex = (inv: Invocation): number => subcommandIndex(inv.args);

export function apkCachesWritten(inv: Invocation): CacheKind[] | null {
  if (inv.name !== 'apk') return null;
  const sub = subcommand(inv.args);
  return (sub === 'add' || sub === 'update' || sub === 'upgrade') && !inv.args.includes('--no-cache')
    ? ['apk-cache']
    : [];
}

/** `apk cache clean`/`purge`. */
export function apkCacheCleaned(inv: Invocation): CacheKind | null {
  return inv.name === 'apk' && inv.args[0] === 'cache' && (inv.args[1] === 'clean' || inv.args[1] === 'purge')
    ? 'apk-cache'
    : null;
}

/** `apk update` alone (options aside): it only fetches the index. */
export function isApkUpdateOnly(inv: Invocation): boolean {
  return (
    inv.name === 'apk' &&
    inv.args.includes('update') &&
    inv.args.every((a) => a !== null && (a === 'update' || a.startsWith('-')))
  );
}
