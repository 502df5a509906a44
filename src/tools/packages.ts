/**
 * What package-manager and download commands do to the filesystem: shared by the transforms that
 * reason about caches (fold-cleanup, the cache-mount transforms).
 */
import { commandBase, type SimpleCommand, type ShellScript } from '../shell/shell.js';

/** A cache directory kind that a cleanup removes and an install creates. */
export type CacheKind =
  'apt-lists' | 'apt-cache' | 'pip-cache' | 'npm-cache' | 'yarn-cache' | 'apk-cache' | 'yum-cache';

export const CACHE_DIRS: readonly { dir: string; kind: CacheKind }[] = [
  { dir: '/var/lib/apt/lists', kind: 'apt-lists' },
  { dir: '/var/cache/apt', kind: 'apt-cache' },
  { dir: '~/.cache/pip', kind: 'pip-cache' },
  { dir: '~/.npm', kind: 'npm-cache' },
  { dir: '/usr/local/share/.cache/yarn', kind: 'yarn-cache' },
  { dir: '~/.cache/yarn', kind: 'yarn-cache' },
  { dir: '/var/cache/apk', kind: 'apk-cache' },
  { dir: '/var/cache/yum', kind: 'yum-cache' },
  { dir: '/var/cache/dnf', kind: 'yum-cache' },
];

export const CACHE_LABEL: Record<CacheKind, string> = {
  'apt-lists': 'the apt package lists',
  'apt-cache': 'the apt package cache',
  'pip-cache': 'the pip cache',
  'npm-cache': 'the npm cache',
  'yarn-cache': 'the yarn cache',
  'apk-cache': 'the apk cache',
  'yum-cache': 'the yum/dnf cache',
};

/** A command with a leading `sudo` removed: the command that actually runs. */
export interface Invocation {
  name: string;
  /** Literal argument values (null where dynamic). */
  args: (string | null)[];
  command: SimpleCommand;
}

export function invocation(command: SimpleCommand): Invocation | null {
  let name = commandBase(command.name);
  let args = command.args.map((a) => a.value);
  while (name === 'sudo' && args.length > 0 && args[0] !== null && !args[0].startsWith('-')) {
    name = commandBase(args[0]);
    args = args.slice(1);
  }
  return name === null ? null : { name, args, command };
}

export function invocations(script: ShellScript): Invocation[] {
  const out: Invocation[] = [];
  for (const { command } of script.allCommands) {
    const inv = invocation(command);
    if (inv) out.push(inv);
  }
  return out;
}

const APT_OPTIONS_WITH_VALUE = new Set(['-o', '-t', '-c', '--option', '--target-release', '--config-file']);

