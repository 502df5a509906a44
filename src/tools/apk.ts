/** apk (Alpine): subcommands, the index and package cache it writes, and `--no-cache`. */
import type { CacheKind } from './cache-kinds.js';
import { subcommand, subcommandIndex, type Invocation } from './command.js';

/** Where apk keeps its index (and, when caching is set up, packages). */
export const APK_CACHE_DIR = '/var/cache/apk';

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
    inv.args.length >= 1 &&
    inv.args.every((a) => a !== null && (a === 'update' || a.startsWith('-')))
  );
}
