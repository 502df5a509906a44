/** The dockerfix API: `fixText` for one file's text, `transforms` for the built-in registry. */
export { fixText, fixTextSync, selectTransforms, VerifyError, DEFAULT_MAX_PASSES } from './engine.js';
export type { FixOptions, FixResult, ReportedFix, ReportedSkip } from './engine.js';
export { parseDockerfile } from './model.js';
export type { DockerfileModel, Instruction, Stage, Flag, RunInfo } from './model.js';
export type { ShellScript, SimpleCommand, Step, Word } from './shell.js';
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
} from './transform.js';
export { InputError } from './text.js';
export { builtinTransforms as transforms } from '../transforms/index.js';
