/**
 * The pipeline for one file: parse → the given transforms in order (re-parsing after each one that
 * changed the text) → repeat until a whole pass changes nothing → verify. The engine knows no
 * transform by name: the caller (the API, the command line) passes them in.
 */
import { parseDockerfile, type Instruction } from './model.js';
import { withQuoteOrigin } from './quote.js';
import { applyEdits, EditSet, OffsetMap, overlaps } from './edits.js';
import { ignoredRanges, ignoresWholeFile } from './inline-ignores.js';
import { InputError } from './text.js';
import { VerifyError, verifyShell } from './verify.js';
import type { BuildContextSource } from './file-tree.js';
import type {
  FixProposal,
  Mode,
  NewFile,
  Safety,
  Transform,
  TransformContext,
  TransformResult,
} from './transform.js';

export { VerifyError };

/** How one text is fixed (the transforms themselves are passed beside these). */
export interface PipelineOptions {
  mode?: Mode;
  /** Apply `review` fixes too. */
  unsafe?: boolean;
  /** Add `# syntax=docker/dockerfile:1` to files that use RUN --mount (the syntax-directive transform). */
  addSyntax?: boolean;
  /** Path of the file, for messages and for transforms that create files beside it. */
  filePath?: string | null;
  /** The build context, read-only; null when it is not known; a function to read it when first asked. */
  buildContext?: BuildContextSource | null | (() => BuildContextSource | null);
  /**
   * Several build contexts (the first one is `buildContext`), or a function to read them when
   * first asked: fixes must hold for every one.
   */
  buildContexts?: readonly BuildContextSource[] | (() => readonly BuildContextSource[]);
  maxPasses?: number;
}

export interface ReportedFix {
  transform: string;
  message: string;
  safety: Safety;
  /** 1-based line in the input file. */
  line: number;
  /** False for a `review` fix that was not applied (no `--unsafe`). */
  applied: boolean;
  /** 1-based input lines its edits touch (first, last). */
  lines: [number, number];
}

export interface ReportedSkip {
  transform: string;
  reason: string;
  message: string;
  line: number;
}

export interface FixResult {
  input: string;
  output: string;
  /** The text changed, or a fix creates a file. */
  changed: boolean;
  /** Files to create (applied fixes only), e.g. a proposed .dockerignore. */
  newFiles: NewFile[];
  /** Files review fixes would create without --unsafe (shown in --dry-run, never written). */
  proposedFiles: NewFile[];
  fixes: ReportedFix[];
  skips: ReportedSkip[];
  passes: number;
  /** The build contexts the file was fixed against, with how each was chosen. */
  contexts: { dir: string; origin: string }[];
}

export const DEFAULT_MAX_PASSES = 10;

/** Select transforms by --only/--skip and mode, keeping their order. Unknown ids are an error. */
export function selectTransforms(
  all: readonly Transform[],
  options: { only?: readonly string[]; skip?: readonly string[]; mode?: Mode },
): Transform[] {
  const ids = new Set(all.map((t) => t.meta.id));
  for (const id of [...(options.only ?? []), ...(options.skip ?? [])]) {
    if (!ids.has(id)) throw new Error(`unknown transform '${id}' (known: ${[...ids].join(', ')})`);
  }
  const mode = options.mode ?? 'buildkit';
  return all.filter(
    (t) =>
      t.meta.modes.includes(mode) &&
      (!options.only || options.only.length === 0 || options.only.includes(t.meta.id)) &&
      !(options.skip ?? []).includes(t.meta.id),
  );
}

/** One transform's findings on one text, through its Report (or returned, by the first contract). */
function runTransform(transform: Transform, model: ReturnType<typeof parseDockerfile>, context: TransformContext): TransformResult {
  const result: TransformResult = { fixes: [], skips: [] };
  const declared = transform.meta.skips;
  const returned = transform.run(model, context, {
    fix: (fix) => result.fixes.push(fix),
    skip: (code, message, at) => {
      if (declared && !Object.prototype.hasOwnProperty.call(declared, code))
        throw new Error(`skip code '${code}' is not declared in meta.skips`);
      result.skips.push({ reason: code, message, at });
    },
  });
  if (returned) {
    result.fixes.push(...returned.fixes);
    result.skips.push(...returned.skips);
  }
  return result;
}

