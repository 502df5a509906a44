/**
 * Fixing a Dockerfile's text with the built-in transforms (or the ones given): the engine, the
 * registry and the disk-backed build context put together. The command line and the public API
 * both go through here.
 */
import path from 'node:path';
import { runPipeline, selectTransforms, type FixResult, type PipelineOptions } from './core/engine.js';
import { initShellParser } from './shell/index.js';
import { openBuildContext, type RunCache } from './disk/build-context.js';
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
  /** Share file-system reads with the other files of a run (clear it after writing files). */
  runCache?: RunCache | null;
}

/** The built-in transforms (or `options.transforms`) that this mode and --only/--skip select. */
export function transformsFor(options: FixOptions): Transform[] {
  return selectTransforms(options.transforms ?? builtinTransforms, options);
}

export async function fixText(input: string, options: FixOptions = {}): Promise<FixResult> {
  await initShellParser();
  return fixTextSync(input, options);
}

/** fixText, once initShellParser() has resolved. */
export function fixTextSync(input: string, options: FixOptions = {}): FixResult {
  const transforms = transformsFor(options);
  if (options.buildContext !== undefined) return runPipeline(input, transforms, options);
  // Read from the disk only when a transform asks: most files never do.
  const dir = options.contextDir ?? (options.filePath ? path.dirname(options.filePath) : null);
  const origin = options.contextDir ? (options.contextOrigin ?? 'given') : "the Dockerfile's directory (default)";
  const buildContext = () => openBuildContext(dir, options.filePath ?? null, origin, options.runCache ?? null);
  return runPipeline(input, transforms, { ...options, buildContext });
}
