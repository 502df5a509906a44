/**
 * The parsed Dockerfile: stages, instructions with exact source offsets, flags (with `--mount`
 * options), and for RUN the form (shell, exec, heredoc) and the shell script mapped to source
 * offsets. Built once per pass (core/scanner.ts finds the instructions); never mutated.
 */
import { InstructionScanner, escapeOf, readDirectives, splitWords, type Word } from './scanner.js';
import { InputError, LineIndex, dominantLineBreak } from './text.js';
import { parseShell, type ShellScript } from '../shell/index.js';

export interface FlagOption {
  name: string;
  value: string | null;
}

export interface Flag {
  name: string;
  value: string | null;
  /** `--mount` style options (`type=cache,target=/x`), in order. */
  options: FlagOption[];
  start: number;
  end: number;
}

/** A RUN body with continuations joined the way BuildKit joins them, and the way back to the source. */
export interface JoinedBody {
  text: string;
  /** The source offset of text[i]; of the range's end for i === text.length. */
  sourceAt(i: number): number;
  /** map[i] is sourceAt(i), for every i up to text.length (built when first read). */
  readonly map: Int32Array;
}

export type RunForm = 'shell' | 'exec' | 'heredoc';

export interface RunInfo {
  form: RunForm;
  /** Shell form only: the joined command text. */
  body: JoinedBody | null;
  /** Exec form only: the JSON array. */
  argv: string[] | null;
  /** The active SHELL is a POSIX shell (sh, bash, …), so the body can be read as shell. */
  posixShell: boolean;
  /** Heredoc form only: each heredoc with its body's source range. */
  heredocs: Heredoc[];
}

export interface Heredoc extends HeredocMarker {
  /** Offset of the first body line, and of the terminator line. */
  bodyStart: number;
  bodyEnd: number;
}

export interface Instruction {
  index: number;
  /** Upper-case keyword (`RUN`, `COPY`, …). */
  keyword: string;
  /** Offset of the keyword. */
  start: number;
  /** Offset just after the last character of the instruction (before the line break). */
  end: number;
  startLine: number;
  endLine: number;
  flags: Flag[];
  /** Offset where the arguments start (after the flags), or `end` when there are none. */
  argsStart: number;
  /** Stage index, or -1 for ARGs before the first FROM. */
  stage: number;
  run: RunInfo | null;
  /** For RUN in shell form with a POSIX shell: the parsed script (parsed on first use). */
  script(): ShellScript | null;
  /** The instruction's source text. */
  text: string;
}

export interface Stage {
  index: number;
  /** `AS name`, lower-cased, or null. */
  name: string | null;
  /** The image reference as written after FROM (flags removed). */
  base: string;
  /** Index of the earlier stage this one is built FROM, or null. */
  parent: number | null;
  /** The base looks like a Windows image (no POSIX shell by default). */
  windows: boolean;
  from: Instruction;
  instructions: Instruction[];
}

export type LineKind = 'instruction' | 'comment' | 'blank' | 'directive';

export interface DockerfileModel {
  text: string;
  lines: LineIndex;
  lineKinds: LineKind[];
  /** The line break to use for inserted lines. */
  eol: string;
  escape: string;
  directives: Map<string, string>;
  instructions: Instruction[];
  stages: Stage[];
}

const KNOWN_KEYWORDS = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

const POSIX_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox']);
const WINDOWS_IMAGE =
  /(^|[/:-])(windows|nanoserver|servercore|windowsservercore|ltsc20\d\d)([-:/.]|$)|mcr\.microsoft\.com\/windows/i;

/**
 * Parse a Dockerfile. Throws InputError for text that is not a Dockerfile BuildKit would accept
 * in outline (no instructions, unknown instructions, instructions before FROM).
 */
