/** Edits shared by transforms, written in the seeds' style and keeping every other byte as it was. */
import { commentBlockStart, type DockerfileModel, type Instruction } from '../core/model.js';
import { leadingWhitespace } from '../core/text.js';
import { skip, type Skip, type TextEdit } from '../core/transform.js';
import type { ShellScript, SimpleCommand } from '../shell/index.js';
import { quote } from '../core/quote.js';

export { quote };

/**
 * Remove an instruction with the comment block directly above it. Blank lines do not pile up:
 * when a blank line (or the end of the file) follows, the blank lines before it go too. A file
 * without a final newline keeps having none.
 */
export function removeInstruction(model: DockerfileModel, instr: Instruction): TextEdit {
  const { lines, lineKinds } = model;
  let first = commentBlockStart(model, instr);
  const last = instr.endLine;
  // The empty "line" after a final newline counts as blank, so the end of the file does too.
  const blankAfter = last + 1 >= lines.lineCount || lineKinds[last + 1] === 'blank';
  if (blankAfter) while (first > 0 && lineKinds[first - 1] === 'blank') first--;
  let start = lines.starts[first];
  const end = lines.lineEnd(last);
  if (end === model.text.length && lines.lineBreak(last) === '' && first > 0) {
    // The removed lines ended the file without a final newline: the line before them now does.
    start = lines.contentEnd(first - 1);
  }
  return { start, end, text: '' };
}

/** Offset just after the last non-blank character of an instruction. */
export function contentEnd(model: DockerfileModel, instr: Instruction): number {
  let e = instr.end;
  while (e > instr.start && (model.text[e - 1] === ' ' || model.text[e - 1] === '\t')) e--;
  return e;
}

/**
 * The indentation for a continuation line added to a RUN: that of its `&&`/`||` lines if it has
 * any, else the smallest of its continuation lines, else the RUN's own.
 */
export function continuationIndent(model: DockerfileModel, instr: Instruction): string {
  const { lines, lineKinds } = model;
  let operatorIndent: string | null = null;
  let minIndent: string | null = null;
  for (let l = instr.startLine + 1; l <= instr.endLine; l++) {
    const t = lines.lineText(l);
    if (lineKinds[l] !== 'instruction' || /^[ \t]*(#|$)/.test(t)) continue;
    const ws = leadingWhitespace(t);
    if (/^[ \t]*(&&|\|\|)/.test(t)) operatorIndent = ws;
    if (minIndent === null || ws.length < minIndent.length) minIndent = ws;
  }
  return operatorIndent ?? minIndent ?? leadingWhitespace(lines.lineText(instr.startLine));
}

/** The line break an instruction uses (the file's dominant one if it has none). */
export function lineBreakOf(model: DockerfileModel, instr: Instruction): string {
  // A lone CR ends a line for the editor-style line index, but not for BuildKit: never write one.
  const lb = model.lines.lineBreak(instr.startLine);
  return lb === '\n' || lb === '\r\n' ? lb : model.eol;
}

/**
 * Text that appends `&& part` for each part to a RUN: on the same line for a one-line RUN, else
 * one continuation line per part (`    && rm -rf …`), as in the seeds.
 */
export function appendedCommands(
  model: DockerfileModel,
  instr: Instruction,
  parts: string[],
  multiline: boolean,
): string {
  if (!multiline) return parts.map((p) => ` && ${p}`).join('');
  const indent = continuationIndent(model, instr);
  const eol = lineBreakOf(model, instr);
  return parts.map((p) => ` ${model.escape}${eol}${indent}&& ${p}`).join('');
}

/** Can commands be appended to this RUN with `&&` without changing what it already does? */
export function checkAppendable(
  model: DockerfileModel,
  run: Instruction,
  script: ShellScript,
  role: string,
): Skip<'not-appendable'> | null {
  const no = (why: string) => skip('not-appendable', `the ${role} RUN ${quote(run)} ${why}`);
  if (script.hasError) return no('is not valid shell');
  if (script.hasComment) return no('contains a shell comment that would swallow appended commands');
  if (script.trailing === '&') return no('ends with `&`');
  if (script.trailing === ';') return no('ends with `;`');
  if (script.steps.length === 0) return no('is empty');
  const end = contentEnd(model, run);
  if (model.text[end - 1] === model.escape) return no('ends with a line continuation');
  return null;
}

/**
 * The first of `commands` that runs only in a branch of the script (after `||`, inside `if`/`for`/a
 * subshell, or as part of a pipeline): a command appended to the RUN would run without it, and a
 * cleanup of its cache could fail where the tool is missing. Null when all run unconditionally.
 */
export function inBranch(script: ShellScript, commands: readonly SimpleCommand[]): SimpleCommand | null {
  const unconditional = new Set<SimpleCommand>();
  for (const step of script.steps) {
    if (step.before === '||' || step.before === '&') break;
    const { units, negated } = step.pipeline;
    if (!negated && units.length === 1 && units[0].type === 'command') unconditional.add(units[0]);
  }
  return commands.find((c) => !unconditional.has(c)) ?? null;
}
