/**
 * pip (also `python -m pip`), uv, poetry and pipenv: how to recognise them, where their caches live
 * for a RUN, and which manifests an install reads.
 */
import { skip } from '../core/transform.js';
import { BuildContext } from '../dockerfile/build-context.js';
import { envPath, inHome, type CachePath, type RunContext } from '../dockerfile/run-context.js';
import type { CacheKind } from './cache-kinds.js';
import { positionals, subcommand, type Invocation } from './command.js';
import { needsSource, type Manifest, type Needs } from './manifest-types.js';

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

/** Index (into inv.args) of the pip subcommand, or -1. */
export function pipSubcommandIndex(inv: Invocation): number {
  const offset = pipArgs(inv) === inv.args ? 0 : 2;
  const args = inv.args;
  for (let i = offset; i < args.length; i++) {
    const a = args[i];
    if (a === null) return -1;
    if (!a.startsWith('-')) return i;
  }
  return -1;
}

/** pip subcommands that fill the cache. */
export const PIP_CACHING: ReadonlySet<string> = new Set(['install', 'download', 'wheel']);

/** The pip cache a pip command fills, or null when it is not pip. */
export function pipCachesWritten(inv: Invocation): CacheKind[] | null {
  const pip = pipArgs(inv);
  if (pip === null) return null;
  return subcommand(pip) === 'install' && !pip.some(isPipNoCacheOption) ? ['pip-cache'] : [];
}

/** `pip cache purge`/`remove`. */
export function pipCacheCleaned(inv: Invocation): CacheKind | null {
  const pip = pipArgs(inv);
  if (pip === null) return null;
  return pip[0] === 'cache' && (pip[1] === 'purge' || pip[1] === 'remove') ? 'pip-cache' : null;
}

/** Where pip caches for this command: `PIP_CACHE_DIR`, `XDG_CACHE_HOME`, the user's home. */
export function pipCacheDir(ctx: RunContext, inv: Invocation): CachePath {
  if (ctx.env.has('PIP_NO_CACHE_DIR') || inv.command.assignments.includes('PIP_NO_CACHE_DIR')) {
    return skip('cache-disabled-by-env', '`PIP_NO_CACHE_DIR` is set, so pip would not use a cache mount');
  }
  if (inv.command.assignments.some((a) => a === 'PIP_CACHE_DIR' || a === 'HOME' || a === 'XDG_CACHE_HOME')) {
    return skip('cache-path-dynamic', 'the pip command sets its own cache location');
  }
  const xdg = ctx.env.has('XDG_CACHE_HOME') ? envPath(ctx, 'XDG_CACHE_HOME', '') : null;
  const fallback = xdg === null ? inHome('~/.cache/pip', ctx) : typeof xdg === 'string' ? xdg + '/pip' : xdg;
  return envPath(ctx, 'PIP_CACHE_DIR', fallback);
}

/** A tool's cache dir from its variable (`UV_CACHE_DIR`), unless its no-cache variable is set. */
function toolCacheDir(
  ctx: RunContext,
  inv: Invocation,
  envName: string,
  noCacheEnv: string,
  home: string,
): CachePath {
  if (ctx.env.has(noCacheEnv) || inv.command.assignments.includes(noCacheEnv)) {
    return skip('cache-disabled-by-env', `\`${noCacheEnv}\` is set, so ${inv.name} would not use a cache mount`);
  }
  if (inv.command.assignments.includes(envName))
    return skip('cache-path-dynamic', `the command sets \`${envName}\` itself`);
  return envPath(ctx, envName, inHome(home, ctx));
}

/** `uv pip install|sync`, `uv sync`, `uv add`. */
export function uvInstalls(inv: Invocation): boolean {
  const a = inv.args;
  return inv.name === 'uv' && ((a[0] === 'pip' && (a[1] === 'install' || a[1] === 'sync')) || a[0] === 'sync' || a[0] === 'add');
}

export const uvCacheDir = (ctx: RunContext, inv: Invocation): CachePath =>
  toolCacheDir(ctx, inv, 'UV_CACHE_DIR', 'UV_NO_CACHE', '~/.cache/uv');

export const poetryInstalls = (inv: Invocation): boolean => inv.name === 'poetry' && inv.args[0] === 'install';

export const poetryCacheDir = (ctx: RunContext, inv: Invocation): CachePath =>
  toolCacheDir(ctx, inv, 'POETRY_CACHE_DIR', 'POETRY_NO_CACHE', '~/.cache/pypoetry');

/**
 * What poetry caches inside its cache directory: the repository cache (`cache/`) and downloaded
 * distributions (`artifacts/`). Its virtualenvs (`virtualenvs/`, the default place of the installed
 * packages) live there too and are the product: they must stay in the image.
 */
