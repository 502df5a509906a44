/**
 * One file through the pipeline, as the CLI reports it: read, fix, then write (--write), diff
 * (--dry-run) or name (--check). The same function runs in the main thread and in pool workers;
 * its outcome is plain data, printed by the main thread in file order.
 */
import { fixTextSync, type FixOptions, type FixResult } from './engine.js';
import { writeFileAtomic, type ReadResult } from './io.js';
import { unifiedDiff } from './report.js';
import { InputError } from './text.js';

export type Action = 'dry-run' | 'write' | 'check';

export interface FileJob {
  path: string;
  display: string;
}

export interface FileOutcome {
  /** A one-line reason when the file could not be handled (never written). */
  error: string | null;
  status: 'changed' | 'unchanged' | 'error';
  /** What goes to stdout for this file (a diff, or the path for --check). */
  stdout: string;
  /** Lines for stderr: one per fix (and per skip with --verbose). */
  notes: string[];
  skipped: number;
}

export function processFile(
  job: FileJob,
  read: PromiseSettledResult<ReadResult>,
  action: Action,
  fix: FixOptions,
  verbose: boolean,
): FileOutcome | Promise<FileOutcome> {
  const failed = (message: string): FileOutcome => ({
    error: message,
    status: 'error',
    stdout: '',
    notes: [],
    skipped: 0,
  });
  let result: FixResult;
  let bytes: Buffer;
  try {
    if (read.status === 'rejected') throw read.reason;
    bytes = read.value.bytes;
    result = fixTextSync(read.value.text, { ...fix, filePath: job.path });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return failed(err.message);
  }
  const notes: string[] = [];
  for (const f of result.fixes) {
    const note = f.applied ? '' : ' (review: not applied without --unsafe)';
    notes.push(`${job.display}:${f.line}: ${f.transform}: ${f.message}${note}`);
  }
  if (verbose) {
    for (const s of result.skips)
      notes.push(`${job.display}:${s.line}: ${s.transform}: skipped: ${s.message}`);
  }
  const outcome: FileOutcome = {
    error: null,
    status: result.changed ? 'changed' : 'unchanged',
    stdout: '',
    notes,
    skipped: result.skips.length,
  };
  if (!result.changed) return outcome;
  if (action === 'dry-run') outcome.stdout = unifiedDiff(job.display, result.input, result.output);
  else if (action === 'check') outcome.stdout = job.display + '\n';
  else {
    return writeFileAtomic(job.path, result.output, bytes).then(
      () => outcome,
      (err: unknown) => {
        if (!(err instanceof InputError)) throw err;
        return failed(err.message);
      },
    );
  }
  return outcome;
}
