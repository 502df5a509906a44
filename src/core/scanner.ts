/**
 * The Dockerfile's outline: parser directives, where each instruction starts and ends, and the
 * whitespace-separated words of its arguments (for flags and FROM).
 *
 * This reads text the way dockerfile-ast 0.7 does (same instruction boundaries, same words, checked
 * on the corpus and the fixtures when this replaced it) but on plain offsets: dockerfile-ast builds
 * line/column positions and rescans every instruction's arguments in its constructors, which was a
 * third of the tool's CPU time. Heredoc bodies are not found here: the model finds them the way
 * BuildKit does and tells the scanner where to resume.
 */

export interface Directive {
  /** As written (`escape`, `syntax`, …). */
  name: string;
  value: string;
  /** Offset of the `#`. */
  start: number;
}

export interface RawInstruction {
  /** The keyword as written, continuation escapes removed. */
  keyword: string;
  /** Offset of the keyword's first character. */
  start: number;
  /** Offset just after the keyword. */
  keywordEnd: number;
  /** Offset of the line break that ends the instruction (trailing blanks included), or the text's end. */
  end: number;
}

export interface Word {
  /** The word with escapes resolved (`\$` kept as written). */
  value: string;
  start: number;
  end: number;
}

const BOM = '\ufeff';

/**
 * Parser directives at the top of the file (`# escape=`, `# syntax=`, …), up to the first line that
 * is not one; a blank line ends them too.
 */
export function readDirectives(text: string): Directive[] {
  const directives: Directive[] = [];
  const n = text.length;
  const first = text.startsWith(BOM) ? 1 : 0;
  scan: for (let i = first; i < n; i++) {
    const c = text[i];
    if (c === ' ' || c === '\t') continue;
    if (c !== '#') break;
    let nameStart = -1;
    let nameEnd = -1;
    for (let j = i + 1; j < n; j++) {
      const d = text[j];
      if (d === ' ' || d === '\t') {
        if (nameStart !== -1 && nameEnd === -1) nameEnd = j;
      } else if (d === '\r' || d === '\n') {
        break scan;
      } else if (d === '=') {
        if (nameStart === -1) break scan; // `# =x`: a comment
        if (nameEnd === -1) nameEnd = j;
        let valueStart = -1;
        let valueEnd = -1;
        let lineEnd = n;
        for (let k = j + 1; k < n; k++) {
          const v = text[k];
          if (v === '\r' || v === '\n') {
            if (valueStart !== -1 && valueEnd === -1) valueEnd = k;
            lineEnd = k;
            break;
          } else if (v === ' ' || v === '\t') {
            if (valueStart !== -1 && valueEnd === -1) valueEnd = k;
          } else if (valueStart === -1) {
            valueStart = k;
          }
        }
        if (valueStart === -1) {
          valueStart = j + 1;
          valueEnd = lineEnd;
        } else if (valueEnd === -1) {
          valueEnd = n;
        }
        directives.push({
          name: text.slice(nameStart, nameEnd),
          value: text.slice(valueStart, valueEnd),
          start: i,
        });
        i = text[valueEnd] === '\r' ? valueEnd + 1 : valueEnd;
        continue scan;
      } else if (nameStart === -1) {
        nameStart = j;
      }
    }
    break;
  }
  return directives;
}

/** The escape character the directives set: `\` unless a valid `# escape=` says otherwise. */
export function escapeOf(directives: readonly Directive[]): string {
  for (const d of directives) {
    if (d.name.toLowerCase() === 'escape' && (d.value === '\\' || d.value === '`')) return d.value;
  }
  return '\\';
}

/** Instructions in order. The caller may move `pos` forward (past a heredoc body) between calls. */
export class InstructionScanner {
  pos: number;

  /** The escape character or a line break (global: searched from lastIndex). */
  private readonly special: RegExp;

