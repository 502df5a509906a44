/** Byte-level input checks and line bookkeeping shared by the model, the edits and the reporters. */

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export class InputError extends Error {
  constructor(
    message: string,
    /** A short machine-readable kind, used to group errors in summaries. */
    readonly kind: string,
  ) {
    super(message);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode a file's bytes, refusing what is not a text Dockerfile. The BOM, if any, stays in the string. */
export function decodeDockerfile(bytes: Uint8Array): string {
  if (bytes.length > MAX_FILE_BYTES) {
    throw new InputError(
      `file too large (${formatBytes(bytes.length)}; the limit is ${formatBytes(MAX_FILE_BYTES)})`,
      'too-large',
    );
  }
  if (bytes.indexOf(0) !== -1) throw new InputError('binary file (contains NUL bytes)', 'binary');
  try {
    return utf8.decode(bytes);
  } catch {
    throw new InputError('not valid UTF-8 text', 'encoding');
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Offsets where each line starts. CRLF, LF and a lone CR each end a line here, as in editors
 * (BuildKit breaks only at LF, which is why inserted lines never use a lone CR).
 */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  // Most files have no CR: then the native search finds the line breaks (~5× faster than a loop).
  if (!text.includes('\r')) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

export class LineIndex {
  readonly starts: number[];
  constructor(readonly text: string) {
    this.starts = computeLineStarts(text);
  }
  get lineCount(): number {
    return this.starts.length;
  }
  offsetAt(line: number, character: number): number {
    return this.starts[line] + character;
  }
  /** 0-based line containing offset. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  /** Offset just after the line's content, before its line break. */
  contentEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    let end = next;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }
  /** Offset of the start of the next line (or the end of the text). */
  lineEnd(line: number): number {
    return line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
  }
  lineText(line: number): string {
    return this.text.slice(this.starts[line], this.contentEnd(line));
  }
  /** The line break that ends this line ('' for the last line without one). */
  lineBreak(line: number): string {
    return this.text.slice(this.contentEnd(line), this.lineEnd(line));
  }
}

/** The file's dominant line break, for text that a transform inserts. */
export function dominantLineBreak(text: string): string {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

export function isBlank(line: string): boolean {
  return /^[ \t\f\v\uFEFF]*$/.test(line);
}

export function leadingWhitespace(line: string): string {
  const m = /^[ \t]*/.exec(line);
  return m ? m[0] : '';
}
