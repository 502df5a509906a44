/**
 * One file through the pipeline, as the CLI reports it: read, fix, then write (--write), diff
 * (--dry-run) or name (--check). The same function runs in the main thread and in pool workers;
 * its outcome is plain data, printed by the main thread in file order.
 */
import { fixTextSync, type FixOptions } from '../api.js';
import type { FixResult, ReportedFix, ReportedSkip } from '../core/engine.js';
import path from 'node:path';
import { createFileAtomic, readSettled, writeFileAtomic } from './io.js';
import { newFileDiff, unifiedDiff } from './diff.js';
import { InputError } from '../core/text.js';
import { recordCreatedFile, type RunCache } from '../disk/build-context.js';
import { generatedMarker } from '../dockerfile/generated.js';
import { renderedSkip } from './rendered.js';
import type { FileSkip } from './names.js';

export type Action = 'dry-run' | 'write' | 'check';

export interface FileJob {
  path: string;
  display: string;
  /** The repository root the file belongs to (see FoundFile.root): diff paths are relative to it. */
  root: string;
  /** Named on the command line: when it is not a Dockerfile, that is an error, not a skip. */
  named: boolean;
  /** Left alone without reading it (its name, an exclusion). */
  skip?: FileSkip;
  /** Fix it even when its header says it is generated. */
  includeGenerated?: boolean;
  /** This file's settings (config file + command line). */
  fix?: FixOptions;
}

export interface FileOutcome {
  /** A one-line reason when the file could not be handled (never written). */
  error: string | null;
  status: 'changed' | 'unchanged' | 'skipped' | 'error';
  /** Why the file was left alone (status `skipped`). */
  skip: FileSkip | null;
  fixes: ReportedFix[];
  skips: ReportedSkip[];
  /** The unified diff of the change (null when unchanged or not wanted). */
  diff: string | null;
  /** The build contexts the file was checked against, with how each was chosen. */
  contexts: { dir: string; origin: string }[];
  /** Files that review fixes propose, not created without --unsafe (paths as displayed). */
  proposedFiles: string[];
}

/** Errors that say a file found by discovery is not a Dockerfile at all: it is skipped, not failed. */
const NOT_A_DOCKERFILE = new Set(['empty', 'binary', 'not-a-dockerfile', 'unknown-instruction', 'no-from']);

const outcome = (o: Partial<FileOutcome> & Pick<FileOutcome, 'status'>): FileOutcome => ({
  error: null,
  skip: null,
  fixes: [],
  skips: [],
  diff: null,
  contexts: [],
  proposedFiles: [],
  ...o,
});

export function processFile(
  job: FileJob,
  action: Action,
  fix: FixOptions,
  wantDiff: boolean,
  runCache: RunCache | null = null,
): FileOutcome | Promise<FileOutcome> {
  if (job.skip) return outcome({ status: 'skipped', skip: job.skip });
  const failed = (err: InputError): FileOutcome =>
    !job.named && NOT_A_DOCKERFILE.has(err.kind)
      ? outcome({
          status: 'skipped',
          skip: { reason: 'not-a-dockerfile', message: `not a Dockerfile: ${err.message}` },
        })
      : outcome({ status: 'error', error: err.message });
  let result: FixResult;
  try {
    const read = readSettled(job.path);
    if (read.status === 'rejected') throw read.reason;
    const generated = job.includeGenerated
      ? null
      : (generatedSkip(read.value.text) ?? (job.named ? null : renderedSkip(job.path, job.root)));
    if (generated) return outcome({ status: 'skipped', skip: generated });
    result = fixTextSync(read.value.text, { ...job.fix, ...fix, filePath: job.path, runCache });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return failed(err);
  }
  // Paths in diffs are relative to the repository root, so that a diff made from any directory
  // applies there (`git apply`, `patch -p1`).
  const repoPath = (file: string) => path.relative(job.root, file).split(path.sep).join('/');
  let diff: string | null = null;
  if (result.changed && wantDiff) {
    diff = result.output !== result.input ? unifiedDiff(repoPath(job.path), result.input, result.output) : '';
    // Only the files --write creates: a review fix's proposal is not shown without --unsafe.
    for (const f of result.newFiles) diff += newFileDiff(repoPath(f.path), f.content);
  }
  const shown = (file: string) =>
    path
      .join(path.dirname(job.display), path.relative(path.dirname(job.path), file))
      .split(path.sep)
      .join('/');
  const done = outcome({
    status: result.changed ? 'changed' : 'unchanged',
    fixes: result.fixes,
    skips: result.skips,
    diff,
    contexts: result.contexts,
    proposedFiles: result.proposedFiles.map((f) => shown(f.path)),
  });
  if (action !== 'write') {
    // The files after this one see what --write would have created.
    if (runCache) for (const f of result.newFiles) recordCreatedFile(runCache, f.path, f.content);
    return done;
  }
  if (!result.changed) return done;
  const write = async () => {
    if (result.output !== result.input) await writeFileAtomic(job.path, result.output, result.input);
    for (const f of result.newFiles) await createFileAtomic(f.path, f.content);
    // The directories around this file changed: later files read them afresh.
    if (result.newFiles.length > 0) runCache?.clear();
  };
  return write().then(
    () => done,
    (err: unknown) => {
      if (!(err instanceof InputError)) throw err;
      return outcome({ status: 'error', error: err.message });
    },
  );
}

/** Why a text is left alone as generated (its header says so), or null. */
export function generatedSkip(text: string): FileSkip | null {
  const marker = generatedMarker(text);
  if (!marker) return null;
  return {
    reason: 'generated',
    message: `generated (line ${marker.line}: “${clip(marker.comment)}”): fix what generates it, or use --include-generated`,
  };
}

/** A header comment, shortened for a one-line message. */
function clip(comment: string): string {
  const s = comment.replace(/\s+/g, ' ');
  return s.length > 60 ? s.slice(0, 59) + '…' : s;
}