export function parseDockerfile(text: string): DockerfileModel {
  const lines = new LineIndex(text);
  const rawDirectives = readDirectives(text);
  const escape = escapeOf(rawDirectives);
  const directives = new Map<string, string>();
  const lineKinds: LineKind[] = new Array(lines.lineCount);
  for (let l = 0; l < lines.lineCount; l++)
    lineKinds[l] = classifyLine(text, lines.starts[l], lines.contentEnd(l));
  for (const d of rawDirectives) {
    directives.set(d.name.toLowerCase(), d.value);
    lineKinds[lines.lineAt(d.start)] = 'directive';
  }

  // Directives take whole lines at the top; a BOM is not part of the first instruction.
  const bodyStart =
    rawDirectives.length > 0
      ? (lines.starts[rawDirectives.length] ?? text.length)
      : text.startsWith('\ufeff')
        ? 1
        : 0;
  const scanner = new InstructionScanner(text, escape, bodyStart);

  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  let shellArgv: string[] | null = null;
  const stageShell: (string[] | null)[] = [];

  for (let raw = scanner.next(); raw !== null; raw = scanner.next()) {
    const keyword = raw.keyword.toUpperCase();
    const start = raw.start;
    const startLine = lines.lineAt(start);
    let end = raw.end;
    let endLine = lines.lineAt(end);
    let heredocs: Heredoc[] = [];
    if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') {
      // Heredocs are found as BuildKit finds them (`<< 'EOF'`, `3<<A 4<<B`); their bodies are not instructions.
      const headEnd = logicalLineEnd(lines, startLine, escape);
      const headStop = lines.contentEnd(headEnd);
      const markers = contains(text, '<<', start, headStop)
        ? findHeredocs(joinContinuations(text, start, headStop, escape).text)
        : [];
      if (markers.length > 0) {
        heredocs = heredocBodies(lines, headEnd, markers);
        endLine = lines.lineAt(heredocs[heredocs.length - 1].bodyEnd);
        end = lines.contentEnd(endLine);
        scanner.pos = end;
      } else if (endLine !== headEnd) {
        endLine = headEnd;
        end = lines.contentEnd(headEnd);
      }
    }
    if (!KNOWN_KEYWORDS.has(keyword)) {
      throw new InputError(
        `line ${startLine + 1}: unknown instruction '${truncate(keyword, 30)}'`,
        'unknown-instruction',
      );
    }
    if (stages.length === 0 && keyword !== 'FROM' && keyword !== 'ARG') {
      throw new InputError(`line ${startLine + 1}: ${keyword} before the first FROM`, 'no-from');
    }
    const words =
      FLAG_KEYWORDS.has(keyword) && (keyword === 'FROM' || contains(text, '--', start, end))
        ? splitWords(text, raw.keywordEnd, end, escape, enoughWords(keyword))
        : null;
    const flags = words ? readFlags(keyword, words, text) : [];
    const argsStart = argumentsStart(
      text,
      flags.length > 0 ? flags[flags.length - 1].end : raw.keywordEnd,
      end,
      escape,
    );

    if (keyword === 'FROM') {
      // FROM [--platform=…] image [AS name]
      const args = (words ?? []).slice(flags.length);
      const base = args.length > 0 ? args[0].value : '';
      const nameRaw =
        args.length > 2 && args[1].value.toUpperCase() === 'AS'
          ? text.slice(args[2].start, args[2].end)
          : null;
      const parentIdx = stages.findIndex((s) => s.name !== null && s.name === base.toLowerCase());
      const parent = parentIdx === -1 ? null : parentIdx;
      const windows = parent !== null ? stages[parent].windows : WINDOWS_IMAGE.test(base);
      shellArgv = parent !== null ? stageShell[parent] : null;
      stages.push({
        index: stages.length,
        name: nameRaw ? nameRaw.toLowerCase() : null,
        base,
        parent,
        windows,
        from: null as unknown as Instruction,
        instructions: [],
      });
      stageShell.push(shellArgv);
    }
    const stageIdx = stages.length - 1;
    const stage = stageIdx >= 0 ? stages[stageIdx] : null;

    let run: RunInfo | null = null;
    if (keyword === 'RUN') {
      const posixShell = shellArgv ? isPosixShell(shellArgv) : !(stage?.windows ?? false);
      run = readRun(text, argsStart, end, escape, posixShell, heredocs);
    }
    if (keyword === 'SHELL') {
      const argv = parseJsonArray(text.slice(argsStart, end));
      shellArgv = argv ?? ['?'];
      if (stageIdx >= 0) stageShell[stageIdx] = shellArgv;
    }

    let parsedScript: ShellScript | null | undefined;
    const instruction: Instruction = {
      index: instructions.length,
      keyword,
      start,
      end,
      startLine,
      endLine,
      flags,
      argsStart,
      stage: stageIdx,
      run,
      text: text.slice(start, end),
      script() {
        if (parsedScript === undefined) {
          parsedScript =
            run && run.form === 'shell' && run.posixShell && run.body ? parseShell(run.body.text) : null;
        }
        return parsedScript;
      },
    };
    instructions.push(instruction);
    if (stage) {
      if (keyword === 'FROM') stage.from = instruction;
      stage.instructions.push(instruction);
    }
  }

  if (instructions.length === 0) throw new InputError('no Dockerfile instructions', 'not-a-dockerfile');
  // Comment and blank lines inside a continuation belong to the instruction around them.
  for (const i of instructions) for (let l = i.startLine; l <= i.endLine; l++) lineKinds[l] = 'instruction';
  return { text, lines, lineKinds, eol: dominantLineBreak(text), escape, directives, instructions, stages };
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}

