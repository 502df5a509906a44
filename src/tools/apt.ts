/** apt-get, apt and aptitude: subcommands, what they read and write, and their caches. */
import type { CacheKind } from './cache-kinds.js';
import { subcommand, type Invocation } from './command.js';

const APT_OPTIONS_WITH_VALUE = new Set(['-o', '-t', '-c', '--option', '--target-release', '--config-file']);

/** `apt-get -y -o X=1 install …` → `install`; null for other commands or a dynamic subcommand. */
export function aptSubcommand(inv: Invocation): string | null {
  if (inv.name !== 'apt-get' && inv.name !== 'apt' && inv.name !== 'aptitude') return null;
  return subcommand(inv.args, APT_OPTIONS_WITH_VALUE);
}

/** apt-get or apt (not aptitude) with a readable subcommand. */
export function isAptGet(inv: Invocation): boolean {
  return (inv.name === 'apt-get' || inv.name === 'apt') && aptSubcommand(inv) !== null;
}

/** Subcommands that write the package lists (as the transforms have always counted them). */
const LIST_WRITERS = new Set(['update', 'install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'reinstall']);
/** Subcommands that download packages into /var/cache/apt. */
const CACHE_WRITERS = new Set([
  'install',
  'upgrade',
  'dist-upgrade',
  'full-upgrade',
  'build-dep',
  'download',
  'reinstall',
  'source',
]);

/** Subcommands that read the package lists. */
export const READS_LISTS: ReadonlySet<string> = new Set([
  'install',
  'upgrade',
  'dist-upgrade',
  'full-upgrade',
  'build-dep',
  'source',
  'download',
  'reinstall',
  'satisfy',
  'changelog',
  'show',
  'policy',
  'search',
  'list',
]);

/** The caches an apt command writes, or null when it is not apt. */
export function aptCachesWritten(inv: Invocation): CacheKind[] | null {
  const sub = aptSubcommand(inv);
  if (sub === null) return null;
  const out: CacheKind[] = [];
  if (LIST_WRITERS.has(sub)) out.push('apt-lists');
  if (CACHE_WRITERS.has(sub)) out.push('apt-cache');
  return out;
}

/** `apt-get clean`/`autoclean` empty the package cache. */
export function aptCacheCleaned(inv: Invocation): CacheKind | null {
  const sub = aptSubcommand(inv);
  return sub === 'clean' || sub === 'autoclean' ? 'apt-cache' : null;
}

/** The mounts apt's caches get: downloaded packages, and the package lists. */
export const APT_CACHE_DIR = '/var/cache/apt';
export const APT_STATE_DIR = '/var/lib/apt';
/** The file of the Docker images' hook that deletes downloaded packages after each install. */
export const DOCKER_CLEAN_HOOK = '/etc/apt/apt.conf.d/docker-clean';
