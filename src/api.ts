/**
 * Fixing a Dockerfile's text with the built-in transforms (or the ones given): the engine, the
 * registry and the disk-backed build context put together. The command line and the public API
 * both go through here.
 */
import path from 'node:path';
import { runPipeline, selectTransforms, type FixResult, type PipelineOptions } from './core/engine.js';
import { initShellParser } from './shell/index.js';
import { openBuildContext, type RunCache } from './disk/build-context.js';
import { inferContexts } from './cli/contexts.js';
import type { BuildContextSource } from './core/file-tree.js';
import type { Transform } from './core/transform.js';
import { builtinTransforms } from '../transforms/index.js';

export interface FixOptions extends Omit<PipelineOptions, 'buildContext'> {
  /** Run only these transform ids. */
  only?: readonly string[];
  /** Do not run these transform ids. */
  skip?: readonly string[];
  /** Transforms to use instead of the built-in registry. */
  transforms?: readonly Transform[];
  /**
   * The build context: given as a read-only tree (e.g. memoryFileTree), or null for "unknown".
   * When absent, it is read from the disk: `contextDir`, else the directory of `filePath`.
   */
  buildContext?: BuildContextSource | null;
  /** The build context directory; default: the directory of `filePath`. */
  contextDir?: string | null;
  /** How contextDir was chosen, for reports (default: given). */
  contextOrigin?: string;
  /**
   * Without `contextDir`, look for the contexts the repository's compose, bake, CI, Makefile and
   * script files build `filePath` with (default true); none found: the file's directory.
   */
  inferContexts?: boolean;
  /** Where to look for those files when `filePath` is not in a git repository (default: its directory). */
  projectRoot?: string | null;
  /** Share file-system reads with the other files of a run (clear it after writing files). */
  runCache?: RunCache | null;
}

/** Selections by transform list and settings: the files of a run share a handful of them. */
const selections = new WeakMap<readonly Transform[], Map<string, Transform[]>>();

/** The built-in transforms (or `options.transforms`) that this mode and --only/--skip select. */
export function transformsFor(options: FixOptions): Transform[] {
  const all = options.transforms ?? builtinTransforms;
  const key = JSON.stringify([options.mode ?? 'buildkit', options.only ?? [], options.skip ?? []]);
  let byKey = selections.get(all);
  if (!byKey) selections.set(all, (byKey = new Map()));
  let selected = byKey.get(key);
  if (!selected) byKey.set(key, (selected = selectTransforms(all, options)));
  return selected;
}

export async function fixText(input: string, options: FixOptions = {}): Promise<FixResult> {
  await initShellParser();
  return fixTextSync(input, options);
}

/** fixText, once initShellParser() has resolved. */
export function fixTextSync(input: string, options: FixOptions = {}): FixResult {
  const transforms = transformsFor(options);
  if (options.buildContext !== undefined) return runPipeline(input, transforms, options);
  // Read from the disk (and infer) only when a transform asks: most files never do.
  return runPipeline(input, transforms, { ...options, buildContexts: () => buildContextsFor(options) });
}

/** The build contexts a fix is checked against (none when not known), each with its origin. */
export function buildContextsFor(options: FixOptions): BuildContextSource[] {
  if (options.buildContext !== undefined) return options.buildContext ? [options.buildContext] : [];
  const file = options.filePath ?? null;
  const cache = options.runCache ?? null;
  const open = (dir: string, origin: string) => openBuildContext(dir, file, origin, cache);
  if (options.contextDir)
    return [open(options.contextDir, options.contextOrigin ?? 'given')].filter(isSource);
  if (!file) return [];
  if (options.inferContexts !== false) {
    const inferred = inferContexts(file, options.projectRoot ?? null, cache)
      .map((c) => open(c.dir, c.origin))
      .filter(isSource);
    if (inferred.length > 0) return inferred;
  }
  return [open(path.dirname(file), "the Dockerfile's directory (default)")].filter(isSource);
}

const isSource = (s: BuildContextSource | null): s is BuildContextSource => s !== null;
