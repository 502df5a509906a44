/** Unified diffs. */
import { createRequire } from 'node:module';

// jsdiff is loaded only when diffs are printed (--check and --write never need it): by
// loadDiff() ahead of time where the caller knows it will (the command line, while it starts up),
// else when the first diff is made.
const require = createRequire(import.meta.url);
let jsdiff: typeof import('diff') | null = null;

/** Load jsdiff now, so that the first diff does not wait for it. */
export async function loadDiff(): Promise<void> {
  jsdiff ??= await import('diff');
}

/** A unified diff between two named texts, without the `=====` banner jsdiff prints first. */
function patch(oldName: string, newName: string, before: string, after: string): string {
  jsdiff ??= require('diff') as typeof import('diff');
  const { createTwoFilesPatch } = jsdiff;
  const text = createTwoFilesPatch(oldName, newName, before, after, undefined, undefined, {
    context: 3,
  }).replace(/^=+\n/, '');
  // A name with a blank ends with a tab, as git writes it: `patch` otherwise cuts the name at the blank.
  if (!/[ \t]/.test(oldName + newName)) return text;
  const headerEnd = text.indexOf('\n', text.indexOf('\n') + 1);
  return (
    text
      .slice(0, headerEnd)
      .replace(/^(---|\+\+\+) (.*)$/gm, (line, _m, name: string) =>
        /[ \t]/.test(name) ? `${line}\t` : line,
      ) + text.slice(headerEnd)
  );
}

/** The diff that creates a file (`--- /dev/null`), as git prints it. */
export function newFileDiff(displayPath: string, content: string): string {
  return patch('/dev/null', `b/${displayPath}`, '', content);
}

/** A unified diff that `git apply` and `patch -p1` apply (paths prefixed a/ and b/). */
export function unifiedDiff(displayPath: string, before: string, after: string): string {
  return patch(`a/${displayPath}`, `b/${displayPath}`, before, after);
}
