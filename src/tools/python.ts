/**
 * pip (also `python -m pip`), uv, poetry and pipenv: how to recognise them, where their caches live
 * for a RUN, and which manifests an install reads.
 */
import { isSkip, skip } from '../core/transform.js';
import { BuildContext } from '../dockerfile/build-context.js';
import { envPath, inHome, type CachePath, type RunContext } from '../dockerfile/run-context.js';
import type { CacheKind } from './cache-kinds.js';
import { positionals, subcommand, type Invocation } from './command.js';
import {
  needsSource,
  NOTHING,
  optional,
  writesManifest,
  type InstallContext,
  type Manifest,
  type Needs,
} from './manifest-types.js';

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

/** A pip argument or requirement line that names something on disk rather than an index package. */
const LOCAL_REQUIREMENT = /^(\.|\/|~)|\/|\\|\.(whl|zip|tar\.gz|tgz|tar\.bz2|tar)$/;

/** A local package directory's own build reads outside it (`../README.md`, `.git`): it needs the tree. */
function buildReadsOutside(files: InstallContext['files'], dir: string): boolean {
  if (!files) return true;
  // Versions from version control (setuptools-scm, hatch-vcs) read the repository's .git, outside it.
  const outside = /\.\.[/\\]|\bparent\b|setuptools[_-]scm|use_scm_version|hatch-vcs|versioningit|dunamai/;
  return ['setup.py', 'pyproject.toml', 'setup.cfg'].some((f) =>
    outside.test(files.read(`${dir}/${f}`) ?? ''),
  );
}

/**
 * A local package or archive named by a pip argument or requirement line: copied with the
 * manifests (its build leaves `build/` and `*.egg-info` beside its sources), or a Skip.
 */
