/**
 * What a dependency install reads from the build context, asked of each tool's module in turn, and
 * which commands count as dependency installs at all.
 */
import type { Invocation } from './command.js';
import { positionals, subcommand } from './command.js';
import { goNeeds } from './go.js';
import type { InstallContext, Needs } from './manifest-types.js';
import { nodeNeeds, NPM_INSTALLS, yarnInstalls } from './node.js';
import { otherLanguageNeeds } from './other-languages.js';
import { pipArgs, pipNeeds, pythonProjectNeeds } from './python.js';

export {
  MANIFEST_SKIPS,
  type InstallContext,
  type InstallNeeds,
  type Manifest,
  type ManifestSkipCode,
  type Needs,
} from './manifest-types.js';

/**
 * The manifests one command reads and the paths it leaves in its directory, a Skip when it needs
 * more than manifests (or changes one), or null when it is not a package-manager command known here.
 */
export function installNeeds(inv: Invocation, ctx: InstallContext): Needs | null {
  const pip = pipArgs(inv);
  if (pip !== null) return pipNeeds(pip, ctx);
  return (
    nodeNeeds(inv, ctx) ?? goNeeds(inv, ctx) ?? otherLanguageNeeds(inv, ctx) ?? pythonProjectNeeds(inv, ctx)
  );
}

/**
 * A command that installs dependencies: what makes a `COPY . .` before it a candidate for copying
 * the manifests first (builds such as `go build` or `mvn package` compile the source instead).
 */
export function isDependencyInstall(inv: Invocation): boolean {
  const a = inv.args;
  const pip = pipArgs(inv);
  if (pip !== null) return subcommand(pip) === 'install';
  const sub = positionals(a, new Set())[0];
  switch (inv.name) {
    case 'npm':
      return sub !== null && sub !== undefined && NPM_INSTALLS.has(sub);
    case 'yarn':
      return yarnInstalls(inv) || (sub === 'global' && a.includes('add'));
    case 'pnpm':
      return sub === 'install' || sub === 'i' || sub === 'add' || sub === 'fetch';
    case 'pipenv':
      return sub === 'install' || sub === 'sync';
    case 'poetry':
      return sub === 'install' || sub === 'sync';
    case 'uv':
      return sub === 'sync' || (sub === 'pip' && (a[1] === 'install' || a[1] === 'sync'));
    case 'pipx':
    case 'gem':
      return sub === 'install';
    case 'go':
      return a[0] === 'mod' && a[1] === 'download';
    case 'bundle':
    case 'bundler':
      return sub === 'install' || sub === undefined;
    case 'composer':
      return sub === 'install';
    case 'mvn':
    case 'mvnw':
      return a.some(
        (x) => x !== null && /(^|:)(go-offline|resolve|resolve-plugins|resolve-dependencies)$/.test(x),
      );
    case 'cargo':
      return sub === 'fetch';
    default:
      return false;
  }
}
