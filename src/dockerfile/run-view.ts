/**
 * One view of the commands a RUN executes, whatever its form: shell form (the joined body), exec
 * form (the JSON array read as one command) or a heredoc script (`RUN <<EOF`). Every word and
 * step maps back to source offsets, so transforms can remove a word, insert one, or remove a step
 * with the same code for all three forms.
 */
import { toSource, type DockerfileModel, type Instruction } from '../core/model.js';
import { parseShell, type ShellScript, type SimpleCommand, type Step, type Word } from '../shell/index.js';
import type { TextEdit } from '../core/transform.js';

export interface RunView {
  form: 'shell' | 'exec' | 'heredoc';
  instr: Instruction;
  /** Shell and heredoc forms: the parsed script. Exec form: null. */
  script: ShellScript | null;
  /** Every simple command (exec form: the one command), with whether it runs in a subshell. */
  commands: { command: SimpleCommand; isolated: boolean }[];
  /** Source range of a range of the view's own offsets. */
  toSource(start: number, end: number): { start: number; end: number };
  /** The file's escape character (line continuations). */
  escape: string;
}

/** The view of a RUN, or null when its commands cannot be read (non-POSIX shell, opaque heredoc, bad JSON). */
export function runView(model: DockerfileModel, instr: Instruction): RunView | null {
  const run = instr.run;
  if (instr.keyword !== 'RUN' || !run) return null;
  if (run.form === 'shell') {
    const script = instr.script();
    if (!script || script.hasError) return null;
    const body = run.body!;
    return {
      form: 'shell',
      instr,
      script,
      commands: script.allCommands,
      toSource: (s, e) => toSource(body, s, e),
      escape: model.escape,
    };
  }
  if (run.form === 'heredoc') {
    // Only `RUN <<EOF` (the heredoc is the script the shell runs); `RUN python3 <<EOF` feeds stdin.
    if (!run.posixShell || run.heredocs.length !== 1) return null;
    const head = model.text.slice(instr.argsStart, run.heredocs[0].bodyStart).trim();
    if (!/^<<-?\s*(["']?)[A-Za-z_][\w.-]*\1$/.test(head)) return null;
    const { bodyStart, bodyEnd } = run.heredocs[0];
    const source = model.text.slice(bodyStart, bodyEnd);
    const script = parseShell(source);
    if (script.hasError) return null;
    return {
      form: 'heredoc',
      instr,
      script,
      commands: script.allCommands,
      toSource: (s, e) => ({ start: bodyStart + s, end: bodyStart + e }),
      escape: model.escape,
    };
  }
  // Exec form: the JSON array is one command, no shell in between.
  const words = jsonStringRanges(model.text, instr.argsStart, instr.end);
  if (!words || words.length === 0 || words.length !== run.argv!.length) return null;
  const command: SimpleCommand = {
    type: 'command',
    name: words[0].value,
    args: words.slice(1),
    nameEnd: words[0].end,
    assignments: [],
    hasRedirect: false,
    start: words[0].start,
    end: words[words.length - 1].end,
  };
  return {
    form: 'exec',
    instr,
    script: null,
    commands: [{ command, isolated: false }],
    toSource: (s, e) => ({ start: s, end: e }),
    escape: model.escape,
  };
}

/** The string elements of a JSON array in the source, with their source ranges (offsets are source offsets). */
function jsonStringRanges(text: string, start: number, end: number): Word[] | null {
  const out: Word[] = [];
  let i = text.indexOf('[', start);
  if (i === -1 || i >= end) return null;
  i++;
  while (i < end) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < end && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= end) return null;
      const raw = text.slice(i, j + 1);
      let value: string;
      try {
        value = JSON.parse(raw) as string;
      } catch {
        return null;
      }
      out.push({ raw, value, start: i, end: j + 1 });
      i = j + 1;
    } else if (c === ']') {
      return out;
    } else {
      i++;
    }
  }
  return null;
}