  constructor(
    private readonly text: string,
    private readonly escape: string,
    /** Where the instructions start: after the directive lines (or a BOM). */
    start: number,
  ) {
    this.pos = start;
    this.special = escape === '`' ? /[`\r\n]/g : /[\\\r\n]/g;
  }

  next(): RawInstruction | null {
    const text = this.text;
    const n = text.length;
    for (let i = this.pos; i < n; i++) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
      if (c === '#') {
        i = lineBreakFrom(text, i);
        continue;
      }
      const instruction = this.instruction(i);
      this.pos = instruction.end + 1;
      return instruction;
    }
    this.pos = n;
    return null;
  }

  /** The keyword and the extent of the instruction starting at `start`. */
  private instruction(start: number): RawInstruction {
    const text = this.text;
    const n = text.length;
    const esc = this.escape;
    let keyword = text[start];
    let keywordEnd = -1;
    let escaped = false;
    scan: for (let i = start + 1; i < n; i++) {
      const c = text[i];
      if (c === esc) {
        escaped = true;
        const next = text[i + 1];
        if (next === '\r' || next === '\n') {
          if (keywordEnd === -1) keywordEnd = i;
          i++;
        } else if (next === ' ' || next === '\t') {
          for (let j = i + 2; j < n; j++) {
            const d = text[j];
            if (d === ' ' || d === '\t') continue;
            if (d === '\r' || d === '\n') {
              i = j;
              continue scan;
            }
            keywordEnd = i + 1;
            keyword += esc;
            i = j - 2;
            continue scan;
          }
          keywordEnd = i + 1;
          keyword += esc;
          break scan;
        } else {
          keywordEnd = i + 1;
          keyword += esc;
          escaped = false;
        }
      } else if (c === ' ' || c === '\t') {
        if (escaped) {
          // After an escaped line break: blanks up to another line break are skipped.
          let j = i + 1;
          while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
          if (j < n && (text[j] === '\r' || text[j] === '\n')) {
            i = j;
            continue scan;
          }
          escaped = false;
        }
        if (keywordEnd === -1) keywordEnd = i;
        return { keyword, start, keywordEnd, end: this.argumentsEnd(i) };
      } else if (c === '\r' || c === '\n') {
        if (escaped) continue;
        if (keywordEnd === -1) keywordEnd = i;
        return { keyword, start, keywordEnd, end: i };
      } else if (c === '#' && escaped) {
        continue;
      } else {
        keywordEnd = i + 1;
        keyword += c;
        escaped = false;
      }
    }
    if (keywordEnd === -1) keywordEnd = n;
    return { keyword, start, keywordEnd, end: n };
  }

  /** The line break ending the arguments that follow `from`: continuations and the comment lines inside them followed. */
  private argumentsEnd(from: number): number {
    const text = this.text;
    const n = text.length;
    const esc = this.escape;
    const special = this.special;
    let escaped = false;
    scan: for (let i = from + 1; i < n; i++) {
      if (!escaped) {
        // Outside a continuation only the escape character and line breaks matter: jump to the next.
        special.lastIndex = i;
        if (!special.test(text)) return n;
        i = special.lastIndex - 1;
      }
      const c = text[i];
      if (c === '\r' || c === '\n') {
        if (escaped) continue;
        return i;
      }
      if (c === esc) {
        const next = text[i + 1];
        if (next === '\n' || next === '\r') {
          escaped = true;
          i++;
        } else if (next === ' ' || next === '\t') {
          for (let j = i + 2; j < n; j++) {
            const d = text[j];
            if (d === ' ' || d === '\t') continue;
            if (d === '\r' || d === '\n') {
              escaped = true;
              i = j;
            } else {
              // `\ x`: an escaped blank inside the line, plain text; `x` is read next (it may be
              // another escape that continues the line).
              escaped = false;
              i = j - 1;
            }
            continue scan;
          }
          return n;
        }
      } else if (c === '#') {
        if (escaped) i = lineBreakFrom(text, i) - 1;
      } else if (c !== ' ' && c !== '\t') {
        escaped = false;
      }
    }
    return n;
  }
}

function lineBreakFrom(text: string, i: number): number {
  const n = text.length;
  let j = i + 1;
  while (j < n && text[j] !== '\r' && text[j] !== '\n') j++;
  return j;
}

/**
 * The whitespace-separated words in [from, end): line continuations joined, comment lines inside
 * them skipped, `escape x` read as `x`. Quotes are not interpreted (flags and image names hold none
 * that matter). `enough`, when given, ends the split once the words so far are all the caller needs.
 */
export function splitWords(
  text: string,
  from: number,
  end: number,
  escape: string,
  enough?: (words: readonly Word[]) => boolean,
): Word[] {
  const words: Word[] = [];
  let done = false;
  const at = (k: number): string => (k < end ? text[k] : '');
  // Just past an escaped line break, where a `#` starts a comment line.
  let start = false;
  let comment = false;
  let found = -1;
  // A blank that belongs to an escaped line break sequence was seen.
  let escapedBlank = false;
  // Inside an escaped line break sequence.
  let escaping = false;
  let escapeMarker = -1;
  let value = '';
  const push = (wordEnd: number) => {
    words.push({ value, start: found, end: wordEnd });
    value = '';
    found = -1;
    if (enough?.(words)) done = true;
  };
  for (let i = from; i < end && !done; i++) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (escaping) {
        escapedBlank = true;
        if (c === '\r' || c === '\n') {
          escapedBlank = false;
          if (comment) {
            comment = false;
            start = true;
          }
        }
        continue;
      } else if (found !== -1) {
        push(escapeMarker === -1 ? i : escapeMarker);
        escapeMarker = -1;
      }
    } else if (c === escape) {
      const next = at(i + 1);
      if (next === ' ' || next === '\t') {
        for (let j = i + 2; j < end; j++) {
          const d = text[j];
          if (d === ' ' || d === '\t') continue;
          if (d === '\r' || d === '\n') {
            if (d === '\r') j++;
            comment = false;
            escaping = true;
            start = true;
            if (found !== -1) escapeMarker = i;
            i = j;
          } else {
            escapeMarker = i;
            if (found === -1) i = j - 1;
          }
          break;
        }
      } else if (next === '\r' || next === '\n') {
        comment = false;
        escaping = true;
        start = true;
        if (found !== -1 && escapeMarker === -1) escapeMarker = i;
        i += next === '\r' ? 2 : 1;
      } else {
        if (escapedBlank && escapeMarker !== -1) push(escapeMarker);
        escapeMarker = -1;
        escapedBlank = false;
        escaping = false;
        if (next === '') break;
        value += next === '$' ? c + next : next;
        if (found === -1) found = i;
        i++;
      }
    } else if (!comment) {
      if (start && c === '#') {
        comment = true;
      } else {
        if (escapedBlank && escapeMarker !== -1) push(escapeMarker);
        escapedBlank = false;
        escaping = false;
        escapeMarker = -1;
        value += c;
        if (found === -1) found = i;
      }
      start = false;
    }
  }
  if (found !== -1 && !done) push(escapeMarker === -1 ? end : escapeMarker);
  return words;
}