/**
 * Where the arguments start: past blanks, line continuations and the comment or blank lines inside
 * them (as BuildKit reads them).
 */
function argumentsStart(text: string, from: number, end: number, escape: string): number {
  let i = from;
  while (i < end) {
    const c = text[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === escape) {
      let j = i + 1;
      while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
      if (j >= end) return end;
      if (text[j] !== '\n' && text[j] !== '\r') return i;
      i = j;
    } else if (c === '\n' || c === '\r') {
      i++;
      // A continued line: blank and comment lines inside the continuation are skipped.
      for (;;) {
        let j = i;
        while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
        if (j < end && text[j] === '#') {
          while (j < end && text[j] !== '\n' && text[j] !== '\r') j++;
          while (j < end && (text[j] === '\n' || text[j] === '\r')) j++;
          i = j;
          continue;
        }
        break;
      }
    } else {
      return i;
    }
  }
  return end;
}

/**
 * `pair` within [start, end). A slice shares the text's characters, so this is the native search
 * bounded to the range (indexOf alone would run on to the end of the file when it is absent).
 */
function contains(text: string, pair: string, start: number, end: number): boolean {
  return end - start >= pair.length && text.slice(start, end).includes(pair);
}

/** A line's kind from its text in [start, end): blank (`isBlank`), comment (`#` after blanks) or other. */
function classifyLine(text: string, start: number, end: number): LineKind {
  let i = start;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (i < end && text.charCodeAt(i) === 35) return 'comment';
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 12 && c !== 11 && c !== 0xfeff) return 'instruction';
  }
  return 'blank';
}

/** Instructions whose leading `--name[=value]` words are flags. */
const FLAG_KEYWORDS = new Set(['RUN', 'COPY', 'ADD', 'FROM', 'HEALTHCHECK']);

/**
 * When the words split so far hold all readFlags needs (up to the first word that ends the flags),
 * and for FROM the three after them (`image AS name`): the rest of a long RUN is never split.
 */
function enoughWords(keyword: string): (words: readonly Word[]) => boolean {
  if (keyword === 'HEALTHCHECK') {
    return (words) => {
      const v = words[words.length - 1].value.toUpperCase();
      return v === 'CMD' || v === 'NONE';
    };
  }
  if (keyword === 'FROM') {
    let firstArg = -1;
    return (words) => {
      if (firstArg === -1 && !words[words.length - 1].value.includes('--')) firstArg = words.length - 1;
      return firstArg !== -1 && words.length - firstArg >= 3;
    };
  }
  return (words) => !words[words.length - 1].value.includes('--');
}

/** The leading `--` words: up to the first word without `--` (HEALTHCHECK: up to CMD or NONE). */
function readFlags(keyword: string, words: Word[], text: string): Flag[] {
  const flags: Flag[] = [];
  for (const w of words) {
    const value = w.value;
    if (keyword === 'HEALTHCHECK') {
      const upper = value.toUpperCase();
      if (upper === 'CMD' || upper === 'NONE') break;
    } else if (!value.includes('--')) {
      break;
    }
    if (!value.startsWith('--')) continue;
    const eq = value.indexOf('=');
    const rawEq = text.slice(w.start, w.end).indexOf('=');
    let name: string;
    let flagValue: string | null;
    if (rawEq === -1) {
      name = value.slice(2);
      flagValue = null;
    } else if (rawEq === value.length - 1) {
      name = value.substring(2, rawEq);
      flagValue = '';
    } else {
      name = value.substring(2, eq);
      flagValue = value.substring(eq + 1);
    }
    flags.push({
      name,
      value: flagValue,
      options: flagValue === null ? [] : flagOptions(flagValue),
      start: w.start,
      end: w.end,
    });
  }
  return flags;
}