/** Fix one text with the given transforms (already selected, in order) and verify the result. */
export function runPipeline(
  input: string,
  transforms: readonly Transform[],
  options: PipelineOptions = {},
): FixResult {
  // The build contexts are read from the disk only when a transform asks: most files never do.
  let opened: readonly BuildContextSource[] | undefined;
  const contexts = (): readonly BuildContextSource[] => {
    if (opened === undefined) {
      const many = options.buildContexts;
      const one = options.buildContext;
      if (many !== undefined) opened = typeof many === 'function' ? many() : many;
      else {
        const source = typeof one === 'function' ? one() : (one ?? null);
        opened = source ? [source] : [];
      }
    }
    return opened;
  };
  const reported = () => (opened ?? []).map((c) => ({ dir: c.dir, origin: c.origin }));
  const context: TransformContext = {
    mode: options.mode ?? 'buildkit',
    filePath: options.filePath ?? null,
    get buildContext() {
      return contexts()[0] ?? null;
    },
    get buildContexts() {
      return contexts();
    },
    addSyntax: options.addSyntax ?? false,
  };
  const maxPasses = options.maxPasses ?? DEFAULT_MAX_PASSES;

  let text = input;
  let model = parseDockerfile(text);
  let ignores = ignoredRanges(model);
  const inputModel = model;
  if (ignoresWholeFile(model)) {
    return {
      input,
      output: input,
      changed: false,
      fixes: [],
      newFiles: [],
      proposedFiles: [],
      skips: [{ transform: '*', reason: 'ignored', message: 'the file says `# dockerfix-ignore`', line: 1 }],
      passes: 0,
      contexts: reported(),
    };
  }
  // Offset maps of every applied batch, newest last, to report lines in the input's numbering.
  const history: OffsetMap[] = [];
  const toInputOffset = (offset: number): number => {
    let o = offset;
    for (let i = history.length - 1; i >= 0; i--) o = history[i].toOld(o);
    return Math.min(o, input.length);
  };
  const toInputLine = (offset: number): number => inputModel.lines.lineAt(toInputOffset(offset)) + 1;
  const touchedLines = (fix: FixProposal): [number, number] => {
    if (fix.edits.length === 0) {
      const l = toInputLine(fix.at);
      return [l, l];
    }
    let first = Infinity;
    let last = -Infinity;
    for (const e of fix.edits) {
      const s = toInputOffset(e.start);
      // An edit that ends at a line start touches the lines before it, not that one.
      const end = Math.max(s, toInputOffset(e.end) - (e.end > e.start ? 1 : 0));
      first = Math.min(first, inputModel.lines.lineAt(s) + 1);
      last = Math.max(last, inputModel.lines.lineAt(end) + 1);
    }
    return [first, last];
  };

  /** The input's instruction an instruction of the current text was (itself when an edit wrote it). */
  const inputInstruction = (instr: Instruction): Instruction => {
    let o = instr.start;
    for (let i = history.length - 1; i >= 0; i--) {
      if (history[i].isWritten(o)) return instr;
      o = history[i].toOld(o);
    }
    return instructionStartingAt(inputModel.instructions, o) ?? instr;
  };

  const fixes: ReportedFix[] = [];
  const newFiles = new Map<string, string>();
  // A cacheable transform's result depends only on the text (and this call's context): one that
  // already ran on the very text in front of it need not run again (the last pass re-runs every
  // transform; those after the last change in the pass before saw the same text).
  const lastRuns = new Map<Transform, { text: string; result: TransformResult }>();
  for (let pass = 1; pass <= maxPasses; pass++) {
    let changed = false;
    const pending: ReportedFix[] = [];
    const proposed = new Map<string, string>();
    const skips: ReportedSkip[] = [];
    let lastChanger = '';
    for (const transform of transforms) {
      const id = transform.meta.id;
      let result: TransformResult;
      const last = lastRuns.get(transform);
      if (last !== undefined && last.text === text) {
        result = last.result;
      } else {
        try {
          // Once the text was rewritten, quotes in its messages show the input's instructions.
          result =
            history.length === 0
              ? runTransform(transform, model, context)
              : withQuoteOrigin(inputInstruction, () => runTransform(transform, model, context));
        } catch (err) {
          throw new InputError(`internal error in transform ${id}: ${(err as Error).message}`, 'internal');
        }
        if (transform.meta.cacheable) lastRuns.set(transform, { text, result });
      }
      for (const s of result.skips)
        skips.push({ transform: id, reason: s.reason, message: s.message, line: toInputLine(s.at) });
      // Most runs propose nothing: nothing more to set up for them.
      if (result.fixes.length === 0) continue;
      const accepted: FixProposal[] = [];
      const acceptedEdits = new EditSet();
      const ignored = ignores.filter((r) => r.ids.length === 0 || r.ids.includes(id));
      for (const fix of result.fixes) {
        const hit = ignored.find(
          (r) =>
            (fix.at >= r.start && fix.at <= r.end) ||
            fix.edits.some((e) => e.start <= r.end && e.end >= r.start),
        );
        if (hit) {
          skips.push({
            transform: id,
            reason: 'ignored',
            message: `${fix.message} — not applied: \`# dockerfix-ignore-next-line\` (line ${hit.line})`,
            line: toInputLine(fix.at),
          });
          continue;
        }
        // A file already created by an earlier pass is not proposed again.
        if (fix.newFiles?.length && fix.newFiles.every((f) => newFiles.has(f.path)) && fix.edits.length === 0)
          continue;
        if (fix.safety === 'review' && !options.unsafe) {
          for (const f of fix.newFiles ?? []) proposed.set(f.path, f.content);
          pending.push({
            transform: id,
            message: fix.message,
            safety: fix.safety,
            line: toInputLine(fix.at),
            applied: false,
            lines: touchedLines(fix),
          });
          continue;
        }
        // Like ESLint's fixer: a fix that overlaps an accepted one waits for the next pass.
        if (fix.edits.some((e) => acceptedEdits.overlapsAny(e))) continue;
        if (fix.edits.some((e, i) => fix.edits.some((f, j) => i < j && overlaps(e, f)))) {
          throw new InputError(`internal error in transform ${id}: a fix has overlapping edits`, 'internal');
        }
        accepted.push(fix);
        for (const e of fix.edits) acceptedEdits.add(e);
        for (const f of fix.newFiles ?? []) if (!newFiles.has(f.path)) newFiles.set(f.path, f.content);
      }
      if (accepted.length === 0) continue;
      for (const fix of accepted) {
        fixes.push({
          transform: id,
          message: fix.message,
          safety: fix.safety,
          line: toInputLine(fix.at),
          applied: true,
          lines: touchedLines(fix),
        });
      }
      const next = applyEdits(text, acceptedEdits.all);
      if (next === text) continue;
      history.push(new OffsetMap(acceptedEdits.all));
      text = next;
      try {
        model = parseDockerfile(text);
        ignores = ignoredRanges(model);
      } catch (err) {
        throw new VerifyError(
          `transform ${id} produced text that does not parse (${(err as Error).message})`,
          'verify',
        );
      }
      changed = true;
      lastChanger = id;
    }
    if (!changed) {
      // This pass ran every transform on the final text and changed nothing: the output is a
      // fixed point. Its skips and pending review fixes describe the final state.
      verifyShell(inputModel, model);
      return {
        input,
        output: text,
        changed: text !== input || newFiles.size > 0,
        newFiles: [...newFiles].map(([file, content]) => ({ path: file, content })),
        proposedFiles: [...proposed].map(([file, content]) => ({ path: file, content })),
        fixes: [...fixes, ...pending].sort((a, b) => a.line - b.line),
        skips: dedupeSkips(skips),
        passes: pass,
        contexts: reported(),
      };
    }
    if (pass === maxPasses) {
      throw new VerifyError(
        `transforms did not settle after ${maxPasses} passes (last change by ${lastChanger})`,
        'verify',
      );
    }
  }
  throw new VerifyError('no passes were run', 'verify');
}

/** The instruction that starts at this offset (instructions are in text order), or null. */
function instructionStartingAt(instructions: readonly Instruction[], offset: number): Instruction | null {
  let lo = 0;
  let hi = instructions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = instructions[mid].start;
    if (start === offset) return instructions[mid];
    if (start < offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

function dedupeSkips(skips: ReportedSkip[]): ReportedSkip[] {
  const seen = new Set<string>();
  return skips.filter((s) => {
    const key = `${s.transform}\0${s.line}\0${s.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
