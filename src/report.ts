/** Unified diffs and the summary line. */
import { createTwoFilesPatch } from 'diff';

/** The diff that creates a file (`--- /dev/null`), as git prints it. */
export function newFileDiff(displayPath: string, content: string): string {
  const patch = createTwoFilesPatch('/dev/null', `b/${displayPath}`, '', content, undefined, undefined, {
    context: 3,
  });
  return patch.replace(/^=+\n/, '');
}

/** A unified diff that `git apply` and `patch -p1` apply (paths prefixed a/ and b/). */
export function unifiedDiff(displayPath: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(
    `a/${displayPath}`,
    `b/${displayPath}`,
    before,
    after,
    undefined,
    undefined,
    {
      context: 3,
    },
  );
  // Drop the `=====` banner line that jsdiff prints before the headers.
  return patch.replace(/^=+\n/, '');
}

export interface Totals {
  files: number;
  changed: number;
  unchanged: number;
  skipped: number;
  errors: number;
}

export function summaryLine(t: Totals): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(t.files, 'file')}: ${t.changed} changed, ${t.unchanged} unchanged, ${plural(t.skipped, 'skipped edit')}, ${plural(t.errors, 'error')}`;
}