/** Remove one word (an argument) with the whitespace or `, ` before it. */
export function removeWord(view: RunView, command: SimpleCommand, word: Word): TextEdit {
  const idx = command.args.indexOf(word);
  const prevEnd = idx > 0 ? command.args[idx - 1].end : command.nameEnd;
  if (view.form === 'exec') return { start: prevEnd, end: word.end, text: '' };
  const from = view.toSource(prevEnd, prevEnd).start;
  const to = view.toSource(word.start, word.end).end;
  return { start: from, end: to, text: '' };
}

/** Insert a word right after another word (or after the command name when `after` is null). */
export function insertWordAfter(
  view: RunView,
  command: SimpleCommand,
  after: Word | null,
  value: string,
): TextEdit {
  const at = after ? after.end : command.nameEnd;
  if (view.form === 'exec') return { start: at, end: at, text: `, ${JSON.stringify(value)}` };
  const s = view.toSource(at - 1, at).end;
  return { start: s, end: s, text: ` ${value}` };
}

/** Insert words right after another word (or after the command name when `after` is null). */
export function insertWordsAfter(
  view: RunView,
  command: SimpleCommand,
  after: Word | null,
  values: readonly string[],
): TextEdit {
  const at = after ? after.end : command.nameEnd;
  if (view.form === 'exec') return { start: at, end: at, text: values.map((v) => `, ${JSON.stringify(v)}`).join('') };
  const s = view.toSource(at - 1, at).end;
  return { start: s, end: s, text: values.map((v) => ` ${v}`).join('') };
}

/** Is `set -e` (or `-eux`, `-o errexit`) in force at the top level before this offset? */
export function errexitBefore(script: ShellScript, offset: number): boolean {
  for (const { command, isolated } of script.allCommands) {
    if (isolated || command.start >= offset || command.name !== 'set') continue;
    for (let i = 0; i < command.args.length; i++) {
      const v = command.args[i].value;
      if (v && /^-[a-z]*e[a-z]*$/.test(v)) return true;
      if (v === '-o' && command.args[i + 1]?.value === 'errexit') return true;
    }
  }
  return false;
}

/**
 * Remove whole top-level steps from a shell or heredoc RUN, keeping the meaning of the rest: the
 * neighbours stay joined by `;` if a removed connector was `;` (the next command ran regardless),
 * else by `&&`. A step joined by `||` or `&`, or whose removal would change the RUN's exit status,
 * is a problem, returned with the reason.
 */