/** `type=cache,target=/x` → options in order; a value without `=` has no options. */
function flagOptions(value: string): FlagOption[] {
  const options: FlagOption[] = [];
  let nameStart = -1;
  let valueStart = -1;
  let hasOptions = false;
  const option = (valueEnd: number): FlagOption =>
    valueStart === -1
      ? { name: value.substring(nameStart, valueEnd), value: null }
      : { name: value.substring(nameStart, valueStart - 1), value: value.substring(valueStart, valueEnd) };
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '=') {
      hasOptions = true;
      if (valueStart === -1) valueStart = i + 1;
    } else if (c === ',') {
      options.push(option(i));
      nameStart = -1;
      valueStart = -1;
    } else if (nameStart === -1) {
      nameStart = i;
    }
  }
  if (hasOptions && nameStart !== -1) options.push(option(value.length));
  return options;
}

function readRun(
  text: string,
  argsStart: number,
  end: number,
  escape: string,
  posixShell: boolean,
  heredocs: Heredoc[],
): RunInfo {
  if (heredocs.length > 0) return { form: 'heredoc', body: null, argv: null, posixShell, heredocs };
  const first = text[argsStart];
  if (first === '[' || (first !== undefined && /\s/.test(first))) {
    const body = joinContinuations(text, argsStart, end, escape);
    const argv = body.text.trimStart().startsWith('[') ? parseJsonArray(body.text) : null;
    if (argv) return { form: 'exec', body: null, argv, posixShell, heredocs };
    return { form: 'shell', body, argv: null, posixShell, heredocs };
  }
  // Shell form: joined when first read (many RUNs are never looked at closely).
  let body: JoinedBody | undefined;
  return {
    form: 'shell',
    get body(): JoinedBody {
      return (body ??= joinContinuations(text, argsStart, end, escape));
    },
    argv: null,
    posixShell,
    heredocs,
  };
}

/** The last physical line of the logical line starting at `line` (continuations followed). */
function logicalLineEnd(lines: LineIndex, line: number, escape: string): number {
  let l = line;
  let continues = endsWithEscape(lines, l, escape);
  while (continues && l + 1 < lines.lineCount) {
    l++;
    if (classifyLine(lines.text, lines.starts[l], lines.contentEnd(l)) !== 'instruction') continue;
    continues = endsWithEscape(lines, l, escape);
  }
  return l;
}

/** The line's last character before trailing blanks is the escape character (read in place). */
function endsWithEscape(lines: LineIndex, line: number, escape: string): boolean {
  const { text } = lines;
  const start = lines.starts[line];
  let k = lines.contentEnd(line) - 1;
  while (k >= start && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k--;
  return k >= start && text[k] === escape;
}

export interface HeredocMarker {
  name: string;
  /** `<<-`: leading tabs are stripped, so the terminator may be indented with tabs. */
  chomp: boolean;
}

/**
 * Heredoc markers in an instruction's logical line, found as BuildKit finds them: split the line
 * into shell words keeping quotes, then match each word against `^(\d*)<<(-?)name`.
 */
export function findHeredocs(line: string): HeredocMarker[] {
  if (!line.includes('<<')) return [];
  const out: HeredocMarker[] = [];
  for (const word of rawWords(line)) {
    const m = /^(\d*)<<(-?)\s*([^<]*)$/.exec(word);
    if (!m || m[3] === '') continue;
    let name = m[3];
    const q = name[0];
    if (q === "'" || q === '"') {
      if (name.length < 2 || name[name.length - 1] !== q) continue;
      name = name.slice(1, -1);
    }
    name = name.replace(/\\(.)/g, '$1');
    if (name !== '') out.push({ name, chomp: m[2] === '-' });
  }
  return out;
}

/** Shell-like words with quotes kept; `<<` followed by blanks joins the next word (`<< 'EOF'`). */
function rawWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let i = 0;
  const flush = () => {
    if (cur !== '') words.push(cur);
    cur = '';
  };
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      if (/^\d*<<-?$/.test(cur)) {
        i++;
        continue;
      }
      flush();
      i++;
    } else if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      const j = close === -1 ? line.length : close + 1;
      cur += line.slice(i, j);
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line.slice(i, i + 2);
      i += 2;
    } else {
      cur += c;
      i++;
    }
  }
  flush();
  return words;
}

/** Each heredoc's body: bodies follow the instruction's logical line in order, each up to its terminator. */
function heredocBodies(lines: LineIndex, headEnd: number, markers: HeredocMarker[]): Heredoc[] {
  const out: Heredoc[] = [];
  let l = headEnd;
  for (const h of markers) {
    const bodyStart = lines.lineEnd(l);
    for (;;) {
      l++;
      if (l >= lines.lineCount) {
        throw new InputError(`line ${headEnd + 1}: heredoc '${h.name}' is never terminated`, 'heredoc');
      }
      const t = lines.lineText(l);
      if ((h.chomp ? t.replace(/^\t+/, '') : t) === h.name) break;
    }
    out.push({ ...h, bodyStart, bodyEnd: lines.starts[l] });
  }
  return out;
}

