/** `# dockerfix-ignore` and `# dockerfix-ignore-next-line [ids]` comments. */
import type { DockerfileModel } from './model.js';

const IGNORE_FILE = /^[ \t]*#[ \t]*dockerfix-ignore[ \t]*$/;
const IGNORE_NEXT = /^[ \t]*#[ \t]*dockerfix-ignore-next-line\b(.*)$/;

/** `# dockerfix-ignore` on a line of its own: the file is left alone. */
export function ignoresWholeFile(model: DockerfileModel): boolean {
  if (!model.text.includes('dockerfix-ignore')) return false;
  for (let l = 0; l < model.lines.lineCount; l++) {
    if (model.lineKinds[l] === 'comment' && IGNORE_FILE.test(model.lines.lineText(l))) return true;
  }
  return false;
}

export interface IgnoredRange {
  start: number;
  end: number;
  /** 1-based line of the comment. */
  line: number;
  /** The transforms it names; empty means all. */
  ids: string[];
}

/**
 * Instructions transforms must not touch: the next instruction after a
 * `# dockerfix-ignore-next-line [ids]` comment. Read once per parsed model.
 */
export function ignoredRanges(model: DockerfileModel): IgnoredRange[] {
  const out: IgnoredRange[] = [];
  if (!model.text.includes('dockerfix-ignore-next-line')) return out;
  for (let l = 0; l < model.lines.lineCount; l++) {
    if (model.lineKinds[l] !== 'comment') continue;
    const m = IGNORE_NEXT.exec(model.lines.lineText(l));
    if (!m) continue;
    const next = model.instructions.find((i) => i.startLine > l);
    if (next)
      out.push({ start: next.start, end: next.end, line: l + 1, ids: m[1].split(/[\s,]+/).filter(Boolean) });
  }
  return out;
}
