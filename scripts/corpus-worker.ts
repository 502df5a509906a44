/**
 * Worker for the corpus check: fixes each file in each mode and checks idempotence, minimality and
 * determinism in-process. Runs in a worker thread so that the main thread can stop a file that hangs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { diffLines } from 'diff';
import { fixTextSync } from '../src/api.js';
import type { FixResult } from '../src/core/engine.js';
import { parseDockerfile } from '../src/core/model.js';
import { isDeepStrictEqual } from 'node:util';
import { parsePlainShell } from '../src/shell/plain.js';
import { initShellParser, parseWithTreeSitter } from '../src/shell/index.js';
import { decodeDockerfile, InputError } from '../src/core/text.js';
import type { Mode } from '../src/core/transform.js';
import { semanticViolations } from './semantic-check.js';

export interface WorkerInput {
  files: string[];
  modes: Mode[];
  outDir: string;
}

export interface FileReport {
  index: number;
  mode: Mode;
  status: 'changed' | 'unchanged' | 'error';
  errorKind?: string;
  errorMessage?: string;
  /** Where the output was written (changed files only), for bkcheck. */
  outputPath?: string;
  fixes: string[];
  skips: string[];
  violations: string[];
  /** The semantic invariant each violation broke (semantic-check.ts), one entry per finding. */
  semantic: string[];
  ms: number;
  hash?: string;
}

export type WorkerMessage =
  | { type: 'start'; index: number }
  | { type: 'report'; report: FileReport }
  | { type: 'violation'; index: number; mode: Mode; message: string }
  | { type: 'done' };

/**
 * The plain-script fast path must read every RUN script it accepts exactly as tree-sitter does
 * (shell-form bodies and heredoc scripts of a file).
 */
export function plainShellViolations(text: string): string[] {
  const out: string[] = [];
  let model;
  try {
    model = parseDockerfile(text);
  } catch {
    return out;
  }
  for (const i of model.instructions) {
    if (i.keyword !== 'RUN' || !i.run) continue;
    const scripts = i.run.heredocs.map((h) => model.text.slice(h.bodyStart, h.bodyEnd));
    if (i.run.form === 'shell' && i.run.body) scripts.push(i.run.body.text);
    for (const script of scripts) {
      const plain = parsePlainShell(script);
      if (plain !== null && !isDeepStrictEqual(plain, parseWithTreeSitter(script)))
        out.push(`line ${i.startLine + 1}: the plain-script reader and tree-sitter read the RUN differently`);
    }
  }
  return out;
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16) + ':' + s.length;
}

/**
 * Every changed line must lie inside (or, for an insertion, next to) lines a reported fix touched.
 * A line diff may place an inserted block anywhere along a run of lines equal to its own edge lines
 * (a block ending in a blank line slides over blank lines), so insertions may slide that far.
 */
export function minimalityViolations(input: string, output: string, result: FixResult): string[] {
  // A fix answers for whole instructions: the ones its lines touch.
  const spans = parseDockerfile(input).instructions.map((i) => [i.startLine + 1, i.endLine + 1] as const);
  const ranges = result.fixes
    .filter((f) => f.applied)
    .map((f) => {
      const [a, b] = f.lines;
      let [first, last] = [a, b];
      for (const [s, e] of spans) {
        if (e >= a && s <= b) {
          first = Math.min(first, s);
          last = Math.max(last, e);
        }
      }
      return [first, last] as const;
    });
  const inside = (line: number) => ranges.some(([a, b]) => a <= line && line <= b);
  const inputLines = input.split(/\r?\n/);
  const blank = (line: number) =>
    line >= 1 && line <= inputLines.length && inputLines[line - 1].trim() === '';
  const out: string[] = [];
  let oldLine = 1;
  for (const part of diffLines(input, output)) {
    const count = part.count ?? 0;
    if (part.removed) {
      // Blank lines are interchangeable in a line diff: a removed blank line next to a removed
      // instruction may be shown on either side of it.
      const nearEdit = (l: number) => inside(l - 1) || inside(l + 1);
      for (let l = oldLine; l < oldLine + count; l++)
        if (!inside(l) && !(blank(l) && nearEdit(l))) out.push(`line ${l} changed outside every reported edit`);
      oldLine += count;
    } else if (part.added) {
      const added = part.value.replace(/\r?\n$/, '').split(/\r?\n/);
      let from = oldLine - 1;
      while (from > 1 && (inputLines[from - 1] === added[added.length - 1] || blank(from))) from--;
      let to = oldLine;
      while (to <= inputLines.length && (inputLines[to - 1] === added[0] || blank(to))) to++;
      let ok = false;
      for (let l = from; l <= to && !ok; l++) ok = inside(l);
      if (!ok) out.push(`lines inserted at line ${oldLine} outside every reported edit`);
    } else {
      oldLine += count;
    }
  }
  return out;
}

