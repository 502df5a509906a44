/** Applying edits, and mapping offsets of the edited text back to the original. */
import type { TextEdit } from './transform.js';

export function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/** Apply non-overlapping edits in one sweep (linear in the text, whatever the number of edits). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  // At one offset, an insertion goes before a deletion that starts there.
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const parts: string[] = [];
  let pos = 0;
  for (const e of sorted) {
    parts.push(text.slice(pos, e.start), e.text);
    pos = Math.max(pos, e.end);
  }
  parts.push(text.slice(pos));
  return parts.join('');
}

/**
 * The edits accepted so far, kept sorted, so that checking a new edit for overlap costs a binary
 * search (thousands of fixes in one file must not cost a quadratic number of comparisons).
 */
export class EditSet {
  private readonly edits: TextEdit[] = [];
  private maxEnd = -1;

  overlapsAny(e: TextEdit): boolean {
    if (e.start > this.maxEnd) return false;
    let lo = 0;
    let hi = this.edits.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.edits[mid].start < e.start) lo = mid + 1;
      else hi = mid;
    }
    // Neighbours on both sides are the only candidates, since accepted edits never overlap.
    for (let i = Math.max(0, lo - 1); i <= Math.min(this.edits.length - 1, lo + 1); i++) {
      if (overlaps(this.edits[i], e)) return true;
    }
    return false;
  }

  add(e: TextEdit): void {
    if (e.start >= this.maxEnd || this.edits.length === 0) {
      this.edits.push(e);
    } else {
      let lo = 0;
      let hi = this.edits.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.edits[mid].start <= e.start) lo = mid + 1;
        else hi = mid;
      }
      this.edits.splice(lo, 0, e);
    }
    this.maxEnd = Math.max(this.maxEnd, e.end);
  }

  get all(): readonly TextEdit[] {
    return this.edits;
  }
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
    const found = this.lastStartingAt(offset);
    if (found === -1) return offset;
    const e = this.edits[found];
    if (offset < e.newEnd) return e.start;
    return offset + (e.end - e.newEnd);
  }

  /**
   * The last edit starting at or before a new-text offset, or -1 (binary search: files can carry
   * thousands of edits, and every reported fix asks).
   */
  private lastStartingAt(offset: number): number {
    let lo = 0;
    let hi = this.edits.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.edits[mid].newStart <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** True when the character at this offset of the new text was written by an edit. */
  isWritten(offset: number): boolean {
    const found = this.lastStartingAt(offset);
    return found !== -1 && offset < this.edits[found].newEnd;
  }
}