function localPackage(spec: string, files: InstallContext['files'], where: string): Needs {
  const path = spec
    .replace(/^file:(\/\/)?/, '')
    .replace(/[[;].*$/, '')
    .trim();
  const archive = /\.(whl|zip|tar\.gz|tgz|tar\.bz2|tar)$/.test(path);
  const clean = path.replace(/\/+$/, '') || '/';
  if (clean === '.' || clean === './' || clean === '')
    return needsSource(`${where} installs the project itself and`);
  if (archive) return { manifests: [{ path: clean, required: true }], products: [] };
  if (files !== null && files.hasDir(clean) && buildReadsOutside(files, clean))
    return needsSource(`${where}: the build of \`${clean}\` reads files outside it, so it`);
  return {
    manifests: [{ path: clean, required: true, dir: true }],
    products: [`${clean}/build`, `${clean}/*.egg-info`],
  };
}

/** pip install: the requirement and constraint files (and what they include or name), unless it installs the project. */
export function pipNeeds(args: (string | null)[], ctx: InstallContext, tool = 'pip'): Needs | null {
  const files = ctx.files;
  const rest = args.slice(1);
  const sync = args[0] === 'sync';
  if (args[0] !== 'install' && !sync) return null;
  if (rest.some((x) => x === null)) return null;
  const reqFiles: string[] = [];
  const manifests: Manifest[] = [];
  const products: string[] = [];
  let named = false;
  for (let i = 0; i < rest.length; i++) {
    const x = rest[i]!;
    if (x === '-e' || x === '--editable' || x.startsWith('--editable='))
      return needsSource(`\`${tool} install -e\``);
    if (x === '-r' || x === '--requirement' || x === '-c' || x === '--constraint') {
      reqFiles.push(rest[++i]!);
      continue;
    }
    const eq = /^(?:--requirement|--constraint)=(.*)$/.exec(x) ?? /^-[rc](.+)$/.exec(x);
    if (eq) {
      reqFiles.push(eq[1]);
      continue;
    }
    const long = /^(--[a-z-]+)=(.*)$/.exec(x);
    const option = long ? long[1] : x;
    if (PIP_WITH_VALUE.has(option) || (long && option.startsWith('--'))) {
      const value = long ? long[2] : (rest[++i] ?? '');
      if ((option === '-f' || option === '--find-links') && !/^[a-z+]+:\/\//.test(value)) {
        manifests.push({ path: value.replace(/^file:(\/\/)?/, ''), required: true, dir: true });
      } else if (
        (option === '-t' || option === '--target' || option === '--prefix' || option === '--root') &&
        value
      ) {
        products.push(value);
      } else if (
        (option === '-i' || option === '--index-url' || option === '--extra-index-url') &&
        /^(file:|\.|\/)/.test(value)
      ) {
        return needsSource(`\`${tool} install\` from a local index (\`${value}\`)`);
      }
      continue;
    }
    if (x.startsWith('-')) continue;
    // A positional: a package name reads nothing; a path or archive is part of the tree.
    if (sync) {
      reqFiles.push(x);
      continue;
    }
    if (LOCAL_REQUIREMENT.test(x) || x.startsWith('file:')) {
      const local = localPackage(x, files, `\`${tool} install ${x}\``);
      if (isSkip(local)) return local;
      manifests.push(...local.manifests);
      products.push(...local.products);
      continue;
    }
    named = true;
  }
  // pip's options may also come from the environment (PIP_REQUIREMENT, PIP_CONSTRAINT, PIP_FIND_LINKS).
  for (const [name, list] of [
    ['PIP_CONSTRAINT', reqFiles],
    ['PIP_REQUIREMENT', reqFiles],
  ] as const) {
    const v = ctx.env.get(name);
    if (v === null) return needsSource(`\`${name}\` set from a variable: the install`);
    if (v) list.push(...v.split(/\s+/).filter(Boolean));
  }
  const findLinks = ctx.env.get('PIP_FIND_LINKS');
  if (findLinks && !/^[a-z+]+:\/\//.test(findLinks))
    manifests.push({ path: findLinks, required: true, dir: true });
  if (reqFiles.length === 0 && manifests.length === 0) return named ? { manifests: [], products } : null;
  const seen = new Set<string>();
  const visit = (file: string, depth: number): Needs | null => {
    const n = BuildContext.normalize(file) ?? file;
    if (seen.has(n)) return null;
    seen.add(n);
    manifests.push({ path: file, required: true });
    if (!files || depth > 10 || file.startsWith('/')) return null;
    const text = files.read(n);
    if (text === null) return null;
    if (
      !/\.(txt|in|pip)$/.test(n) &&
      /^(pyproject\.toml|setup\.py|setup\.cfg)$/.test(n.split('/').pop() ?? '')
    )
      return needsSource(`\`${tool} install -r ${n}\` builds the project's metadata and`);
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
      if (/^(-e|--editable)\b/.test(line))
        return needsSource(`\`${n}\` names an editable install (\`${line}\`), so ${tool}`);
      const links = /^(?:-f|--find-links)(?:\s+|=)(\S+)$/.exec(line);
      if (links) {
        if (/^[a-z+]+:\/\//.test(links[1])) continue;
        // pip reads a local --find-links in a file relative to that file when it exists there.
        const dir = links[1].replace(/^file:(\/\/)?/, '');
        const nearFile = base && files.hasDir(base + dir) ? base + dir : dir;
        manifests.push({ path: nearFile, required: true, dir: true });
        continue;
      }
      if (/^(-i|--index-url|--extra-index-url)(\s+|=)(file:|\.|\/)/.test(line))
        return needsSource(`\`${n}\` installs from a local index (\`${line}\`), so ${tool}`);
      if (line.startsWith('-')) continue;
      // `name @ file:///…`, `./pkg`, `wheels/x.whl`: relative to the directory pip runs in.
      const at = /@\s*(file:\S+)/.exec(line);
      const spec = at
        ? at[1]
        : line
            .split(/\s*;/)[0]
            .split(/\s+--hash/)[0]
            .trim();
      if (
        at ||
        (!/^[a-z+]+:\/\//i.test(spec) &&
          !/@/.test(spec) &&
          (LOCAL_REQUIREMENT.test(spec) || spec.startsWith('file:')))
      ) {
        const local = localPackage(spec, files, `\`${n}\` (\`${line}\`)`);
        if (isSkip(local)) return local;
        manifests.push(...local.manifests);
        products.push(...local.products);
      }
    }
    return null;
  };
  // The requirement files first, then what the command line names besides.
  const fromArgs = manifests.splice(0);
  for (const f of reqFiles) {
    const p = visit(f, 0);
    if (p) return p;
  }
  return { manifests: [...manifests, ...fromArgs], products };
}

/** `[tool.poetry…] x = { path = "…" }`, `x @ file://…`, `[tool.uv.sources] x = { path = "…" }`. */
const PATH_DEPENDENCY = /\bpath\s*=\s*["']|@\s*(file:|\{root:uri\})/;

/** The project's virtualenv, when a tool puts it in the project directory. */
function inProjectVenv(ctx: InstallContext, variable: string): string[] {
  const v = ctx.env.get(variable);
  return v && !v.startsWith('/') ? [v] : ['.venv'];
}

/** pipenv, poetry and uv project installs from their manifests; null for other commands. */
export function pythonProjectNeeds(inv: Invocation, ctx: InstallContext): Needs | null {
  const a = inv.args;
  const sub = a.find((x) => x === null || !x.startsWith('-'));
  const files = ctx.files;
  switch (inv.name) {
    case 'pipenv': {
      if (sub !== 'install' && sub !== 'sync') return null;
      if (positionals(a, new Set()).length > 1)
        return writesManifest('`pipenv install <package>`', 'Pipfile');
      if (files && /\b(path|editable)\s*=/.test(files.read('Pipfile') ?? ''))
        return skip('local-dependency', 'the Pipfile installs a package from a local path');
      return {
        manifests: [{ path: 'Pipfile', required: true }, ...optional('Pipfile.lock', '.env')],
        products: ['.venv'],
      };
    }
    case 'poetry': {
      if (sub === 'add' || sub === 'remove' || sub === 'lock' || sub === 'init')
        return writesManifest(`\`poetry ${sub}\``, sub === 'lock' ? 'poetry.lock' : 'pyproject.toml');
      if (sub === 'config')
        return a.includes('--local') ? writesManifest('`poetry config --local`', 'poetry.toml') : NOTHING;
      if (sub === 'self') return NOTHING;
      if (sub !== 'install' && sub !== 'sync') return null;
      if (!a.includes('--no-root'))
        return needsSource(`\`poetry ${sub}\` without \`--no-root\` installs the project itself and`);
      if (!a.includes('--no-directory') && files && PATH_DEPENDENCY.test(files.read('pyproject.toml') ?? ''))
        return skip(
          'local-dependency',
          'pyproject.toml has path dependencies, which `poetry install --no-root` installs from the tree',
        );
      return {
        manifests: [{ path: 'pyproject.toml', required: true }, ...optional('poetry.lock', 'poetry.toml')],
        products: inProjectVenv(ctx, 'POETRY_VIRTUALENVS_PATH'),
      };
    }
    case 'uv': {
      if (sub === 'pip') return pipNeeds(a.slice(1), ctx, 'uv pip');
      if (sub === 'add' || sub === 'remove' || sub === 'lock' || sub === 'init')
        return writesManifest(`\`uv ${sub}\``, sub === 'lock' ? 'uv.lock' : 'pyproject.toml');
      if (sub === 'tool' || sub === 'python') return NOTHING;
      if (sub !== 'sync') return null;
      if (!a.includes('--no-install-project') && !a.includes('--only-dev')) {
        return needsSource('`uv sync` without `--no-install-project` installs the project itself and');
      }
      const pyproject = files?.read('pyproject.toml') ?? '';
      if (/^\s*\[tool\.uv\.workspace\]/m.test(pyproject) && !a.includes('--no-install-workspace'))
        return skip(
          'workspaces',
          'pyproject.toml declares a uv workspace, whose members `uv sync` installs from the tree',
        );
      if (PATH_DEPENDENCY.test(pyproject) && !a.includes('--no-install-local'))
        return skip(
          'local-dependency',
          'pyproject.toml has path sources, which `uv sync --no-install-project` still installs from the tree',
        );
      return {
        manifests: [
          { path: 'pyproject.toml', required: true },
          ...optional('uv.lock', '.python-version', 'uv.toml'),
        ],
        products: inProjectVenv(ctx, 'UV_PROJECT_ENVIRONMENT'),
      };
    }
    case 'pipx':
      return sub === 'install' && !a.some((x) => x !== null && LOCAL_REQUIREMENT.test(x)) ? NOTHING : null;
    default:
      return null;
  }
}