/** `apt-get -y -o X=1 install …` → `install`. */
export function aptSubcommand(inv: Invocation): string | null {
  if (inv.name !== 'apt-get' && inv.name !== 'apt' && inv.name !== 'aptitude') return null;
  for (let i = 0; i < inv.args.length; i++) {
    const a = inv.args[i];
    if (a === null) return null;
    if (APT_OPTIONS_WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return a;
  }
  return null;
}

const PIP_NAME = /^pip(\d+(\.\d+)?)?$/;
const PYTHON_NAME = /^python(\d+(\.\d+)?)?$/;

/** Arguments after `pip` for `pip …`, `pip3 …`, `python -m pip …`; null if not pip. */
export function pipArgs(inv: Invocation): (string | null)[] | null {
  if (PIP_NAME.test(inv.name)) return inv.args;
  if (
    PYTHON_NAME.test(inv.name) &&
    inv.args[0] === '-m' &&
    inv.args[1] !== null &&
    PIP_NAME.test(inv.args[1] ?? '')
  ) {
    return inv.args.slice(2);
  }
  return null;
}

function firstPositional(args: (string | null)[]): string | null {
  for (const a of args) {
    if (a === null) return null;
    if (!a.startsWith('-')) return a;
  }
  return null;
}

const APT_LIST_WRITERS = new Set([
  'update',
  'install',
  'upgrade',
  'dist-upgrade',
  'full-upgrade',
  'build-dep',
  'reinstall',
]);
const APT_CACHE_WRITERS = new Set([
  'install',
  'upgrade',
  'dist-upgrade',
  'full-upgrade',
  'build-dep',
  'download',
  'reinstall',
  'source',
]);
const NPM_INSTALLS = new Set([
  'install',
  'i',
  'ci',
  'add',
  'update',
  'up',
  'in',
  'isntall',
  'install-clean',
  'install-ci-test',
  'it',
]);
const YUM_WRITERS = new Set([
  'install',
  'update',
  'upgrade',
  'makecache',
  'groupinstall',
  'reinstall',
  'localinstall',
  'distro-sync',
]);

/** The cache kinds this command writes. */
export function cachesWritten(inv: Invocation): CacheKind[] {
  const apt = aptSubcommand(inv);
  if (apt !== null) {
    const out: CacheKind[] = [];
    if (APT_LIST_WRITERS.has(apt)) out.push('apt-lists');
    if (APT_CACHE_WRITERS.has(apt)) out.push('apt-cache');
    return out;
  }
  const pip = pipArgs(inv);
  if (pip !== null) {
    return firstPositional(pip) === 'install' && !pip.includes('--no-cache-dir') ? ['pip-cache'] : [];
  }
  if (inv.name === 'npm') return NPM_INSTALLS.has(firstPositional(inv.args) ?? '') ? ['npm-cache'] : [];
  if (inv.name === 'yarn') {
    const sub = firstPositional(inv.args);
    return sub === null || sub === 'install' || sub === 'add' ? ['yarn-cache'] : [];
  }
  if (inv.name === 'apk') {
    const sub = firstPositional(inv.args);
    return (sub === 'add' || sub === 'update' || sub === 'upgrade') && !inv.args.includes('--no-cache')
      ? ['apk-cache']
      : [];
  }
  if (inv.name === 'yum' || inv.name === 'dnf' || inv.name === 'microdnf') {
    return YUM_WRITERS.has(firstPositional(inv.args) ?? '') ? ['yum-cache'] : [];
  }
  return [];
}

/** The cache a package-manager cleanup command empties (`apt-get clean`, `pip cache purge`, …). */
export function cacheCleaned(inv: Invocation): CacheKind | null {
  const apt = aptSubcommand(inv);
  if (apt === 'clean' || apt === 'autoclean') return 'apt-cache';
  const pip = pipArgs(inv);
  if (pip !== null)
    return pip[0] === 'cache' && (pip[1] === 'purge' || pip[1] === 'remove') ? 'pip-cache' : null;
  if (inv.name === 'npm' && inv.args[0] === 'cache' && inv.args[1] === 'clean') return 'npm-cache';
  if (inv.name === 'yarn' && inv.args[0] === 'cache' && inv.args[1] === 'clean') return 'yarn-cache';
  if ((inv.name === 'yum' || inv.name === 'dnf' || inv.name === 'microdnf') && inv.args[0] === 'clean')
    return 'yum-cache';
  if (inv.name === 'apk' && inv.args[0] === 'cache' && (inv.args[1] === 'clean' || inv.args[1] === 'purge'))
    return 'apk-cache';
  return null;
}

/** Normalise a path for comparison: `$HOME`, `${HOME}` and `/root` become `~`; `./x` becomes `x`. */
export function normalizePath(p: string): string {
  let s = p.replace(/^(\$HOME|\$\{HOME\})(?=\/|$)/, '~').replace(/^\/root(?=\/|$)/, '~');
  s = s.replace(/\/{2,}/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  if (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
  return s;
}

const GLOB = /[*?[]/;

/** The directory part of a path that ends in glob segments: `/var/lib/apt/lists/*` → `/var/lib/apt/lists`. */
export function globBase(p: string): string {
  const parts = p.split('/');
  while (parts.length > 1 && GLOB.test(parts[parts.length - 1])) parts.pop();
  return parts.join('/') || '/';
}

/** Cache kinds a removed path covers: the path is inside the cache dir, or a parent of it (two levels deep or more). */
export function cachesCovered(path: string): CacheKind[] {
  const base = globBase(normalizePath(path));
  const depth = base.split('/').filter((s) => s !== '').length;
  const out = new Set<CacheKind>();
  for (const { dir, kind } of CACHE_DIRS) {
    if (base === dir || base.startsWith(dir + '/') || (depth >= 2 && dir.startsWith(base + '/')))
      out.add(kind);
  }
  return [...out];
}

// curl/wget option parsing: which options take a value, so that clusters like -fsSLo are read right.
const CURL_SHORT_WITH_VALUE = new Set('odHuAeXTwxmrbcCEFKQtUyYzP'.split(''));
const CURL_LONG_WITH_VALUE = new Set([
  '--output',
  '--header',
  '--user',
  '--data',
  '--data-raw',
  '--data-binary',
  '--data-urlencode',
  '--form',
  '--user-agent',
  '--referer',
  '--request',
  '--upload-file',
  '--write-out',
  '--proxy',
  '--max-time',
  '--range',
  '--cookie',
  '--cookie-jar',
  '--continue-at',
  '--cert',
  '--config',
  '--retry',
  '--retry-delay',
  '--retry-max-time',
  '--connect-timeout',
  '--cacert',
  '--capath',
  '--key',
  '--proto',
  '--proto-redir',
  '--resolve',
  '--limit-rate',
  '--url',
  '--output-dir',
  '--max-redirs',
  '--expect100-timeout',
  '--ciphers',
  '--dns-servers',
  '--interface',
  '--keepalive-time',
  '--netrc-file',
  '--oauth2-bearer',
  '--pinnedpubkey',
  '--speed-limit',
  '--speed-time',
  '--time-cond',
  '--tls-max',
  '--trace',
  '--trace-ascii',
  '--unix-socket',
  '--connect-to',
  '--preproxy',
  '--proxy-user',
  '--happy-eyeballs-timeout-ms',
  '--create-file-mode',
]);
const WGET_SHORT_WITH_VALUE = new Set('OoaPtTwUeiBlARDXIQ'.split(''));
const WGET_LONG_WITH_VALUE = new Set([
  '--output-document',
  '--output-file',
  '--append-output',
  '--directory-prefix',
  '--tries',
  '--timeout',
  '--wait',
  '--user-agent',
  '--execute',
  '--input-file',
  '--base',
  '--level',
  '--accept',
  '--reject',
  '--domains',
  '--exclude-directories',
  '--include-directories',
  '--quota',
  '--header',
  '--user',
  '--password',
  '--http-user',
  '--http-password',
  '--post-data',
  '--post-file',
  '--ca-certificate',
  '--certificate',
  '--private-key',
  '--load-cookies',
  '--save-cookies',
  '--limit-rate',
  '--read-timeout',
  '--connect-timeout',
  '--dns-timeout',
  '--waitretry',
  '--progress',
  '--referer',
  '--bind-address',
]);

function basenameOfUrl(url: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]+(\/[^?#]*)/i.exec(url);
  if (!m) return null;
  const name = m[1].slice(m[1].lastIndexOf('/') + 1);
  return name === '' ? null : decodeURIComponentSafe(name);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

interface ParsedOptions {
  values: Map<string, string | null>;
  flags: Set<string>;
  positionals: (string | null)[];
}

function parseOptions(
  args: (string | null)[],
  shortWithValue: Set<string>,
  longWithValue: Set<string>,
): ParsedOptions | null {
  const values = new Map<string, string | null>();
  const flags = new Set<string>();
  const positionals: (string | null)[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === null) {
      positionals.push(null);
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a : a.slice(0, eq);
      if (eq !== -1) values.set(name, a.slice(eq + 1));
      else if (longWithValue.has(name)) values.set(name, args[++i] ?? null);
      else flags.add(name);
    } else if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k];
        if (shortWithValue.has(c)) {
          values.set('-' + c, k + 1 < a.length ? a.slice(k + 1) : (args[++i] ?? null));
          break;
        }
        flags.add('-' + c);
      }
    } else {
      positionals.push(a);
    }
  }
  return { values, flags, positionals };
}

/**
 * Files that a curl or wget command writes to disk (paths as written, relative to the working
 * directory unless absolute). Unknown when the destination cannot be told: null.
 */
export function downloadedFiles(inv: Invocation): string[] | null {
  if (inv.name === 'curl') {
    const o = parseOptions(inv.args, CURL_SHORT_WITH_VALUE, CURL_LONG_WITH_VALUE);
    if (!o || o.values.has('--output-dir')) return null;
    const out = o.values.get('-o') ?? o.values.get('--output');
    if (out !== undefined) return out === null || out === '-' ? null : [out];
    if (o.flags.has('-O') || o.flags.has('--remote-name') || o.flags.has('--remote-name-all')) {
      if (o.flags.has('-J') || o.flags.has('--remote-header-name')) return null;
      const names = o.positionals.map((u) => (u === null ? null : basenameOfUrl(u)));
      return names.every((n): n is string => n !== null) && names.length > 0 ? names : null;
    }
    return [];
  }
  if (inv.name === 'wget') {
    const o = parseOptions(inv.args, WGET_SHORT_WITH_VALUE, WGET_LONG_WITH_VALUE);
    if (!o || o.values.has('-P') || o.values.has('--directory-prefix')) return null;
    if (o.flags.has('--content-disposition') || o.flags.has('--trust-server-names')) return null;
    if (o.flags.has('-r') || o.flags.has('--recursive') || o.flags.has('-m') || o.flags.has('--mirror'))
      return null;
    const out = o.values.get('-O') ?? o.values.get('--output-document');
    if (out !== undefined) return out === null || out === '-' ? null : [out];
    const names = o.positionals.map((u) => (u === null ? null : basenameOfUrl(u)));
    return names.every((n): n is string => n !== null) && names.length > 0 ? names : null;
  }
  return [];
}
