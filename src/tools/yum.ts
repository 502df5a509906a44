/**
 * The rpm package managers: yum (3, or dnf behind the name), dnf (4 and 5), microdnf, tdnf, and
 * zypper. What fills their cache, where the cache lives for the image a RUN builds on, which
 * command-line options keep downloaded packages there for one command, and what empties it.
 */
import { skip, type Skip } from '../core/transform.js';
import { isUbiMinimal, microdnfKeepsCache, rpmFlavour } from '../dockerfile/base-images.js';
import type { RunContext } from '../dockerfile/run-context.js';
import type { CacheKind } from './cache-kinds.js';
import { subcommand, type Invocation } from './command.js';

/** Commands that clean with `clean all` (zypper cleans with `clean --all`). */
export const YUM_NAMES: ReadonlySet<string> = new Set(['yum', 'dnf', 'microdnf', 'tdnf']);

/** Options of yum/dnf/microdnf/tdnf that take the next word as their value. */
const WITH_VALUE: ReadonlySet<string> = new Set([
  '-c',
  '--config',
  '--installroot',
  '--releasever',
  '--enablerepo',
  '--disablerepo',
  '--repo',
  '--repoid',
  '--repofrompath',
  '-x',
  '--exclude',
  '--setopt',
  '--forcearch',
  '-d',
  '--debuglevel',
  '-e',
  '--errorlevel',
  '--rpmverbosity',
  '--disableplugin',
  '--enableplugin',
  '--color',
  '--destdir',
  '--downloaddir',
]);

/** Subcommands that fetch repository metadata or packages into the cache. */
const WRITERS = new Set([
  'install',
  'in',
  'update',
  'upgrade',
  'up',
  'makecache',
  'groupinstall',
  'groupupdate',
  'group',
  'groups',
  'reinstall',
  'localinstall',
  'distro-sync',
  'dsync',
  'downgrade',
  'builddep',
  'module',
  'swap',
  'dup',
  'dist-upgrade',
  'refresh',
  'ref',
  'patch',
]);

/** The subcommand, options and their values skipped. */
export function rpmSubcommand(inv: Invocation): string | null {
  if (!YUM_NAMES.has(inv.name) && inv.name !== 'zypper') return null;
  return subcommand(inv.args, WITH_VALUE);
}

/** A command that fills the package cache: an install, an update, `makecache`. */
export function rpmFillsCache(inv: Invocation): boolean {
  return WRITERS.has(rpmSubcommand(inv) ?? '');
}

export function yumCachesWritten(inv: Invocation): CacheKind[] | null {
  if (!YUM_NAMES.has(inv.name) && inv.name !== 'zypper') return null;
  return rpmFillsCache(inv) ? ['yum-cache'] : [];
}

/** `yum clean …`, `dnf clean …`, `zypper clean …` (any of them empties what the cache keeps). */
export function yumCacheCleaned(inv: Invocation): CacheKind | null {
  return (YUM_NAMES.has(inv.name) || inv.name === 'zypper') && rpmSubcommand(inv) === 'clean' ? 'yum-cache' : null;
}

/** The cache directory of each tool (yum 3 and microdnf share /var/cache/yum). */
export const RPM_CACHE_DIRS = {
  yum3: '/var/cache/yum',
  dnf4: '/var/cache/dnf',
  dnf5: '/var/cache/libdnf5',
  microdnf: '/var/cache/yum',
  tdnf: '/var/cache/tdnf',
  zypper: '/var/cache/zypp',
} as const;

/** Where a tool keeps its cache, and the options that keep this command's packages there. */
export interface RpmCache {
  /** The cache directory for this command. */
  dir: string;
  /** Options to add after the command name (each is ignored or harmless where the tool has it set). */
  options: string[];
  /** What the options do, for the fix message. */
  optionsNote: string;
}

const KEEP = '--setopt=keepcache=1';
const REFRESH = '--refresh';

const has = (inv: Invocation, re: RegExp) => inv.args.some((a) => a !== null && re.test(a));

/**
 * The cache a yum/dnf/microdnf/tdnf command uses in this RUN, with the options that keep its
 * packages for a cache mount: `--setopt=keepcache=1` (packages are kept after the transaction;
 * without it they are deleted) and `--refresh` (metadata is checked against the repositories as
 * an empty cache would be, so a cache from an earlier build never installs older packages). A
 * Skip when the cache is elsewhere (`--installroot`, `cachedir` set), read offline (`-C`), or the
 * tool behind the name is not known.
 */