function isPosixShell(argv: string[]): boolean {
  const exe = argv[0] ?? '';
  const base = exe.slice(exe.lastIndexOf('/') + 1);
  if (!POSIX_SHELLS.has(base)) return false;
  return base !== 'busybox' || argv[1] === 'sh';
}

function parseJsonArray(s: string): string[] | null {
  const t = s.trim();
  if (!t.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(t);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    // not JSON: shell form
  }
  return null;
}

/** A line break (global: searched from lastIndex). */
const LINE_BREAK = /[\r\n]/g;

/**
 * Join continuation lines as BuildKit does: an escape character followed only by spaces/tabs ends
 * a line that continues; inside a continuation, blank lines and comment lines are dropped.
 */
export function joinContinuations(text: string, start: number, end: number, escape: string): JoinedBody {
  const parts: string[] = [];
  // The joined text is runs of source text (one per line): where each starts, joined and in the source.
  const joinedStarts: number[] = [];
  const sourceStarts: number[] = [];
  let n = 0;
  const run = (from: number, to: number) => {
    joinedStarts.push(n);
    sourceStarts.push(from);
    n += to - from;
  };
  let i = start;
  let firstLine = true;
  while (i < end) {
    LINE_BREAK.lastIndex = i;
    const lineEnd = LINE_BREAK.test(text) ? Math.min(LINE_BREAK.lastIndex - 1, end) : end;
    if (!firstLine && classifyLine(text, i, lineEnd) !== 'instruction') {
      i = skipBreak(text, lineEnd, end);
      continue;
    }
    firstLine = false;
    // A continuation: the escape character followed only by blanks up to the line end.
    let k = lineEnd - 1;
    while (k >= i && (text[k] === ' ' || text[k] === '\t')) k--;
    const continues = k >= i && text[k] === escape;
    const contentEnd = continues ? k : lineEnd;
    if (contentEnd > i) {
      parts.push(text.slice(i, contentEnd));
      run(i, contentEnd);
    }
    if (!continues) {
      if (lineEnd < end) {
        // A line break inside an instruction that does not continue (should not happen outside
        // heredocs); keep it as a newline so the shell sees a statement separator.
        parts.push('\n');
        run(lineEnd, lineEnd + 1);
      } else break;
    }
    i = skipBreak(text, lineEnd, end);
  }
  run(end, end);
  let map: Int32Array | undefined;
  return {
    text: parts.length === 1 ? parts[0] : parts.join(''),
    get map(): Int32Array {
      if (!map) {
        map = new Int32Array(n + 1);
        for (let k = 0; k < joinedStarts.length; k++) {
          const stop = k + 1 < joinedStarts.length ? joinedStarts[k + 1] : n + 1;
          for (let j = joinedStarts[k]; j < stop; j++) map[j] = sourceStarts[k] + (j - joinedStarts[k]);
        }
      }
      return map;
    },
    sourceAt(at: number): number {
      // The last run starting at or before `at` (runs are in order; usually a handful).
      let lo = 0;
      let hi = joinedStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (joinedStarts[mid] <= at) lo = mid;
        else hi = mid - 1;
      }
      return sourceStarts[lo] + (at - joinedStarts[lo]);
    },
  };
}

function skipBreak(text: string, i: number, end: number): number {
  if (i < end && text[i] === '\r') i++;
  if (i < end && text[i] === '\n') i++;
  return i;
}

/** Source range of a joined-text range. */
export function toSource(body: JoinedBody, start: number, end: number): { start: number; end: number } {
  const s = body.sourceAt(start);
  const e = end > start ? body.sourceAt(end - 1) + 1 : s;
  return { start: s, end: e };
}

/** Lines of the comment block directly above an instruction (no blank line in between). */
export function commentBlockStart(model: DockerfileModel, instr: Instruction): number {
  let line = instr.startLine;
  while (line > 0 && model.lineKinds[line - 1] === 'comment') line--;
  return line;
}

export function stageOf(model: DockerfileModel, instr: Instruction): Stage | null {
  return instr.stage >= 0 ? model.stages[instr.stage] : null;
}
