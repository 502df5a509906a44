/**
 * One file through the pipeline, as the CLI reports it: read, fix, then write (--write), diff
 * (--dry-run) or name (--check). The same function runs in the main thread and in pool workers;
 * its outcome is plain data, printed by the main thread in file order.
 */
import { fixTextSync, type FixOptions } from '../api.js';
import type { FixResult, ReportedFix, ReportedSkip } from '../core/engine.js';
import path from 'node:path';
import { createFileAtomic, writeFileAtomic, type ReadResult } from './io.js';
import { newFileDiff, unifiedDiff } from './diff.js';
import { InputError } from '../core/text.js';
import type { RunCache } from '../disk/build-context.js';

export type Action = 'dry-run' | 'write' | 'check';

export interface FileJob {
  path: string;
  display: string;
  /** This file's settings (config file + command line). */
  fix?: FixOptions;
}

export interface FileOutcome {
  /** A one-line reason when the file could not be handled (never written). */
  error: string | null;
  status: 'changed' | 'unchanged' | 'error';
  fixes: ReportedFix[];
  skips: ReportedSkip[];
  /** The unified diff of the change (null when unchanged or not wanted). */
  diff: string | null;
  /** The build contexts the file was checked against, with how each was chosen. */
  contexts: { dir: string; origin: string }[];
}

export function processFile(
  job: FileJob,
  read: PromiseSettledResult<ReadResult>,
  action: Action,
  fix: FixOptions,
  wantDiff: boolean,
  runCache: RunCache | null = null,
): FileOutcome | Promise<FileOutcome> {
  const failed = (message: string): FileOutcome => ({
    error: message,
    status: 'error',
    fixes: [],
    skips: [],
    diff: null,
    contexts: [],
  });
  let result: FixResult;
  try {
    if (read.status === 'rejected') throw read.reason;
    result = fixTextSync(read.value.text, { ...job.fix, ...fix, filePath: job.path, runCache });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return failed(err.message);
  }
  // New files are shown relative to the Dockerfile as the user named it.
  const shown = (file: string) =>
    path
      .join(path.dirname(job.display), path.relative(path.dirname(job.path), file))
      .split(path.sep)
      .join('/');
  let diff: string | null = null;
  if ((result.changed || result.proposedFiles.length > 0) && wantDiff) {
    diff = result.output !== result.input ? unifiedDiff(job.display, result.input, result.output) : '';
    // Files that review fixes propose are shown too (written only with --write --unsafe).
    for (const f of [...result.newFiles, ...result.proposedFiles])
      diff += newFileDiff(shown(f.path), f.content);
  }
  const outcome: FileOutcome = {
    error: null,
    status: result.changed ? 'changed' : 'unchanged',
    fixes: result.fixes,
    skips: result.skips,
    diff,
    contexts: result.contexts,
  };
  if (!result.changed || action !== 'write') return outcome;
  const write = async () => {
    if (result.output !== result.input) await writeFileAtomic(job.path, result.output, result.input);
    for (const f of result.newFiles) await createFileAtomic(f.path, f.content);
    // The directories around this file changed: later files read them afresh.
    if (result.newFiles.length > 0) runCache?.clear();
  };
  return write().then(
    () => outcome,
    (err: unknown) => {
      if (!(err instanceof InputError)) throw err;
      return failed(err.message);
    },
  );
}
