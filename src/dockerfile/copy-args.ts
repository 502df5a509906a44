/** The arguments of a COPY/ADD as BuildKit reads them: sources and destination, shell or JSON form. */
import { joinContinuations, type DockerfileModel, type Instruction } from '../core/model.js';
import { rememberedByText } from './instruction-memo.js';

export interface CopyArgs {
  sources: string[];
  dest: string;
  json: boolean;
  /** No `--from`: the sources come from the build context. */
  fromContext: boolean;
}

const readRemembered = rememberedByText(readCopyArgs);

/** null for other instructions, heredoc COPYs and arguments that cannot be read. */
export function copyArgs(model: DockerfileModel, instr: Instruction): Readonly<CopyArgs> | null {
  if (instr.keyword !== 'COPY' && instr.keyword !== 'ADD') return null;
  return readRemembered(model, instr);
}

function readCopyArgs(model: DockerfileModel, instr: Instruction): CopyArgs | null {
  if (instr.text.includes('<<')) return null;
  const text = joinContinuations(model.text, instr.argsStart, instr.end, model.escape).text.trim();
  let words: string[];
  const json = text.startsWith('[');
  if (json) {
    try {
      const arr = JSON.parse(text) as unknown;
      if (!Array.isArray(arr) || !arr.every((x) => typeof x === 'string')) return null;
      words = arr as string[];
    } catch {
      return null;
    }
  } else {
    words = text.split(/\s+/).filter(Boolean);
  }
  if (words.length < 2) return null;
  return {
    sources: words.slice(0, -1),
    dest: words[words.length - 1],
    json,
    fromContext: !instr.flags.some((f) => f.name === 'from'),
  };
}
