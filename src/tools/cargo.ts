/**
 * Cargo: which commands fetch crates, and where the registry and git caches live for a RUN
 * (`$CARGO_HOME/registry`, `$CARGO_HOME/git`; the rust images set CARGO_HOME=/usr/local/cargo).
 * The crate sources there are read by every later build; the build's `target/` is its product
 * and is never a cache here.
 */
import { skip } from '../core/transform.js';
import { envPath, inHome, type CachePath, type RunContext } from '../dockerfile/run-context.js';
import type { Invocation } from './command.js';

/** Subcommands that fetch or read crates (aliases included). */
const FETCHING = new Set([
  'build', 'b', 'check', 'c', 'run', 'r', 'test', 't', 'bench', 'doc', 'd', 'fetch', 'install', 'update',
  'generate-lockfile', 'vendor', 'clippy', 'rustc', 'package', 'publish', 'tree', 'metadata', 'fix',
  // cargo-chef: `cook` fetches and builds the dependencies, `prepare` reads their metadata.
  'chef',
]);

export const CARGO_COMMAND = /\bcargo\s/;

/** The registry and git caches a cargo command uses, or null when it fetches nothing. */
export function cargoCaches(inv: Invocation, ctx: RunContext): { label: string; target: CachePath }[] | null {
  if (inv.name !== 'cargo') return null;
  const sub = inv.args.find((a) => a === null || !a.startsWith('-') || /^\+/.test(a));
  const real = sub?.startsWith('+') ? inv.args[inv.args.indexOf(sub) + 1] : sub;
  if (real === undefined || real === null || !FETCHING.has(real)) return null;
  if (inv.command.assignments.some((a) => a === 'CARGO_HOME' || a === 'HOME'))
    return [{ label: 'the Cargo registry', target: skip('cache-path-dynamic', 'the cargo command sets CARGO_HOME or HOME itself') }];
  const home = envPath(ctx, 'CARGO_HOME', inHome('~/.cargo', ctx));
  if (typeof home !== 'string') return [{ label: 'the Cargo registry', target: home }];
  return [
    { label: 'the Cargo registry', target: `${home}/registry` },
    { label: 'the Cargo git checkouts', target: `${home}/git` },
  ];
}

export const cargoOffline = (inv: Invocation): boolean =>
  inv.name === 'cargo' && inv.args.some((a) => a === '--offline' || a === '--frozen');
