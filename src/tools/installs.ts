/** What a dependency install reads from the build context, asked of each tool's module in turn. */
import type { BuildContext } from '../dockerfile/build-context.js';
import type { Invocation } from './command.js';
import { goNeeds } from './go.js';
import type { Needs } from './manifest-types.js';
import { nodeNeeds } from './node.js';
import { otherLanguageNeeds } from './other-languages.js';
import { pipArgs, pipNeeds, pythonProjectNeeds } from './python.js';

export { MANIFEST_SKIPS, type Manifest, type ManifestSkipCode, type Needs } from './manifest-types.js';

/** The manifests one install command reads, a Skip, or null when it is not a known install. */
export function installNeeds(inv: Invocation, ctx: BuildContext | null): Needs | null {
  const pip = pipArgs(inv);
  if (pip !== null) return pipNeeds(pip, ctx);
  return nodeNeeds(inv, ctx) ?? goNeeds(inv, ctx) ?? otherLanguageNeeds(inv, ctx) ?? pythonProjectNeeds(inv);
}
