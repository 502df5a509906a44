/**
 * The one way to read a RUN's shell script: `parseShell(source)` after `initShellParser()`.
 * The plain reader (plain.ts) takes the scripts most RUNs hold; tree-sitter-bash (tree-sitter.ts)
 * takes the rest. Both build the same model (types.ts).
 */
import { parsePlainShell } from './plain.js';
import { isTreeSitterReady, loadTreeSitter, parseWithTreeSitter } from './tree-sitter.js';

/** The tree-sitter reading of any script: the reference the plain reader is checked against. */
export { parseWithTreeSitter };
import type { ShellScript } from './types.js';

export type * from './types.js';
export { shellStateChanges, soleCommand, argValues, commandBase, type StateChange } from './analysis.js';

/** Load the shell parser once. Everything after this is synchronous. */
export function initShellParser(): Promise<void> {
  return loadTreeSitter();
}

export function isShellParserReady(): boolean {
  return isTreeSitterReady();
}

/**
 * Parsed scripts by source text, most recently used last. A file is re-parsed after every change,
 * and many RUNs repeat across a monorepo's files, so most parses are repeats (corpus: 8,595 parses
 * of 3,223 distinct scripts). Scripts are plain data and never mutated, so sharing them is safe.
 */
const recentScripts = new Map<string, ShellScript>();
const RECENT_SCRIPTS_MAX = 512;

export function parseShell(source: string): ShellScript {
  const known = recentScripts.get(source);
  if (known !== undefined) {
    recentScripts.delete(source);
    recentScripts.set(source, known);
    return known;
  }
  const script = parseShellUncached(source);
  recentScripts.set(source, script);
  if (recentScripts.size > RECENT_SCRIPTS_MAX) recentScripts.delete(recentScripts.keys().next().value!);
  return script;
}

function parseShellUncached(source: string): ShellScript {
  if (!isTreeSitterReady()) throw new Error('shell parser used before initShellParser() finished');
  return parsePlainShell(source) ?? parseWithTreeSitter(source);
}
