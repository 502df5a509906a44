/** Checks the engine makes on a result before anything is printed or written. */
import type { DockerfileModel } from './model.js';
import { InputError } from './text.js';

/** The file could not be fixed safely: reported, never written. */
export class VerifyError extends InputError {}

/**
 * Every RUN whose shell fails to parse in the output must have been that way in the input. A RUN
 * whose text is unchanged is as valid as it was, so only rewritten RUNs are parsed here.
 */
export function verifyShell(input: DockerfileModel, output: DockerfileModel): void {
  if (input === output) return;
  const before = new Set<string>();
  for (const i of input.instructions) if (i.keyword === 'RUN') before.add(i.text);
  for (const i of output.instructions) {
    if (i.keyword !== 'RUN' || before.has(i.text)) continue;
    if (i.script()?.hasError) {
      throw new VerifyError(`line ${i.startLine + 1}: the rewritten RUN is not valid shell`, 'verify');
    }
  }
}
