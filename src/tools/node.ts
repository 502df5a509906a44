/**
 * npm, yarn and pnpm: how to recognise their installs, where their caches live for a RUN, and
 * which manifests an install reads (and when it needs the tree: lifecycle scripts, workspaces,
 * local dependencies).
 */
import type { DockerfileModel } from '../core/model.js';
import { isSkip, skip } from '../core/transform.js';
import { envPath, inHome, type CachePath, type RunContext } from '../dockerfile/run-context.js';
import type { CacheKind } from './cache-kinds.js';
import { optionValue, positionalIndex, positionals, subcommand, type Invocation } from './command.js';
import {
  needsSource,
  NOTHING,
  optional,
  writesManifest,
  type InstallContext,
  type InstallNeeds,
  type Manifest,
  type Needs,
} from './manifest-types.js';

/** npm subcommands that fill the npm cache (aliases and common typos npm accepts included). */
const NPM_FETCHES = new Set([
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
/** npm subcommands that get a cache mount. */
export const NPM_INSTALLS: ReadonlySet<string> = new Set(['ci', 'install', 'i', 'add', 'install-clean', 'isntall', 'in']);
export const YARN_INSTALLS: ReadonlySet<string> = new Set(['install', 'add']);
export const PNPM_INSTALLS: ReadonlySet<string> = new Set(['install', 'i', 'add', 'fetch']);

/** Options that make a bare `yarn` print something instead of installing. */
const YARN_INFO_FLAGS = new Set(['--version', '-v', '--help', '-h']);

/** `yarn`, `yarn install`, `yarn add …` (yarn 1): not `yarn --version`. */
export function yarnInstalls(inv: Invocation): boolean {
  if (inv.name !== 'yarn') return false;
  const sub = nodeSubcommand(inv);
  if (sub === undefined) return !inv.args.some((a) => a !== null && YARN_INFO_FLAGS.has(a));
  return sub !== null && YARN_INSTALLS.has(sub);
}

/** The subcommand: a literal, null when dynamic, undefined when there is none (bare `yarn`). */
export function nodeSubcommand(inv: Invocation): string | null | undefined {
  const i = positionalIndex(inv.args);
  return i === -1 ? undefined : inv.args[i];
}

export function nodeCachesWritten(inv: Invocation): CacheKind[] | null {
  if (inv.name === 'npm') return NPM_FETCHES.has(subcommand(inv.args) ?? '') ? ['npm-cache'] : [];
  if (inv.name === 'yarn') return yarnInstalls(inv) ? ['yarn-cache'] : [];
  return null;
}

/** `npm cache clean`, `yarn cache clean`. */
export function nodeCacheCleaned(inv: Invocation): CacheKind | null {
  if (inv.name === 'npm' && inv.args[0] === 'cache' && inv.args[1] === 'clean') return 'npm-cache';
  if (inv.name === 'yarn' && inv.args[0] === 'cache' && inv.args[1] === 'clean') return 'yarn-cache';
  return null;
}

export function npmCacheDir(ctx: RunContext, inv: Invocation): CachePath {
  for (const name of ['npm_config_cache', 'NPM_CONFIG_CACHE']) {
    if (inv.command.assignments.includes(name))
      return skip('cache-path-dynamic', `the command sets \`${name}\` itself`);
    if (ctx.env.has(name)) return envPath(ctx, name, '');
  }
  if (inv.args.some((a) => a !== null && (a === '--cache' || a.startsWith('--cache=')))) {
    return skip('cache-path-dynamic', 'the command passes its own `--cache` directory');
  }
  return inHome('~/.npm', ctx);
}

/** The file sets up Yarn 2+, whose cache is per project (and may be the install itself). */
export function usesYarnBerry(model: DockerfileModel): boolean {
  return /\bcorepack\b|yarn set version|\.yarnrc\.yml|YARN_ENABLE_GLOBAL_CACHE/.test(model.text);
}

export function yarnCacheDir(ctx: RunContext, inv: Invocation, model: DockerfileModel): CachePath {
  if (usesYarnBerry(model)) {
    return skip(
      'yarn-berry',
      'the file sets up Yarn 2+ (corepack, `yarn set version` or `.yarnrc.yml`), whose cache is per project',
    );
  }
  if (inv.command.assignments.includes('YARN_CACHE_FOLDER'))
    return skip('cache-path-dynamic', 'the command sets `YARN_CACHE_FOLDER` itself');
  if (inv.args.some((a) => a !== null && a.startsWith('--cache-folder'))) {
    return skip('cache-path-dynamic', 'the command passes its own `--cache-folder`');
  }
  if (ctx.env.has('YARN_CACHE_FOLDER')) return envPath(ctx, 'YARN_CACHE_FOLDER', '');
  // Yarn 1 keeps root's cache under /usr/local/share, everyone else's under ~/.cache/yarn.
  return ctx.user.root && !ctx.env.has('HOME') ? '/usr/local/share/.cache/yarn' : inHome('~/.cache/yarn', ctx);
}

export function pnpmStoreDir(ctx: RunContext, inv: Invocation): CachePath {
  if (inv.args.some((a) => a !== null && a.startsWith('--store-dir'))) {
    return skip('cache-path-dynamic', 'the command passes its own `--store-dir`');
  }
  if (ctx.env.has('npm_config_store_dir')) return envPath(ctx, 'npm_config_store_dir', '');
  if (ctx.env.has('PNPM_HOME')) {
    const home = envPath(ctx, 'PNPM_HOME', '');
    return typeof home === 'string' ? home + '/store' : home;
  }
  if (ctx.env.has('XDG_DATA_HOME')) {
    const d = envPath(ctx, 'XDG_DATA_HOME', '');
    return typeof d === 'string' ? d + '/pnpm/store' : d;
  }
  return inHome('~/.local/share/pnpm/store', ctx);
}

/** npm options that take a value (so that it is not read as the subcommand or a package). */
const NPM_WITH_VALUE: ReadonlySet<string> = new Set([
  '--prefix',
  '-C',
  '--cache',
  '--registry',
  '--userconfig',
  '--globalconfig',
  '--loglevel',
  '--omit',
  '--include',
  '--location',
  '--install-strategy',
  '-w',
  '--workspace',
  '--tag',
  '--before',
]);
const YARN_WITH_VALUE: ReadonlySet<string> = new Set([
  '--cwd',
  '--modules-folder',
  '--cache-folder',
  '--network-timeout',
  '--mutex',
  '--registry',
]);
const PNPM_WITH_VALUE: ReadonlySet<string> = new Set([
  '-C',
  '--dir',
  '--filter',
  '-F',
  '--store-dir',
  '--reporter',
]);

/**
 * Scripts of the project itself that npm (`ci`, `install`), yarn and pnpm run on an install without
 * package arguments (npm's "Life Cycle Operation Order"; pnpm's `pnpm:devPreinstall`).
 */
export const INSTALL_LIFECYCLE_SCRIPTS: readonly string[] = [
  'preinstall',
  'install',
  'postinstall',
  'prepublish',
  'preprepare',
  'prepare',
  'postprepare',
  'pnpm:devPreinstall',
];

/** A dependency spec that installs from the tree: `file:`, `link:`, `portal:`, a path, a local tarball. */
const LOCAL_SPEC = /^(file:|link:|portal:|git\+file:|\.{1,2}(\/|$)|\/|~\/)|^[^:]*\.(tgz|tar\.gz|tar)$/;

const hasAny = (args: readonly (string | null)[], ...names: string[]) =>
  args.some((a) => a !== null && names.some((n) => a === n || a.startsWith(n + '=')));

/** npm/yarn/pnpm (and corepack) as installs: their manifests, a Skip, or null for other commands. */
export function nodeNeeds(inv: Invocation, ctx: InstallContext): Needs | null {
  const a = inv.args;
  switch (inv.name) {
    case 'npm': {
      const pos = positionals(a, NPM_WITH_VALUE);
      const sub = pos[0];
      if (sub === 'init' || sub === 'create') return writesManifest(`\`npm ${sub}\``, 'package.json');
      if (sub === undefined || sub === null || !NPM_INSTALLS.has(sub)) return null;
      const global =
        hasAny(a, '-g', '--global') || a.some((x) => x === '--location=global') || locationGlobal(a);
      if (global) return pos.length > 1 ? NOTHING : needsSource('`npm install -g` of the project itself');
      if (pos.length > 1 && !hasAny(a, '--no-save'))
        return writesManifest('`npm install <package>`', 'package.json');
      const noLock = hasAny(a, '--no-package-lock');
      const manifests: Manifest[] = [
        { path: 'package.json', required: true },
        ...optional(...(noLock ? [] : ['package-lock.json', 'npm-shrinkwrap.json']), '.npmrc'),
      ];
      return withPrefix(
        optionValue(a, '--prefix', '-C'),
        packageJsonNeeds(ctx, 'npm', a, manifests, ['node_modules']),
      );
    }
    case 'yarn': {
      const pos = positionals(a, YARN_WITH_VALUE);
      const sub = pos[0];
      if (sub === 'global') return pos[1] === 'add' ? NOTHING : null;
      if (sub === 'add') return writesManifest('`yarn add`', 'package.json');
      if (sub === 'init') return writesManifest('`yarn init`', 'package.json');
      // Not `yarn --version` (a bare `yarn` installs).
      if (sub === undefined ? !yarnInstalls(inv) : sub !== 'install') return null;
      const manifests: Manifest[] = [
        { path: 'package.json', required: true },
        ...optional('yarn.lock', '.yarnrc.yml', '.yarnrc', '.npmrc'),
        { path: '.yarn', required: false, dir: true },
      ];
      const products = [
        'node_modules',
        '.pnp.cjs',
        '.pnp.loader.mjs',
        '.pnp.data.json',
        '.yarn/install-state.gz',
        '.yarn/unplugged',
      ];
      const needs = packageJsonNeeds(ctx, 'yarn', a, manifests, products);
      return withPrefix(optionValue(a, '--cwd'), isSkip(needs) ? needs : yarnrcNeeds(ctx, needs));
    }
    case 'pnpm': {
      const pos = positionals(a, PNPM_WITH_VALUE);
      const sub = pos[0];
      const global = hasAny(a, '-g', '--global');
      if (sub === 'add') return global ? NOTHING : writesManifest('`pnpm add`', 'package.json');
      if (sub === 'init') return writesManifest('`pnpm init`', 'package.json');
      if (sub !== 'install' && sub !== 'i' && sub !== 'fetch') return null;
      if (global) return pos.length > 1 ? NOTHING : needsSource('`pnpm install -g` of the project itself');
      const workspace = ctx.files?.read('pnpm-workspace.yaml') ?? null;
      const declaresPackages = workspace !== null && /^packages\s*:/m.test(workspace);
      const common = optional('pnpm-workspace.yaml', '.pnpmfile.cjs', '.npmrc');
      const dir = optionValue(a, '--dir', '-C');
      if (sub === 'fetch') {
        // `pnpm fetch` reads only the lock file (it is made for this very layer), workspaces too.
        return withPrefix(dir, {
          manifests: [
            { path: 'pnpm-lock.yaml', required: true },
            ...common,
            { path: 'patches', required: false, dir: true },
          ],
          products: [],
        });
      }
      if (declaresPackages)
        return skip(
          'workspaces',
          'pnpm-workspace.yaml declares workspace packages, whose manifests live in the tree',
        );
      const manifests: Manifest[] = [
        { path: 'package.json', required: true },
        ...optional('pnpm-lock.yaml'),
        ...common,
        { path: 'patches', required: false, dir: true },
      ];
      return withPrefix(dir, packageJsonNeeds(ctx, 'pnpm', a, manifests, ['node_modules']));
    }
    case 'corepack': {
      const sub = a[0];
      if (sub === 'enable' || sub === 'disable') return NOTHING;
      // `corepack prepare`/`install` without a version reads `packageManager` from package.json.
      if (sub === 'prepare' || sub === 'install' || sub === 'use') {
        const specs = positionals(a.slice(1), new Set());
        if (specs.length > 0 || hasAny(a, '-g', '--global'))
          return sub === 'use' ? writesManifest('`corepack use`', 'package.json') : NOTHING;
        return { manifests: [{ path: 'package.json', required: true }], products: [] };
      }
      return null;
    }
    default:
      return null;
  }
}

function locationGlobal(a: readonly (string | null)[]): boolean {
  const i = a.indexOf('--location');
  return i !== -1 && a[i + 1] === 'global';
}

/** Manifests of a project in another directory (`npm --prefix dir`, `yarn --cwd dir`). */
function withPrefix(dir: string | null | undefined, needs: Needs): Needs {
  if (dir === undefined || isSkip(needs)) return needs;
  if (dir === null) return needsSource('an install into a directory given by a variable');
  const join = (p: string) => (p.startsWith('/') ? p : `${dir.replace(/\/+$/, '')}/${p}`);
  return {
    manifests: needs.manifests.map((m) => ({ ...m, path: join(m.path) })),
    products: needs.products.map(join),
  };
}

/** The install runs the project's own scripts unless told not to (flag, ENV or .npmrc/.yarnrc). */
function scriptsIgnored(ctx: InstallContext, args: readonly (string | null)[]): boolean {
  if (hasAny(args, '--ignore-scripts')) return true;
  const env = ctx.env.get('npm_config_ignore_scripts') ?? ctx.env.get('NPM_CONFIG_IGNORE_SCRIPTS');
  if (env === 'true' || env === '1') return true;
  return /^\s*ignore-scripts\s*[=\s]\s*"?true"?\s*$/m.test(
    (ctx.files?.read('.npmrc') ?? '') + '\n' + (ctx.files?.read('.yarnrc') ?? ''),
  );
}

/** Lifecycle scripts, workspaces and local dependencies need the tree. */
function packageJsonNeeds(
  ctx: InstallContext,
  tool: string,
  args: readonly (string | null)[],
  manifests: Manifest[],
  products: string[],
): Needs {
  const text = ctx.files?.read('package.json');
  if (text) {
    let pkg: Record<string, unknown>;
    try {
      pkg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return skip('manifest-unreadable', 'package.json is not valid JSON');
    }
    if (!scriptsIgnored(ctx, args)) {
      const scripts = (pkg.scripts ?? {}) as Record<string, unknown>;
      const hooks = INSTALL_LIFECYCLE_SCRIPTS.filter((h) => h in scripts);
      if (hooks.length > 0) {
        return skip(
          'lifecycle-scripts',
          `package.json has \`${hooks.join('`, `')}\` scripts, which \`${tool}\` runs during the install and which may read the tree`,
        );
      }
      // Without its own install script, a package with binding.gyp is built by node-gyp on install.
      if (ctx.files?.hasFile('binding.gyp'))
        return skip(
          'lifecycle-scripts',
          `binding.gyp makes \`${tool}\` build the project's native addon (node-gyp) during the install`,
        );
    }
    if (pkg.workspaces)
      return skip('workspaces', 'package.json declares workspaces, whose manifests live in the tree');
    for (const field of [
      'dependencies',
      'devDependencies',
      'optionalDependencies',
      'peerDependencies',
      'overrides',
      'resolutions',
    ]) {
      for (const [name, spec] of Object.entries((pkg[field] ?? {}) as Record<string, unknown>)) {
        if (typeof spec === 'string' && LOCAL_SPEC.test(spec)) {
          return skip(
            'local-dependency',
            `package.json depends on \`${name}\` from a local path (\`${spec}\`)`,
          );
        }
      }
    }
    // pnpm's patched dependencies name their patch files.
    const patched = ((pkg.pnpm ?? {}) as Record<string, unknown>).patchedDependencies;
    for (const file of Object.values((patched ?? {}) as Record<string, unknown>)) {
      if (typeof file === 'string') manifests = [...manifests, { path: file, required: true }];
    }
  }
  return { manifests, products };
}

/** Yarn 1's offline mirror and Yarn 2+'s `yarnPath` name files the install reads. */
function yarnrcNeeds(ctx: InstallContext, needs: InstallNeeds): Needs {
  const extra: Manifest[] = [];
  const mirror = /^\s*yarn-offline-mirror\s+"?([^"\s]+)"?/m.exec(ctx.files?.read('.yarnrc') ?? '');
  if (mirror) extra.push({ path: mirror[1], required: true, dir: true });
  const yarnPath = /^\s*yarnPath\s*:\s*["']?([^"'\s]+)/m.exec(ctx.files?.read('.yarnrc.yml') ?? '');
  if (yarnPath && !yarnPath[1].startsWith('.yarn/')) extra.push({ path: yarnPath[1], required: true });
  return extra.length === 0 ? needs : { ...needs, manifests: [...needs.manifests, ...extra] };
}
