/** Applying edits, and mapping offsets of the edited text back to the original. */
import type { TextEdit } from './transform.js';

export function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  // From the end backwards; at one offset, a deletion goes before an insertion made there.
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Maps an offset in the edited text to the offset in the text before the edits. */
export class OffsetMap {
  private readonly edits: { start: number; end: number; newStart: number; newEnd: number }[];
  constructor(edits: readonly TextEdit[]) {
    const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
    let delta = 0;
    this.edits = sorted.map((e) => {
      const newStart = e.start + delta;
      delta += e.text.length - (e.end - e.start);
      return { start: e.start, end: e.end, newStart, newEnd: newStart + e.text.length };
    });
  }
  toOld(offset: number): number {
    let delta = 0;
    for (const e of this.edits) {
      if (offset < e.newStart) break;
      if (offset < e.newEnd) return e.start;
      delta = e.end - e.newEnd;
    }
    return offset + delta;
  }
}