export function rpmCache(inv: Invocation, ctx: RunContext): RpmCache | Skip {
  if (has(inv, /^--installroot(=|$)|^--setopt=system_cachedir=/))
    return skip('cache-path-dynamic', `\`${inv.name}\` installs into another root or moves its cache`);
  if (has(inv, /^(-C|--cacheonly)$/))
    return skip('reads-cache-only', `\`${inv.name} -C\` installs from the cache alone, which a mount would replace`);
  const cachedir = inv.args.find((a) => a !== null && a.startsWith('--setopt=cachedir='));
  if (cachedir !== undefined) {
    const dir = cachedir!.slice('--setopt=cachedir='.length).replace(/\/+$/, '');
    if (!dir.startsWith('/') || /[$`]/.test(dir)) return skip('cache-path-dynamic', `\`${cachedir}\` names a cache directory the file does not tell`);
    // The command names its cache directory itself; yum may be yum 3 (no --refresh), and microdnf
    // keeps packages only from 3.7 on.
    const keeps = inv.name !== 'microdnf' || (ctx.base.image !== null && microdnfKeepsCache(ctx.base.image));
    const options = [...(keeps ? [KEEP] : []), ...(inv.name === 'yum' ? [] : [REFRESH])];
    return { dir, options, optionsNote: 'the command names its cache directory with --setopt=cachedir' };
  }
  const image = ctx.base.image;
  const flavour = image === null ? null : rpmFlavour(image);
  const both = `--setopt=keepcache=1 keeps the downloaded packages; --refresh checks the metadata as an empty cache would`;
  switch (inv.name) {
    case 'tdnf':
      // tdnf before 3.6 ignores an unknown --setopt: it then keeps metadata only.
      return {
        dir: RPM_CACHE_DIRS.tdnf,
        options: [KEEP, REFRESH],
        optionsNote:
          '--setopt=keepcache=1 keeps the downloaded packages (tdnf 3.6 and later; older ones keep the metadata); --refresh checks the metadata as an empty cache would',
      };
    case 'microdnf':
      if (image !== null && microdnfKeepsCache(image)) return { dir: RPM_CACHE_DIRS.microdnf, options: [KEEP, REFRESH], optionsNote: both };
      // On Fedora 38 and later `microdnf` is dnf 5, which caches in /var/cache/libdnf5: only the
      // UBI minimal images are known to have RHEL's microdnf.
      if (image === null || !isUbiMinimal(image))
        return skip('unknown-package-manager', `\`${image ?? 'the base image'}\` is not known to have RHEL's microdnf (on Fedora 38 and later microdnf is dnf 5, which caches elsewhere)`);
      // Older microdnf refuses keepcache: the mount keeps the metadata only.
      return {
        dir: RPM_CACHE_DIRS.microdnf,
        options: [REFRESH],
        optionsNote: 'microdnf keeps the metadata (this image is not known to have microdnf 3.7, which keeps packages); --refresh checks it as an empty cache would',
      };
    case 'dnf':
      if (flavour === 'dnf5') return { dir: RPM_CACHE_DIRS.dnf5, options: [KEEP, REFRESH], optionsNote: both };
      if (flavour === 'dnf4') return { dir: RPM_CACHE_DIRS.dnf4, options: [KEEP, REFRESH], optionsNote: both };
      if (flavour === 'yum3') return skip('unknown-package-manager', `\`${image}\` has yum 3; its \`dnf\` is not known`);
      // dnf 4 and dnf 5 keep their caches in different places: name the place on the command line.
      return {
        dir: RPM_CACHE_DIRS.dnf4,
        options: [`--setopt=cachedir=${RPM_CACHE_DIRS.dnf4}`, KEEP, REFRESH],
        optionsNote: `the image's dnf version is not known, so --setopt=cachedir names the cache directory (dnf 5 would use /var/cache/libdnf5); ${both}`,
      };
    case 'yum':
      if (flavour === 'yum3')
        return {
          dir: RPM_CACHE_DIRS.yum3,
          options: [KEEP],
          optionsNote: '--setopt=keepcache=1 keeps the downloaded packages (yum 3 has no --refresh: metadata younger than its metadata_expire is reused)',
        };
      if (flavour === 'dnf4') return { dir: RPM_CACHE_DIRS.dnf4, options: [KEEP, REFRESH], optionsNote: both };
      if (flavour === 'dnf5') return { dir: RPM_CACHE_DIRS.dnf5, options: [KEEP, REFRESH], optionsNote: both };
      return skip(
        'unknown-package-manager',
        `\`yum\` is yum 3 or dnf depending on the base image (${image ?? ctx.baseImage}), which the file does not tell; their caches and options differ`,
      );
    default:
      return skip('unknown-package-manager', `\`${inv.name}\` has no command-line option that keeps its packages`);
  }
}

/**
 * Portable mode: the directories to remove after `clean all` (what it leaves: metadata of
 * disabled repositories, yum 3's per-release directories). Only the directory the tool is known
 * to use on this image.
 */
export function rpmCacheDirsToRemove(inv: Invocation, ctx: RunContext): string[] {
  const flavour = ctx.base.image === null ? null : rpmFlavour(ctx.base.image);
  switch (inv.name) {
    case 'tdnf':
      return [RPM_CACHE_DIRS.tdnf];
    case 'microdnf':
      return [RPM_CACHE_DIRS.microdnf];
    case 'dnf':
      return flavour === 'dnf5' ? [RPM_CACHE_DIRS.dnf5] : flavour === 'yum3' ? [] : [RPM_CACHE_DIRS.dnf4];
    case 'yum':
      return flavour === null ? [] : [RPM_CACHE_DIRS[flavour]];
    case 'zypper':
      return [];
    default:
      return [];
  }
}

/** The cleanup command for a tool's cache: `dnf clean all`, `zypper clean --all`. */
export function rpmCleanCommand(inv: Invocation): string {
  return inv.name === 'zypper' ? 'zypper clean --all' : `${inv.name} clean all`;
}
