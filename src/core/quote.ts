/**
 * Quoting an instruction in a message. A fix found in a later pass sees the text earlier passes
 * rewrote (`RUN --mount=type=cache,target=/var/cache/apt,sh…`), which identifies nothing to a
 * reader of the input: while a transform runs, the engine says which input instruction each
 * instruction of the current text was (withQuoteOrigin), and quotes show that one.
 */
import type { Instruction } from './model.js';

let origin: ((instr: Instruction) => Instruction) | null = null;

/** Run `fn` with quotes taken from the instructions `from` maps to (the input file's). */
export function withQuoteOrigin<T>(from: (instr: Instruction) => Instruction, fn: () => T): T {
  const previous = origin;
  origin = from;
  try {
    return fn();
  } finally {
    origin = previous;
  }
}

/**
 * A short quote of an instruction for messages, as the input file has it, without its `--mount`
 * flags: its first words, cut at a word boundary (`RUN apt-get update && apt-get install -y …`).
 */
export function quote(instr: Instruction, max = 48): string {
  const source = origin?.(instr) ?? instr;
  const t = withoutMounts(source);
  // One linear pass (a regex over long runs of blanks can backtrack quadratically): line
  // continuations and runs of whitespace become one space, and reading stops past `max`.
  let out = '';
  let i = 0;
  for (; i < t.length && out.length <= max; i++) {
    let c = t[i];
    if ((c === '\\' || c === '`') && (t[i + 1] === '\n' || (t[i + 1] === '\r' && t[i + 2] === '\n'))) c = ' ';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (!out.endsWith(' ')) out += ' ';
    } else out += c;
  }
  out = out.trim();
  // Cut when the instruction goes on (more than blanks and line continuations are left).
  if (out.length > max || /[^\s\\`]/.test(t.slice(i))) {
    const cut = out.lastIndexOf(' ', max - 1);
    out = cut > max / 2 ? out.slice(0, cut) + ' …' : out.slice(0, max - 1) + '…';
  }
  return '`' + out + '`';
}

/**
 * An instruction's text without its `--mount=…` flags, which are long and say little about which
 * instruction it is (other flags, such as `--from=` or `--network=`, may be the point).
 */
function withoutMounts(instr: Instruction): string {
  const mounts = instr.flags.filter((f) => f.name === 'mount');
  if (mounts.length === 0) return instr.text;
  let out = '';
  let at = instr.start;
  for (const f of mounts) {
    out += instr.text.slice(at - instr.start, f.start - instr.start);
    at = f.end;
  }
  return out + instr.text.slice(at - instr.start);
}