export function removeSteps(view: RunView, remove: Step[]): { edits: TextEdit[] } | { problem: string } {
  const gone = new Set(remove);
  if (gone.size === 0) return { edits: [] };
  const script = view.script;
  if (!script) return { problem: 'the RUN is not a shell script' };
  const steps = script.steps;
  if (steps.every((s) => gone.has(s))) return { problem: 'it would leave the RUN empty' };
  const src = (offset: number) => view.toSource(offset, offset + 1).start;
  const srcEnd = (offset: number) => view.toSource(offset - 1, offset).end;
  const edits: TextEdit[] = [];
  for (let i = 0; i < steps.length; i++) {
    if (!gone.has(steps[i])) continue;
    let j = i;
    while (j + 1 < steps.length && gone.has(steps[j + 1])) j++;
    const next = j + 1 < steps.length ? steps[j + 1] : null;
    const connectors: string[] = [];
    for (let k = Math.max(i, 1); k <= j + 1 && k < steps.length; k++) connectors.push(steps[k].before!);
    if (connectors.some((c) => c === '||' || c === '&')) {
      return { problem: 'it is joined to its neighbours by `||` or `&`' };
    }
    const wholeLines = view.form === 'heredoc' ? heredocLines(view, steps, i, j) : null;
    const before = edits.length;
    if (wholeLines) {
      edits.push(wholeLines);
    } else if (i === 0) {
      // Leading steps: delete up to the next step, connector included.
      edits.push({ start: src(steps[0].pipeline.start), end: src(next!.pipeline.start), text: '' });
    } else if (next === null) {
      // Trailing steps: the RUN's exit status becomes the previous command's, which is the same
      // only when every removed connector is `&&` (or `set -e` stops at a failure anyway).
      if (script.trailing === '&') return { problem: 'the RUN ends with `&`' };
      if (connectors.includes(';') && !errexitBefore(script, steps[i].pipeline.start)) {
        return {
          problem: 'it follows `;`, so removing it would make the RUN fail where the command before it fails',
        };
      }
      edits.push({ start: srcEnd(steps[i - 1].pipeline.end), end: srcEnd(steps[j].pipeline.end), text: '' });
    } else {
      const cIn = steps[i].before;
      const cOut = next.before;
      const wantSemicolon = connectors.includes(';');
      if (!wantSemicolon || cIn === ';') {
        // `a && rm && b` → `a && b`; `a; rm && b` → `a; b`: delete `rm && `.
        edits.push({ start: src(steps[i].pipeline.start), end: src(next.pipeline.start), text: '' });
      } else if (cOut === ';') {
        // `a && rm; b` → `a; b`: delete ` && rm`.
        edits.push({
          start: srcEnd(steps[i - 1].pipeline.end),
          end: srcEnd(steps[j].pipeline.end),
          text: '',
        });
      } else {
        return { problem: 'its connectors cannot be kept as they are' };
      }
    }
    // A comment line of the RUN inside what goes stays: it documents a command that stays.
    if (view.form === 'shell' && edits.slice(before).some((e) => coversCommentLine(view, e))) {
      const joiner = connectors[0];
      const safe =
        i === j && (joiner === '&&' || joiner === ';') && connectors.every((c) => c === joiner)
          ? commentKeepingRemoval(view, steps, i, joiner)
          : null;
      if (!safe) return { problem: 'a comment line of the RUN sits inside what would be removed' };
      edits.splice(before, edits.length - before, ...safe);
    }
    i = j;
  }
  return { edits };
}

/** Does a deletion in the RUN's source take a whole comment line (one inside the continuation)? */
function coversCommentLine(view: RunView, e: TextEdit): boolean {
  const text = view.instr.text.slice(e.start - view.instr.start, e.end - view.instr.start);
  return /\n[ \t]*#/.test(text);
}

/**
 * Remove step i by whole lines, leaving the comment lines around it in place: it must sit on its
 * own line with exactly one connector beside it (`    && rm … \`, `    rm … && \`, `    rm …; \`),
 * or be the first step on the RUN line. Null when the layout is another one.
 */