function fixOne(text: string, mode: Mode): FixResult {
  return fixTextSync(text, { mode });
}

async function main(): Promise<void> {
  const input = workerData as WorkerInput & { startAt: number };
  await initShellParser();
  const hashes = new Map<string, string>();
  const post = (m: WorkerMessage) => parentPort!.postMessage(m);
  for (let index = input.startAt; index < input.files.length; index++) {
    post({ type: 'start', index });
    const file = input.files[index];
    let text: string | null = null;
    let readError: InputError | null = null;
    try {
      const bytes = fs.readFileSync(file);
      if (bytes.length === 0) throw new InputError('empty file', 'empty');
      text = decodeDockerfile(bytes);
    } catch (err) {
      readError = err instanceof InputError ? err : new InputError((err as Error).message, 'unreadable');
    }
    for (const mode of input.modes) {
      const t0 = performance.now();
      const report: FileReport = {
        index,
        mode,
        status: 'unchanged',
        fixes: [],
        skips: [],
        violations: [],
        semantic: [],
        ms: 0,
      };
      try {
        if (readError) throw readError;
        if (mode === input.modes[0]) report.violations.push(...plainShellViolations(text!));
        const result = fixOne(text!, mode);
        report.fixes = result.fixes.filter((f) => f.applied).map((f) => f.transform);
        report.skips = result.skips.map((s) => `${s.transform}: ${s.reason}`);
        report.hash = hash(result.output);
        hashes.set(`${mode}:${index}`, report.hash);
        if (result.changed) {
          report.status = 'changed';
          const again = fixOne(result.output, mode);
          if (again.output !== result.output)
            report.violations.push('not idempotent: fixing the output changes it again');
          report.violations.push(...minimalityViolations(text!, result.output, result));
          report.violations.push(...plainShellViolations(result.output));
          for (const f of semanticViolations(text!, result.output)) {
            report.semantic.push(f.check);
            report.violations.push(`line ${f.line}: semantic ${f.signature}`);
          }
          report.outputPath = path.join(input.outDir, mode, `${index}`);
          fs.writeFileSync(report.outputPath, result.output);
        }
      } catch (err) {
        if (err instanceof InputError) {
          report.status = 'error';
          report.errorKind = err.kind;
          report.errorMessage = err.message;
        } else {
          report.status = 'error';
          report.errorKind = 'crash';
          report.errorMessage = (err as Error).stack ?? String(err);
          report.violations.push(`crash: ${(err as Error).message}`);
        }
      }
      report.ms = performance.now() - t0;
      post({ type: 'report', report });
    }
  }
  // Determinism: the same files again, in reverse order, must give the same bytes.
  for (let index = input.files.length - 1; index >= input.startAt; index--) {
    post({ type: 'start', index });
    for (const mode of input.modes) {
      const first = hashes.get(`${mode}:${index}`);
      if (first === undefined) continue;
      const text = decodeDockerfile(fs.readFileSync(input.files[index]));
      const second = hash(fixOne(text, mode).output);
      if (second !== first) {
        post({ type: 'violation', index, mode, message: 'not deterministic: a second run gave other bytes' });
      }
    }
  }
  post({ type: 'done' });
}

if (parentPort) void main();
