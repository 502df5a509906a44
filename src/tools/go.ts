/** The go command: which subcommands use the module and build caches, where those live, go.mod. */
import { skip } from '../core/transform.js';
import { envPath, inHome, type CachePath, type RunContext } from '../dockerfile/run-context.js';
import { NOTHING, writesManifest, type InstallContext, type Manifest, type Needs } from './manifest-types.js';
import type { Invocation } from './command.js';

/** Subcommands that build (and so read modules and the build cache). */
export const GO_BUILDS: ReadonlySet<string> = new Set(['build', 'install', 'test', 'run', 'vet', 'generate', 'get', 'list']);
/** A RUN's text that runs Go in a way that needs modules. */
export const GO_COMMAND = /\bgo\s+(mod|build|install|test|run|vet|generate|get|list)\b/;
/** Variables that move Go's caches when a command sets them itself. */
export const GO_CACHE_VARIABLES: readonly string[] = ['GOMODCACHE', 'GOPATH', 'GOCACHE', 'HOME'];

/** `go mod download|tidy|vendor`: fills the module cache. */
export const goFetchesModules = (inv: Invocation): boolean =>
  inv.args[0] === 'mod' && (inv.args[1] === 'download' || inv.args[1] === 'tidy' || inv.args[1] === 'vendor');

export function goModCache(ctx: RunContext): CachePath {
  if (ctx.env.has('GOMODCACHE')) return envPath(ctx, 'GOMODCACHE', '');
  if (ctx.env.has('GOPATH')) {
    const gopath = envPath(ctx, 'GOPATH', '');
    return typeof gopath === 'string' ? gopath.split(':')[0] + '/pkg/mod' : gopath;
  }
  // Go's default is $HOME/go; the golang images set GOPATH=/go (known from the base image's facts).
  return inHome('~/go/pkg/mod', ctx);
}

export function goBuildCache(ctx: RunContext): CachePath {
  if (ctx.env.get('GOCACHE') === 'off')
    return skip('cache-disabled-by-env', '`GOCACHE=off` disables the build cache');
  if (ctx.env.has('GOCACHE')) return envPath(ctx, 'GOCACHE', '');
  if (ctx.env.has('XDG_CACHE_HOME')) {
    const x = envPath(ctx, 'XDG_CACHE_HOME', '');
    return typeof x === 'string' ? x + '/go-build' : x;
  }
  return inHome('~/.cache/go-build', ctx);
}

/**
 * The local directories go.mod replaces modules with, in every form: `replace a => ./x`,
 * `replace a v1.2.3 => ../x`, and the block `replace ( … )`. Paths start with `./`, `../` or `/`.
 */
export function localReplacements(gomod: string): string[] {
  const out: string[] = [];
  let inBlock = false;
  for (const raw of gomod.split(/\r?\n/)) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (inBlock) {
      if (line === ')') inBlock = false;
      else target(line, out);
    } else if (/^replace\s*\($/.test(line)) inBlock = true;
    else if (/^replace\s/.test(line)) target(line, out);
  }
  return out;
}

/** The right side of a replacement, when it is a local directory. */
function target(line: string, out: string[]): void {
  const m = /=>\s*("(?:[^"\\]|\\.)*"|`[^`]*`|\S+)/.exec(line);
  if (!m) return;
  const p = m[1].replace(/^["`]|["`]$/g, '');
  if (/^(\.{1,2}(\/|\\|$)|\/)/.test(p)) out.push(p);
}

/**
 * `go mod download` reads go.mod and go.sum, and the go.mod of each local directory go.mod
 * replaces a module with; `go get`/`go mod tidy` change go.mod; `go install pkg@version` reads
 * nothing of the project. Null for other commands.
 */
export function goNeeds(inv: Invocation, ctx: InstallContext): Needs | null {
  if (inv.name !== 'go') return null;
  const [sub, action] = inv.args;
  if (sub === 'install' && inv.args.slice(1).some((x) => x !== null && /@[^/]+$/.test(x))) return NOTHING;
  if (sub === 'get' || (sub === 'mod' && (action === 'tidy' || action === 'edit' || action === 'init')))
    return writesManifest(`\`go ${inv.args.slice(0, sub === 'mod' ? 2 : 1).join(' ')}\``, 'go.mod');
  if (sub !== 'mod' || action !== 'download') return null;
  const files = ctx.files;
  if (files?.hasFile('go.work') && ctx.env.get('GOWORK') !== 'off')
    return skip(
      'workspaces',
      'go.work makes `go mod download` read the go.mod of every module it uses, in the tree',
    );
  const manifests: Manifest[] = [
    { path: 'go.mod', required: true },
    { path: 'go.sum', required: false },
  ];
  for (const dir of localReplacements(files?.read('go.mod') ?? '')) {
    manifests.push({ path: `${dir.replace(/[/\\]+$/, '')}/go.mod`, required: true });
  }
  return { manifests, products: [] };
}