function commentKeepingRemoval(view: RunView, steps: Step[], i: number, joiner: '&&' | ';'): TextEdit[] | null {
  const text = view.instr.text;
  const base = view.instr.start;
  const esc = view.escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const c = joiner === '&&' ? '&&' : ';';
  const src = (offset: number) => view.toSource(offset, offset + 1).start - base;
  const srcEnd = (offset: number) => view.toSource(offset - 1, offset).end - base;
  const lineStart = (p: number) => text.lastIndexOf('\n', p - 1) + 1;
  const lineEnd = (p: number) => {
    const n = text.indexOf('\n', p);
    return n === -1 ? text.length : n;
  };
  const contentEnd = (p: number) => (text[lineEnd(p) - 1] === '\r' ? lineEnd(p) - 1 : lineEnd(p));
  const a = src(steps[i].pipeline.start);
  const b = srcEnd(steps[i].pipeline.end);
  const first = lineStart(a);
  const last = contentEnd(b);
  const lead = text.slice(first, a);
  const tail = text.slice(b, last);
  const prefixStyle = new RegExp(`^[ \\t]*${c}[ \\t]*$`).test(lead) && new RegExp(`^[ \\t]*(${esc}[ \\t]*)?$`).test(tail);
  const suffixStyle = /^[ \t]*$/.test(lead) && new RegExp(`^[ \\t]*${c}[ \\t]*${esc}[ \\t]*$`).test(tail);
  const edit = (start: number, end: number): TextEdit => ({ start: base + start, end: base + end, text: '' });
  const next = steps[i + 1];
  if (i === 0) {
    // The first command, on the RUN line: keep `RUN \`, drop the command and the `&&` that joins the next.
    if (!next) return null;
    const escAt = text.lastIndexOf(view.escape, last);
    const joinsOnThisLine = new RegExp(`^[ \\t]*${c}[ \\t]*${esc}[ \\t]*$`).test(tail);
    const joinsOnNextLine = new RegExp(`^[ \\t]*${esc}[ \\t]*$`).test(tail);
    const n = src(next.pipeline.start);
    if (joinsOnThisLine) return [edit(a, escAt)];
    if (!joinsOnNextLine) return null;
    const amp = text.lastIndexOf(c, n);
    if (amp < last || !new RegExp(`^${c}[ \\t]*$`).test(text.slice(amp, n))) return null;
    return [edit(a, escAt), edit(amp, n)];
  }
  const prevEnd = srcEnd(steps[i - 1].pipeline.end);
  if (prevEnd >= first) return null;
  const prevLineEnd = contentEnd(prevEnd);
  const prevTail = text.slice(prevEnd, prevLineEnd);
  const lineBreakAfter = lineEnd(last) < text.length ? lineEnd(last) + 1 : lineEnd(last);
  if (next) {
    const n = src(next.pipeline.start);
    const between = text.slice(lineBreakAfter, n);
    const nextHasConnector = new RegExp(`${c}[ \\t]*$`).test(between);
    if (prefixStyle && nextHasConnector) return [edit(first, lineBreakAfter)];
    if (suffixStyle && !nextHasConnector && new RegExp(`${c}[ \\t]*$`).test(prevTail.replace(new RegExp(`[ \\t]*${esc}[ \\t]*$`), '')))
      return [edit(first, lineBreakAfter)];
    return null;
  }
  // The last command: the RUN now ends on the line before it; the comments stay after it.
  if (!prefixStyle && !suffixStyle) return null;
  const prevJoin = prefixStyle ? new RegExp(`^[ \\t]*${esc}[ \\t]*$`) : new RegExp(`^[ \\t]*${c}[ \\t]*${esc}[ \\t]*$`);
  if (!prevJoin.test(prevTail)) return null;
  const beforeFirst = first > 0 && text[first - 2] === '\r' ? first - 2 : first - 1;
  return [edit(prevEnd, prevLineEnd), edit(beforeFirst, last)];
}

/**
 * In a heredoc script, steps i..j that fill whole lines on their own (newline-separated, no
 * continuation into them) are removed line and all, so no trailing comment or blank line is left.
 */
function heredocLines(view: RunView, steps: Step[], i: number, j: number): TextEdit | null {
  const source = view.script!.source;
  const a = steps[i].pipeline.start;
  const b = steps[j].pipeline.end;
  const lineStart = source.lastIndexOf('\n', a - 1) + 1;
  if (source.slice(lineStart, a).trim() !== '') return null;
  let lineEnd = source.indexOf('\n', b);
  if (lineEnd === -1) lineEnd = source.length;
  if (!/^[ \t]*(#.*)?\r?$/.test(source.slice(b, lineEnd))) return null;
  if (
    lineStart > 0 &&
    /\\\r?$/.test(source.slice(source.lastIndexOf('\n', lineStart - 2) + 1, lineStart - 1))
  )
    return null;
  if (i > 0 && source.slice(steps[i - 1].pipeline.end, lineStart).includes('&&')) return null;
  const next = steps[j + 1];
  if (next && source.slice(b, next.pipeline.start).includes('&&')) return null;
  if (!next && i > 0 && !errexitBefore(view.script!, a)) return null;
  const end = lineEnd < source.length ? lineEnd + 1 : lineEnd;
  return { ...view.toSource(lineStart, end), text: '' };
}
