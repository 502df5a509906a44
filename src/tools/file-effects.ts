/**
 * What common commands do to files, for telling whether a command between a `COPY . .` and an
 * install reads or writes the copied tree. Paths are as written (relative to the command's working
 * directory unless absolute). Commands not known here may read anything: null.
 */
import type { SimpleCommand } from '../shell/index.js';
import { isAptGet } from './apt.js';
import { cacheCleaned } from './caches.js';
import { positionals, type Invocation } from './command.js';
import { downloadedFiles } from './download.js';
import { pipArgs } from './python.js';
import { YUM_NAMES } from './yum.js';

const PIP_QUERIES = new Set([
  'check',
  'list',
  'freeze',
  'show',
  'config',
  'cache',
  'debug',
  'inspect',
  '--version',
  '-V',
]);

export interface FileEffects {
  /** Paths the command reads. */
  reads: string[];
  /** Paths it creates or changes. */
  writes: string[];
  /** Paths it removes. */
  removes: string[];
}

const NONE: FileEffects = { reads: [], writes: [], removes: [] };
const writes = (...paths: string[]): FileEffects => ({ reads: [], writes: paths, removes: [] });

/** Commands that touch no file of a project directory (system state, accounts, shell built-ins). */
const NO_FILES = new Set([
  'true',
  ':',
  'echo',
  'printf',
  'set',
  'export',
  'unset',
  'umask',
  'id',
  'whoami',
  'uname',
  'date',
  'sleep',
  'env',
  'printenv',
  'which',
  'hash',
  'ldconfig',
  'locale-gen',
  'update-locale',
  'update-ca-certificates',
  'update-alternatives',
  'dpkg-reconfigure',
  'apt-key',
  'add-apt-repository',
  'groupadd',
  'addgroup',
  'groupmod',
  'usermod',
  'passwd',
  'chpasswd',
  'git', // `git config` only: other subcommands are answered below
]);

/** `python -m venv X`, `virtualenv X`, `uv venv [X]`: the virtualenv directory it creates. */
export function venvCreated(inv: Invocation): string | null | undefined {
  const a = inv.args;
  if (/^python(\d(\.\d+)?)?$/.test(inv.name) && a[0] === '-m' && (a[1] === 'venv' || a[1] === 'virtualenv'))
    return positionals(a.slice(2), new Set(['--prompt']))[0];
  if (inv.name === 'virtualenv') return positionals(a, new Set(['-p', '--python', '--prompt']))[0];
  if (inv.name === 'uv' && a[0] === 'venv')
    return positionals(a.slice(1), new Set(['-p', '--python', '--prompt']))[0] ?? '.venv';
  return undefined;
}

/** The files a command reads, writes and removes, or null when that cannot be told. */
export function fileEffects(inv: Invocation): FileEffects | null {
  const a = inv.args;
  if (a.some((x) => x === null)) return null;
  const args = a as string[];
  const operands = () => args.filter((x) => !x.startsWith('-'));
  if (isAptGet(inv) || inv.name === 'apk' || YUM_NAMES.has(inv.name) || inv.name === 'aptitude') {
    // Packages by name only: a path (`./tool.deb`) is part of the tree.
    const local = args.filter(
      (x, k) => !x.startsWith('-') && !/^(-o|-c|-t|--option)$/.test(args[k - 1] ?? '') && !x.includes('::') && /\/|\.(deb|rpm|apk)$/.test(x),
    );
    return { reads: local, writes: [], removes: [] };
  }
  if (cacheCleaned(inv)) return NONE;
  // Package managers' queries and their own settings (in the user's home, not the project).
  const pip = pipArgs(inv);
  if (pip !== null) return PIP_QUERIES.has(pip[0] ?? '') || pip[0]?.startsWith('-') ? NONE : null;
  if (
    /^(node|python\d*(\.\d+)?|go|java|ruby|php|rustc|cargo|npm|yarn|pnpm|gem|bundle|composer|mvn|uv|poetry)$/.test(
      inv.name,
    ) &&
    args.length === 1 &&
    /^(-v|-V|--version|version)$/.test(args[0])
  )
    return NONE;
  if ((inv.name === 'npm' || inv.name === 'pnpm') && args[0] === 'config')
    return args.some((x) => /^--location(=|$)/.test(x) && !x.endsWith('=global') && !x.endsWith('=user'))
      ? null
      : NONE;
  if (inv.name === 'git') return args[0] === 'config' ? NONE : null;
  if (NO_FILES.has(inv.name)) return NONE;
  if (inv.name === 'useradd' || inv.name === 'adduser') {
    const i = args.findIndex((x) => x === '-d' || x === '--home-dir' || x === '--home' || x === '-h');
    return i === -1 ? NONE : writes(args[i + 1] ?? '');
  }
  const venv = venvCreated(inv);
  if (venv !== undefined) return venv === null ? null : writes(venv);
  switch (inv.name) {
    case 'dpkg':
      return { reads: operands(), writes: [], removes: [] };
    case 'mkdir':
    case 'touch':
      return writes(...operands());
    case 'rm':
    case 'rmdir':
      return { reads: [], writes: [], removes: operands() };
    case 'chmod':
    case 'chown':
    case 'chgrp': {
      const [, ...paths] = operands();
      return { reads: paths, writes: paths, removes: [] };
    }
    case 'ln': {
      const ops = operands();
      return ops.length === 2 ? writes(ops[1]) : null;
    }
    case 'cp':
    case 'mv': {
      const ops = operands();
      if (ops.length < 2) return null;
      return {
        reads: ops.slice(0, -1),
        writes: [ops[ops.length - 1]],
        removes: inv.name === 'mv' ? ops.slice(0, -1) : [],
      };
    }
    case 'curl':
    case 'wget': {
      const files = downloadedFiles(inv);
      return files === null ? null : writes(...files);
    }
    default:
      return null;
  }
}

/**
 * Files a command's redirections name (`> /etc/x`, `< list.txt`), read from its source text;
 * `/dev/…` is left out. null when a target is not a plain word.
 */
export function redirectionTargets(
  command: SimpleCommand,
  source: string,
): { reads: string[]; writes: string[] } | null {
  if (!command.hasRedirect) return { reads: [], writes: [] };
  const text = source.slice(command.start, command.end);
  const out = { reads: [] as string[], writes: [] as string[] };
  for (const m of text.matchAll(
    /(?:^|[^<>&\d])(\d?)(>>?|<|&>|>\|)\s*(&\d|"[^"$`]*"|'[^']*'|[^\s;&|<>()"'`$]+|\S+)/g,
  )) {
    const target = m[3].replace(/^["']|["']$/g, '');
    if (target.startsWith('&')) continue;
    if (/[$`]/.test(target)) return null;
    if (target.startsWith('/dev/')) continue;
    (m[2] === '<' ? out.reads : out.writes).push(target);
  }
  return out;
}
