/**
 * Results of reading an instruction, remembered by escape character and instruction text: a file
 * is re-parsed after each change, and most of its instructions come back unchanged. The result
 * depends on nothing else, so it is shared (never mutate it). Bounded; cleared when full.
 */
import type { DockerfileModel, Instruction } from '../core/model.js';

export function rememberedByText<T>(
  read: (model: DockerfileModel, instr: Instruction) => T,
): (model: DockerfileModel, instr: Instruction) => T {
  const seen = new Map<string, T>();
  return (model, instr) => {
    const key = model.escape + instr.text;
    if (seen.has(key)) return seen.get(key)!;
    if (seen.size >= 4096) seen.clear();
    const result = read(model, instr);
    seen.set(key, result);
    return result;
  };
}
