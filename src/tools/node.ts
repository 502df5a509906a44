/**
 * npm, yarn and pnpm: how to recognise their installs, where their caches live for a RUN, and
 * which manifests an install reads (and when it needs the tree: lifecycle scripts, workspaces,
 * local dependencies).
 */
import type { DockerfileModel } from '../core/model.js';
import { skip } from '../core/transform.js';
import type { BuildContext } from '../dockerfile/build-context.js';
import { envPath, inHome, type CachePath, type RunContext } from '../dockerfile/run-context.js';
import type { CacheKind } from './cache-kinds.js';
import { positionalIndex, positionals, subcommand, type Invocation } from './command.js';
import type { Manifest, Needs } from './manifest-types.js';

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

/** npm/yarn/pnpm installs from manifests; null for other commands. */
export function nodeNeeds(inv: Invocation, ctx: BuildContext | null): Needs | null {
  const a = inv.args;
  const sub = a.find((x) => x === null || !x.startsWith('-'));
  switch (inv.name) {
    case 'npm':
      if (sub !== 'ci' && sub !== 'install' && sub !== 'i') return null;
      if (positionals(a, new Set()).length > 1) return null; // `npm install pkg`: not a manifest install
      return packageJsonNeeds(ctx, [
        { path: 'package.json', required: true },
        { path: 'package-lock.json', required: false },
        { path: 'npm-shrinkwrap.json', required: false },
        { path: '.npmrc', required: false },
      ]);
    case 'yarn':
      if (!yarnInstalls(inv) || sub === 'add') return null;
      return packageJsonNeeds(ctx, [
        { path: 'package.json', required: true },
        { path: 'yarn.lock', required: false },
        { path: '.yarnrc.yml', required: false },
        { path: '.yarnrc', required: false },
        { path: '.npmrc', required: false },
        { path: '.yarn', required: false, dir: true },
      ]);
    case 'pnpm':
      if (sub !== 'install' && sub !== 'i' && sub !== 'fetch') return null;
      if (ctx?.hasFile('pnpm-workspace.yaml'))
        return skip('workspaces', 'pnpm-workspace.yaml declares workspaces, whose manifests live in the tree');
      return packageJsonNeeds(ctx, [
        { path: 'package.json', required: sub !== 'fetch' },
        { path: 'pnpm-lock.yaml', required: sub === 'fetch' },
        { path: '.pnpmfile.cjs', required: false },
        { path: '.npmrc', required: false },
        { path: 'patches', required: false, dir: true },
      ]);
    default:
      return null;
  }
}

/** Lifecycle scripts, workspaces and local dependencies need the tree. */
function packageJsonNeeds(ctx: BuildContext | null, manifests: Manifest[]): Needs {
  const text = ctx?.read('package.json');
  if (text) {
    let pkg: Record<string, unknown>;
    try {
      pkg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return skip('manifest-unreadable', 'package.json is not valid JSON');
    }
    const scripts = (pkg.scripts ?? {}) as Record<string, unknown>;
    const hooks = ['preinstall', 'install', 'postinstall', 'prepare'].filter((h) => h in scripts);
    if (hooks.length > 0) {
      return skip(
        'lifecycle-scripts',
        `package.json has \`${hooks.join('`, `')}\` scripts, which run during the install and may read the tree`,
      );
    }
    if (pkg.workspaces)
      return skip('workspaces', 'package.json declares workspaces, whose manifests live in the tree');
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      for (const [name, spec] of Object.entries((pkg[field] ?? {}) as Record<string, unknown>)) {
        if (typeof spec === 'string' && /^(file:|link:|portal:|\.{1,2}\/)/.test(spec)) {
          return skip('local-dependency', `package.json depends on \`${name}\` from a local path (\`${spec}\`)`);
        }
      }
    }
  }
  return { manifests };
}
