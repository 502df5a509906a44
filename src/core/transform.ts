/**
 * The transform contract. A transform reads the parsed model and reports, through `report`, fixes
 * (each a set of non-overlapping text edits) and skips (a candidate it chose not to touch, with a
 * code it declares in `meta.skips` and a one-sentence reason) — as an ESLint rule reports problems
 * it declares in `meta.messages`.
 */
import type { DockerfileModel } from './model.js';
import type { BuildContextSource } from './file-tree.js';
import type { Reference } from './references.js';

/** `safe` fixes are applied by default; `review` fixes are shown, and applied only with `--unsafe`. */
export type Safety = 'safe' | 'review';

export const MODES = ['buildkit', 'portable'] as const;
/** `buildkit` uses `RUN --mount`; `portable` keeps caches out of the layers by other means. */
export type Mode = (typeof MODES)[number];

export interface TextEdit {
  /** Offsets into the text the transform was given; start === end inserts. */
  start: number;
  end: number;
  text: string;
}

export interface FixProposal {
  /** What the fix does, for the report: one sentence. */
  message: string;
  safety: Safety;
  edits: TextEdit[];
  /** Files the fix creates beside the Dockerfile (absolute paths; never overwrites one). */
  newFiles?: NewFile[];
  /** Offset of the instruction the fix is about (reported as its line). */
  at: number;
}

export interface NewFile {
  path: string;
  content: string;
}

/** Why a candidate is left alone: a code the transform declares in `meta.skips`, and one sentence. */
export interface Skip<Code extends string = string> {
  code: Code;
  message: string;
}

export const skip = <Code extends string>(code: Code, message: string): Skip<Code> => ({ code, message });

/** A plan for one candidate: the fix, or why there is none. */
export type Outcome<Code extends string = string> = FixProposal | Skip<Code>;

/** A plan (a fix, or any other answer) that is a Skip. */
export function isSkip<T extends object, Code extends string = string>(o: T | Skip<Code>): o is Skip<Code> {
  return 'code' in o;
}

/** Where a transform reports what it found. */
export interface Report<Code extends string = string> {
  fix(fix: FixProposal): void;
  /** A candidate left alone, at the offset of its instruction. */
  skip(code: Code, message: string, at: number): void;
}

/** The result shape of the first contract (`run` returning it); still accepted from custom transforms. */
export interface TransformResult {
  fixes: FixProposal[];
  skips: { reason: string; message: string; at: number }[];
}

export interface TransformContext {
  mode: Mode;
  /** Path of the Dockerfile, when it came from disk. */
  filePath: string | null;
  /**
   * The build context as the builder receives it (read-only), or null when it is not known (stdin
   * without a path, the API without a context). Transforms never read the disk themselves.
   */
  buildContext: BuildContextSource | null;
  /**
   * Every build context the file is built with, when it is built with several (a compose file and a
   * CI workflow may name different ones); the first is `buildContext`. A rewrite must hold for all.
   */
  buildContexts?: readonly BuildContextSource[];
  /** `--add-syntax`: the syntax-directive transform may add `# syntax=docker/dockerfile:1`. */
  addSyntax: boolean;
}

export interface TransformMeta<Code extends string = string> {
  /** Names the antipattern, e.g. `fold-cleanup`. */
  id: string;
  /** One line. */
  title: string;
  /** What it does. */
  description: string;
  /** Why the antipattern is bad. */
  why: string;
  /** Seed documents it comes from (file names under shared/seeds; provenance, not shown to users). */
  seeds: string[];
  /** Pages to read more (Docker's documentation), printed by `--explain`. */
  references?: Reference[];
  /** The README section that documents it, e.g. `Transforms › Cache transforms`. */
  readme?: string;
  safety: Safety;
  modes: readonly Mode[];
  example: { before: string; after: string };
  /** Every code its skips may carry, with what it means (`--explain` lists them). */
  skips: Readonly<Record<Code, string>>;
  /**
   * The result depends only on the text and the context of one fix run, so the engine may reuse it
   * when the same transform meets the same text again in a later pass.
   */
  cacheable?: boolean;
}

export interface Transform<Code extends string = string> {
  meta: TransformMeta<Code>;
  /** Report fixes and skips for one parsed text. (A returned TransformResult is also accepted.) */
  run(model: DockerfileModel, context: TransformContext, report: Report<Code>): void | TransformResult;
}