export const POETRY_CACHE_SUBDIRS: readonly string[] = ['cache', 'artifacts'];

/** pip's `--no-cache-dir`, also as the abbreviations pip's option parser accepts (`--no-cache`). */
export function isPipNoCacheOption(word: string | null): boolean {
  return word !== null && word.length >= '--no-cach'.length && '--no-cache-dir'.startsWith(word.replace(/=.*$/, ''));
}

const PIP_WITH_VALUE = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '--trusted-host',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--src',
  '--upgrade-strategy',
  '--progress-bar',
  '--log',
  '--cache-dir',
  '--timeout',
  '--retries',
  '--proxy',
  '--cert',
  '--client-cert',
  '--global-option',
  '--config-settings',
  '-C',
  '--only-binary',
  '--no-binary',
]);

/** pip install: the requirement and constraint files (and those they include), unless it installs from the tree. */
export function pipNeeds(args: (string | null)[], ctx: BuildContext | null): Needs | null {
  if (args[0] !== 'install') return null;
  const rest = args.slice(1);
  if (rest.some((x) => x === null)) return null;
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const x = rest[i]!;
    if (x === '-e' || x === '--editable') return needsSource('`pip install -e`');
    if (x === '-r' || x === '--requirement' || x === '-c' || x === '--constraint') {
      files.push(rest[++i]!);
      continue;
    }
    const eq = /^(--requirement|--constraint)=(.*)$/.exec(x) ?? /^-[rc](.+)$/.exec(x);
    if (eq) {
      files.push(eq[2] ?? eq[1]);
      continue;
    }
    if (PIP_WITH_VALUE.has(x)) {
      if ((x === '-f' || x === '--find-links') && !/^[a-z]+:\/\//.test(rest[i + 1] ?? '')) {
        return needsSource('`pip install --find-links` of a local directory');
      }
      i++;
      continue;
    }
    if (x.startsWith('-')) continue;
    // A positional: a package name is fine; a path or archive is the tree.
    if (/^\.|\/|\.(whl|zip|tar\.gz|tgz)$|^file:/.test(x)) return needsSource(`\`pip install ${x}\``);
  }
  if (files.length === 0) return null;
  const manifests: Manifest[] = [];
  const seen = new Set<string>();
  const visit = (file: string, depth: number): Needs | null => {
    const n = BuildContext.normalize(file);
    if (n === null || seen.has(n)) return null;
    seen.add(n);
    manifests.push({ path: n, required: true });
    if (!ctx || depth > 10) return null;
    const text = ctx.read(n);
    if (text === null) return null;
    const base = n.includes('/') ? n.slice(0, n.lastIndexOf('/') + 1) : '';
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.replace(/(^|\s)#.*$/, '').trim();
      if (!line) continue;
      const inc = /^(?:-r|--requirement|-c|--constraint)(?:\s+|=)?(\S+)$/.exec(line);
      if (inc) {
        const p = visit(base + inc[1], depth + 1);
        if (p) return p;
        continue;
      }
      if (/^(-e|--editable)\b/.test(line) || /^(\.|\/)|^file:|@\s*file:/.test(line)) {
        return needsSource(`\`${n}\` names a local path (\`${line}\`), so pip`);
      }
    }
    return null;
  };
  for (const f of files) {
    const p = visit(f, 0);
    if (p) return p;
  }
  return { manifests };
}

/** pipenv, poetry and uv installs from their manifests; null for other commands. */
export function pythonProjectNeeds(inv: Invocation): Needs | null {
  const a = inv.args;
  const sub = a.find((x) => x === null || !x.startsWith('-'));
  switch (inv.name) {
    case 'pipenv':
      if (sub !== 'install' || positionals(a, new Set()).length > 1) return null;
      return {
        manifests: [
          { path: 'Pipfile', required: true },
          { path: 'Pipfile.lock', required: false },
        ],
      };
    case 'poetry':
      if (sub !== 'install') return null;
      if (!a.includes('--no-root'))
        return needsSource('`poetry install` without `--no-root` installs the project itself and');
      return {
        manifests: [
          { path: 'pyproject.toml', required: true },
          { path: 'poetry.lock', required: false },
          { path: 'poetry.toml', required: false },
        ],
      };
    case 'uv':
      if (sub !== 'sync') return null;
      if (!a.includes('--no-install-project')) {
        return needsSource('`uv sync` without `--no-install-project` installs the project itself and');
      }
      return {
        manifests: [
          { path: 'pyproject.toml', required: true },
          { path: 'uv.lock', required: false },
        ],
      };
    default:
      return null;
  }
}
