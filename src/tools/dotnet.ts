/**
 * dotnet: which commands restore NuGet packages, and where the global packages folder lives
 * (`NUGET_PACKAGES`, else `~/.nuget/packages`). Restored packages are read by every later
 * `dotnet build`/`publish`/`test` of the project, and by `dotnet run` in the container.
 */
import { skip } from '../core/transform.js';
import { envPath, inHome, type CachePath, type RunContext } from '../dockerfile/run-context.js';
import { mayBeAnyOption, type Invocation } from './command.js';

/** Subcommands that restore packages (implicitly, unless `--no-restore`) or read them. */
const USES_PACKAGES = new Set(['restore', 'build', 'publish', 'test', 'pack', 'run']);

export const DOTNET_COMMAND = /\bdotnet\s+(restore|build|publish|test|pack|run)\b/;

export function nugetPackages(inv: Invocation, ctx: RunContext): CachePath | null {
  if (inv.name !== 'dotnet' || !USES_PACKAGES.has(inv.args[0] ?? '')) return null;
  if (inv.command.assignments.some((a) => a === 'NUGET_PACKAGES' || a === 'HOME'))
    return skip('cache-path-dynamic', 'the dotnet command sets NUGET_PACKAGES or HOME itself');
  if (mayBeAnyOption(inv) || inv.args.some((a) => a !== null && (a === '--packages' || a.startsWith('--packages=') || a === '--configfile')))
    return skip('cache-path-dynamic', 'the dotnet command names its own packages folder or NuGet config');
  return envPath(ctx, 'NUGET_PACKAGES', inHome('~/.nuget/packages', ctx));
}
