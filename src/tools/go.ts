/** The go command: which subcommands use the module and build caches, where those live, go.mod. */
import { skip } from '../core/transform.js';
import type { BuildContext } from '../dockerfile/build-context.js';
import { envPath, inHome, type CachePath, type RunContext } from '../dockerfile/run-context.js';
import { needsSource, type Needs } from './manifest-types.js';
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
  if (ctx.env.get('GOCACHE') === 'off') return skip('cache-disabled-by-env', '`GOCACHE=off` disables the build cache');
  if (ctx.env.has('GOCACHE')) return envPath(ctx, 'GOCACHE', '');
  if (ctx.env.has('XDG_CACHE_HOME')) {
    const x = envPath(ctx, 'XDG_CACHE_HOME', '');
    return typeof x === 'string' ? x + '/go-build' : x;
  }
  return inHome('~/.cache/go-build', ctx);
}

/** `go mod download` reads go.mod and go.sum, unless go.mod replaces a module with a local directory. */
export function goNeeds(inv: Invocation, ctx: BuildContext | null): Needs | null {
  if (inv.name !== 'go' || inv.args[0] !== 'mod' || inv.args[1] !== 'download') return null;
  if (ctx && /^\s*replace\s.*=>\s*\.{1,2}\//m.test(ctx.read('go.mod') ?? '')) {
    return needsSource('go.mod replaces a module with a local directory; `go mod download`');
  }
  return {
    manifests: [
      { path: 'go.mod', required: true },
      { path: 'go.sum', required: false },
    ],
  };
}
