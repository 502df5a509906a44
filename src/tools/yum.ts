/** yum, dnf and microdnf: what fills their package cache and what empties it. */
import type { CacheKind } from './cache-kinds.js';
import { subcommand, type Invocation } from './command.js';

export const YUM_NAMES: ReadonlySet<string> = new Set(['yum', 'dnf', 'microdnf']);

const WRITERS = new Set([
  'install',
  'update',
  'upgrade',
  'makecache',
  'groupinstall',
  'reinstall',
  'localinstall',
  'distro-sync',
]);

export function yumCachesWritten(inv: Invocation): CacheKind[] | null {
  if (!YUM_NAMES.has(inv.name)) return null;
  return WRITERS.has(subcommand(inv.args) ?? '') ? ['yum-cache'] : [];
}

/** `yum clean …`, `dnf clean …`. */
export function yumCacheCleaned(inv: Invocation): CacheKind | null {
  return YUM_NAMES.has(inv.name) && inv.args[0] === 'clean' ? 'yum-cache' : null;
}
