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

/** Only `update` fetches the package lists; installs read them. */
const LIST_WRITERS = new Set(['update']);
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

/** `apt-get clean`/`autoclean` empty the package cache; `dist-clean` (apt 2.7+) the lists too. */
export function aptCacheCleaned(inv: Invocation): CacheKind | null {
  const sub = aptSubcommand(inv);
  if (sub === 'dist-clean') return 'apt-lists';
  return sub === 'clean' || sub === 'autoclean' ? 'apt-cache' : null;
}

/** apt's package cache; its archives subdirectory is where downloaded packages go by default. */
export const APT_CACHE_DIR = '/var/cache/apt';
export const APT_ARCHIVES_DIR = '/var/cache/apt/archives';
/** The package lists `apt-get update` fetches. apt's state beside them (/var/lib/apt/extended_states:
 * which packages were installed automatically) is part of the image, never of a cache. */
export const APT_LISTS_DIR = '/var/lib/apt/lists';
/** The directory of apt's state, lists included. */
export const APT_STATE_DIR = '/var/lib/apt';
/**
 * Where downloaded packages are kept in the cache mount: a subdirectory of /var/cache/apt, out of
 * reach of the Docker images' docker-clean hook (`rm -f /var/cache/apt/archives/*.deb` after every
 * install) and chosen per command, so apt's configuration in the image stays as it was.
 */
export const KEPT_ARCHIVES_DIR = '/var/cache/apt/dockerfix-archives/';
/** The options that keep a command's downloaded packages there (apt(8) needs the second). */
export const KEEP_ARCHIVES_OPTIONS: readonly string[] = [
  '-o',
  `Dir::Cache::Archives=${KEPT_ARCHIVES_DIR}`,
  '-o',
  'APT::Keep-Downloaded-Packages=true',
];

/** Subcommands that download packages into the archives directory. */
const DOWNLOADS_PACKAGES = new Set([
  'install',
  'upgrade',
  'dist-upgrade',
  'full-upgrade',
  'reinstall',
  'build-dep',
  'satisfy',
]);

/** An apt-get/apt command that downloads packages into the archives directory. */
export function downloadsPackages(inv: Invocation): boolean {
  const sub = aptSubcommand(inv);
  return inv.name !== 'aptitude' && sub !== null && DOWNLOADS_PACKAGES.has(sub);
}

/** The command already chooses where downloaded packages go. */
export function setsArchivesDir(inv: Invocation): boolean {
  return inv.args.some((a) => a !== null && /Dir::Cache::Archives|Dir::Cache\b/i.test(a));
}

/** Commands known to run apt themselves (wrappers of Debian-based images and installers). */
const APT_WRAPPERS = new Set([
  'install_packages',
  'apt-install',
  'apt-fast',
  'nala',
  'add-apt-repository',
  'install-php-extensions',
  'aptitude',
]);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);

/**
 * A command that may run apt where this tool cannot see it: a script (`bash x.sh`, `./setup.sh`,
 * `curl … | bash`, `source x`), a known apt wrapper, or an installer named so.
 */
export function mayRunAptUnseen(inv: Invocation): boolean {
  const name = inv.name;
  if (APT_WRAPPERS.has(name)) return true;
  if (name === 'source' || name === '.') return true;
  // `install` alone is coreutils' file copier.
  if (/\.(sh|bash)$/.test(name)) return true;
  if (name !== 'install' && /(^|[-_])(install|setup|bootstrap|provision)([-_.]|$)/i.test(name)) return true;
  if (SHELLS.has(name)) {
    const args = inv.args;
    const c = args.indexOf('-c');
    if (c !== -1) return args[c + 1] === null || /\bapt|install|\.sh\b/.test(args[c + 1] ?? '');
    // A script file, or a script on standard input (`curl … | bash`).
    return true;
  }
  return false;
}

/** An install that takes recommended packages: no `--no-install-recommends` nor its `-o` form on it. */
export function installsRecommends(inv: Invocation): boolean {
  return !inv.args.some(
    (a) => a === null || a === '--no-install-recommends' || a === '--install-recommends' || /Install-Recommends/i.test(a),
  );
}
