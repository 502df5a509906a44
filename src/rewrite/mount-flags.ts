/** Writing `RUN --mount` flags the seeds' way. */
import type { DockerfileModel, Instruction } from '../core/model.js';
import type { TextEdit } from '../core/transform.js';
import { lineBreakOf } from './edit.js';

/** `--mount=type=cache,target=/x[,sharing=locked][,uid=1000,gid=1000]` */
export function cacheMountFlag(
  target: string,
  opts: { sharing?: 'locked'; uid?: number; gid?: number } = {},
): string {
  let s = `--mount=type=cache,target=${target}`;
  if (opts.sharing) s += `,sharing=${opts.sharing}`;
  if (opts.uid !== undefined) s += `,uid=${opts.uid}`;
  if (opts.gid !== undefined) s += `,gid=${opts.gid}`;
  return s;
}

/**
 * Add mount flags to a RUN as the seeds write them: `RUN --mount=… \`, one mount per line indented
 * four spaces, then the original command on its own continuation line. Existing flags stay first.
 */
export function addMounts(model: DockerfileModel, instr: Instruction, flags: string[]): TextEdit {
  const esc = model.escape;
  const eol = lineBreakOf(model, instr);
  const cont = ` ${esc}${eol}    `;
  const lastFlag = instr.flags[instr.flags.length - 1];
  const anchor = lastFlag ? lastFlag.end : instr.start + 'RUN'.length;
  const gap = model.text.slice(anchor, instr.argsStart);
  const lead = lastFlag ? cont : ' ';
  const inserted = lead + flags.join(cont);
  if (/[\r\n]/.test(gap)) {
    // The command already starts on a continuation line: keep that line as it is.
    return { start: anchor, end: anchor, text: inserted };
  }
  return { start: anchor, end: instr.argsStart, text: inserted + cont };
}
