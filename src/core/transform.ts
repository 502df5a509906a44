/**
 * The transform contract. A transform reads the parsed model and proposes fixes (each a set of
 * non-overlapping text edits) and skips (a candidate it chose not to touch, with the reason).
 */
import type { DockerfileModel } from './model.js';

/** `safe` fixes are applied by default; `review` fixes are shown, and applied only with `--unsafe`. */
export type Safety = 'safe' | 'review';

export type Mode = 'buildkit' | 'portable';

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

export interface SkipProposal {
  /** A stable code for the kind of reason (`shell-state`, `no-creator`, …), for grouping and config. */
  reason: string;
  /** Why the candidate was left alone: one sentence. */
  message: string;
  at: number;
}

export interface TransformResult {
  fixes: FixProposal[];
  skips: SkipProposal[];
}

export interface TransformContext {
  mode: Mode;
  /** Path of the Dockerfile, when it came from disk. */
  filePath: string | null;
  /** The build context directory (default: the Dockerfile's directory), or null when unknown. */
  contextDir?: string | null;
  /** `--add-syntax`: the syntax-directive transform may add `# syntax=docker/dockerfile:1`. */
  addSyntax?: boolean;
  /** File-system reads shared by the files of one run (see FixOptions.runCache). */
  runCache?: RunCache | null;
}

/**
 * What one run has read of the file system around its Dockerfiles (build-context listings,
 * .dockerignore files), shared by its files: a monorepo's Dockerfiles often share a directory.
 * Whoever writes beside a Dockerfile clears it.
 */
export type RunCache = Map<string, unknown>;

export interface TransformMeta {
  /** Names the antipattern, e.g. `fold-cleanup`. */
  id: string;
  /** One line. */
  title: string;
  /** What it does. */
  description: string;
  /** Why the antipattern is bad. */
  why: string;
  /** Seed documents it comes from (file names under shared/seeds). */
  seeds: string[];
  safety: Safety;
  modes: Mode[];
  example: { before: string; after: string };
}

export interface Transform {
  meta: TransformMeta;
  run(model: DockerfileModel, context: TransformContext): TransformResult;
}
