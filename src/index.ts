/**
 * The dockerfix API.
 *
 *   import { fix, transforms } from 'dockerfix';
 *   const { output, changed, fixes, skips } = await fix(text, { mode: 'portable' });
 *
 * `fix` (alias of `fixText`) runs the pipeline on one Dockerfile's text and verifies the result;
 * it throws `InputError` (with a `kind`) for text it cannot handle. `transforms` is the built-in
 * registry, in order; pass `transforms: [...transforms, myTransform]` to add your own. The helpers
 * below are what a custom transform needs to read a Dockerfile and write edits the way the built-in
 * ones do (see examples/custom-transform).
 */
export { fixText, fixText as fix, fixTextSync, transformsFor, type FixOptions } from './api.js';
export { runPipeline, selectTransforms, VerifyError, DEFAULT_MAX_PASSES } from './core/engine.js';
export type { FixResult, ReportedFix, ReportedSkip, PipelineOptions } from './core/engine.js';
export type { FileReport } from './cli/format.js';
export type { DockerfixConfig } from './cli/config.js';
export { parseDockerfile, commentBlockStart, joinContinuations } from './core/model.js';
export type { DockerfileModel, Instruction, Stage, Flag, RunInfo } from './core/model.js';
export type { ShellScript, SimpleCommand, Step, Word } from './shell/index.js';
export { parseShell, initShellParser, soleCommand, commandBase } from './shell/index.js';
export { memoryFileTree } from './core/file-tree.js';
export { generatedMarker, type GeneratedMarker } from './dockerfile/generated.js';
export type { Reference } from './core/references.js';
export type { FileTree, BuildContextSource, DirEntry } from './core/file-tree.js';
export { skip, isSkip, MODES } from './core/transform.js';
export type {
  Transform,
  TransformMeta,
  TransformContext,
  TransformResult,
  Report,
  Skip,
  Outcome,
  FixProposal,
  TextEdit,
  Safety,
  Mode,
} from './core/transform.js';
export { InputError } from './core/text.js';
export { builtinTransforms as transforms } from '../transforms/index.js';
// Helpers for custom transforms.
export { runView, removeWord, insertWordAfter, removeSteps, type RunView } from './dockerfile/run-view.js';
export { runContext, type RunContext } from './dockerfile/run-context.js';
export { existingMounts } from './dockerfile/mounts.js';
export { addMounts, cacheMountFlag } from './rewrite/mount-flags.js';
export { copyArgs } from './dockerfile/copy-args.js';
export {
  removeInstruction,
  appendedCommands,
  contentEnd,
  quote,
  checkAppendable,
  lineBreakOf,
} from './rewrite/edit.js';
export { invocation, subcommand, argWord, type Invocation } from './tools/command.js';
export { aptSubcommand } from './tools/apt.js';
