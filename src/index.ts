/**
 * The dockerfix API.
 *
 *   import { fix, transforms } from 'dockerfix';
 *   const { output, changed, fixes, skips } = await fix(text, { mode: 'portable' });
 *
 * `fix` (alias of `fixText`) runs the pipeline on one Dockerfile's text and verifies the result;
 * it throws `InputError` (with a `kind`) for text it cannot handle. `transforms` is the built-in
 * registry, in order; pass `transforms: [...transforms, myTransform]` to add your own.
 */
export {
  fixText,
  fixText as fix,
  fixTextSync,
  selectTransforms,
  VerifyError,
  DEFAULT_MAX_PASSES,
} from './core/engine.js';
export type { FixOptions, FixResult, ReportedFix, ReportedSkip } from './core/engine.js';
export type { FileReport } from './cli/format.js';
export type { DockerfixConfig } from './cli/config.js';
export { parseDockerfile } from './core/model.js';
export type { DockerfileModel, Instruction, Stage, Flag, RunInfo } from './core/model.js';
export type { ShellScript, SimpleCommand, Step, Word } from './shell/shell.js';
export type {
  Transform,
  TransformMeta,
  TransformContext,
  TransformResult,
  FixProposal,
  SkipProposal,
  TextEdit,
  Safety,
  Mode,
} from './core/transform.js';
export { InputError } from './core/text.js';
export { builtinTransforms as transforms } from '../transforms/index.js';
