/**
 * fold-cleanup: a RUN that deletes what an earlier RUN created cannot shrink the image (the bytes
 * stay in the earlier layer). Move the cleanup into the RUN that created the files.
 */
import { toSource, type DockerfileModel, type Instruction, type Stage } from '../src/core/model.js';
import {
  commandBase,
  shellStateChanges,
  soleCommand,
  type ShellScript,
  type SimpleCommand,
  type Step,
} from '../src/shell/index.js';
import { isSkip, skip, type Outcome, type Skip, type TextEdit, type Transform } from '../src/core/transform.js';
import { appendedCommands, checkAppendable, contentEnd, quote, removeInstruction } from '../src/rewrite/edit.js';
import { copyArgs } from '../src/dockerfile/copy-args.js';
import { existingMounts } from '../src/dockerfile/mounts.js';
import { reaches } from '../src/dockerfile/run-paths.js';
import { deletesCommentLine } from '../src/rewrite/cache-mounts.js';
import { CACHE_LABEL, cacheCleaned, cacheDirsOf, cachesCovered, cachesWritten, type CacheKind } from '../src/tools/caches.js';
import { invocation, invocations } from '../src/tools/command.js';
import { downloadedFiles } from '../src/tools/download.js';
import { normalizePath } from '../src/tools/paths.js';
import { DOCKER_DOCS } from '../src/core/references.js';

/** What a cleanup removes: a cache directory, or a file by path (a downloaded archive). */
type Target = { kind: CacheKind } | { kind: 'file'; path: string };

interface CleanupStep {
  step: Step;
  targets: Target[];
  /** `rm` without -f fails on a missing file; the others do not fail in practice. */
  canFail: boolean;
  /** Removed paths as written, for messages. */
  what: string;
}

/** How the cleanup leaves its RUN. */
type Cleanup = (
  | /** Leading cleanup commands move; the rest of the RUN (if any) stays. */
    { shape: 'prefix'; steps: CleanupStep[]; restStart: number | null }
    /** The whole RUN (it uses the downloaded file, then deletes it) joins the creating RUN. */
  | { shape: 'whole'; steps: CleanupStep[] }
) & {
  /** Why it cannot move as written, reported only if some RUN creates what it removes. */
  problem: Skip<FoldSkipCode> | null;
};

const FOLD_SKIPS = {
  'cleanup-not-separable': 'the cleanup is joined to the rest of its RUN in a way that cannot be split',
  'instruction-between': 'an instruction between the creating RUN and the cleanup changes what it sees or writes the files',
  'opaque-run': 'the RUN before it is in a form whose commands cannot be read or extended',
  'run-between': 'another RUN between them may use the files',
  'no-creator': 'no earlier RUN of the stage is known to create what the cleanup removes',
  'cleanup-flags': 'the cleanup RUN has flags of its own that moving its commands would drop',
  'not-appendable': 'the creating RUN cannot take more commands (it ends with `;`, `&`, a comment, …)',
  'mounted-target': 'the creating RUN mounts the directory the cleanup removes',
  'merge-flags': 'a RUN to merge has flags that merging would drop',
  'merge-operators': 'a RUN to merge joins commands with something other than `&&`',
  'shell-state': 'the creating RUN changes shell state that the moved commands would inherit',
} as const;
type FoldSkipCode = keyof typeof FOLD_SKIPS;

/** Instructions that neither change what a moved command sees nor touch the files. */
const NEUTRAL = new Set([
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'CMD',
  'ENTRYPOINT',
  'HEALTHCHECK',
  'STOPSIGNAL',
  'ONBUILD',
]);
/** Instructions that change the environment, user, directory or shell of later RUNs. */
const BLOCKERS = new Set(['ENV', 'ARG', 'WORKDIR', 'USER', 'SHELL', 'VOLUME']);

const CWD_CHANGERS = new Set(['cd', 'pushd', 'popd']);
const ENV_CHANGERS = new Set(['export', 'unset', 'readonly', 'declare', 'typeset', 'local']);

const CLEANUP_HINT = /\brm\b|clean|purge/;
/** A cleanup command that can start a RUN (`rm`, `apt-get clean`, `pip cache remove`, …). */
const LEADING_CLEANUP_HINT = /\brm\b|clean|purge|remove|clear-?cache|\bcc\b/;
/** Characters that can hide where a command ends (quotes, escapes, expansions, comments). */
const OPAQUE = /['"\\$`#]/;

/**
 * Whether findCleanup can find anything in this RUN, from its text: a cleanup is the RUN's first
 * command, or its last ones removing files with `rm`. Most RUNs mention `rm` only in the middle,
 * and parsing them was a fifth of all shell parsing. Where the text cannot tell, they are parsed.
 * Exported for its test: it must hold wherever findCleanup finds a cleanup.
 */
export function mayHaveCleanup(body: string): boolean {
  let start = 0;
  while (start < body.length && /[ \t\n]/.test(body[start])) start++;
  // A trailing `;` or `&` ends the last command; it does not start another.
  let end = body.length;
  while (end > start && /[ \t\n;&]/.test(body[end - 1])) end--;
  // The first command ends at or after the first operator character.
  const first = commandBoundary(body, start, end, 1);
  if (first === -1) return true;
  const head = body.slice(start, first);
  if (OPAQUE.test(head) || LEADING_CLEANUP_HINT.test(head)) return true;
  // The last command starts at or after the last operator character.
  const last = commandBoundary(body, start, end, -1);
  const tail = body.slice(last + 1, end);
  if (OPAQUE.test(tail) || body[last - 1] === '\\' || body.includes('#')) return true;
  if (!/\brm\b/.test(tail)) return false;
  // Trailing removal must be of files only: `rm -rf /var/lib/apt/lists/*` is not one.
  if (/[<>]/.test(tail)) return true;
  const words = tail.trim().split(/[ \t]+/);
  if (commandBase(words[0]) !== 'rm') return true;
  return !words.some((w, i) => i > 0 && !w.startsWith('-') && cachesCovered(w).length > 0);
}

/** The first (step 1) or last (step -1) character in [start, end) that may separate commands; -1 if none. */
function commandBoundary(text: string, start: number, end: number, step: 1 | -1): number {
  for (let i = step === 1 ? start : end - 1; i >= start && i < end; i += step) {
    const c = text[i];
    if (c === ';' || c === '\n' || c === '(' || c === ')') return i;
    // `2>&1` and `>|` are redirections, not operators.
    if ((c === '&' || c === '|') && text[i - 1] !== '>' && text[i - 1] !== '<' && text[i + 1] !== '>')
      return i;
  }
  return -1;
}

export const foldCleanup: Transform = {
  meta: {
    id: 'fold-cleanup',
    title: 'Fold cleanup RUNs into the RUN that created the files',
    description:
      'Moves a cleanup command (`rm -rf /var/lib/apt/lists/*`, `apt-get clean`, `pip cache purge`, ' +
      '`npm cache clean --force`, `rm` of a downloaded archive, …) from its own RUN into the RUN that ' +
      'created the files, and removes the RUN it leaves empty. A download that later RUNs extract and ' +
      'delete becomes one RUN.',
    why:
      'Each RUN commits a layer. Files written in one layer stay in the image even when a later layer ' +
      'deletes them: the later layer only hides them behind a whiteout. Cleanup shrinks the image only ' +
      'in the RUN that created the files.',
    seeds: ['000_e7050b95a6c7ffd0.txt', '001_66d9840990a1fa1e.txt'],
    references: [DOCKER_DOCS.aptGet, DOCKER_DOCS.layers],
    readme: 'Transforms › `fold-cleanup`',
    skips: FOLD_SKIPS,
    cacheable: true,
    safety: 'safe',
    modes: ['buildkit', 'portable'],
    example: {
      before:
        'RUN apt-get update && apt-get install -y --no-install-recommends \\\n    curl\n\nRUN rm -rf /var/lib/apt/lists/*\n',
      after:
        'RUN apt-get update && apt-get install -y --no-install-recommends \\\n    curl \\\n    && rm -rf /var/lib/apt/lists/*\n',
    },
  },
  run(model, _context, report) {
    for (const stage of model.stages) {
      for (const instr of stage.instructions) {
        if (instr.keyword !== 'RUN' || instr.run?.form !== 'shell' || !instr.run.posixShell) continue;
        const body = instr.run.body!.text;
        if (!CLEANUP_HINT.test(body) || !mayHaveCleanup(body)) continue;
        const script = instr.script();
        if (!script || script.hasError) continue;
        const found = findCleanup(script);
        if (!found) continue;
        const outcome = planFold(model, stage, instr, found);
        if (outcome === null) continue;
        if (isSkip(outcome)) report.skip(outcome.code, outcome.message, instr.start);
        else report.fix(outcome);
      }
    }
  },
};

/** Classify one pipeline as a cleanup command, or null. */
function cleanupStep(step: Step): CleanupStep | null {
  const cmd = soleCommand(step);
  if (!cmd || cmd.assignments.length > 0) return null;
  const inv = invocation(cmd);
  if (!inv) return null;
  const cleaned = cacheCleaned(inv);
  if (cleaned) return { step, targets: [{ kind: cleaned }], canFail: false, what: CACHE_LABEL[cleaned] };
  if (inv.name !== 'rm') return null;
  let force = false;
  const operands: string[] = [];
  let optionsDone = false;
  for (let i = 0; i < cmd.args.length; i++) {
    const word = cmd.args[i];
    let v = word.value;
    if (v === null) {
      // `$HOME/.cache/pip` is a cleanup target too; other expansions are not understood.
      if (/^(\$HOME|\$\{HOME\})(\/[\w.*/-]*)?$/.test(word.raw)) v = word.raw;
      else return null;
    }
    if (!optionsDone && v === '--') optionsDone = true;
    else if (!optionsDone && /^-[a-zA-Z]+$/.test(v)) force ||= v.includes('f');
    else if (!optionsDone && v.startsWith('--')) force ||= v === '--force';
    else operands.push(v);
  }
  if (operands.length === 0) return null;
  const targets: Target[] = [];
  for (const p of operands) {
    const caches = cachesCovered(p);
    if (caches.length > 0) for (const kind of caches) targets.push({ kind });
    else targets.push({ kind: 'file', path: normalizePath(p) });
  }
  return { step, targets, canFail: !force, what: operands.join(' ') };
}

/**
 * Find the cleanup in a RUN: leading cleanup commands (then the rest of the RUN, if any, stays),
 * or trailing removal of files that the RUN itself uses (then the whole RUN can join the download).
 * A string is a reason to skip a RUN that is a cleanup but cannot be moved as it is.
 */
export function findCleanup(script: ShellScript): Cleanup | null {
  const { steps } = script;
  const prefix: CleanupStep[] = [];
  for (const step of steps) {
    if (prefix.length > 0 && step.before !== '&&' && step.before !== ';') break;
    const c = cleanupStep(step);
    if (!c) break;
    prefix.push(c);
  }
  if (prefix.length > 0) {
    const rest = steps[prefix.length];
    if (script.trailing === '&') return null;
    let problem: Skip<FoldSkipCode> | null = null;
    if (rest && rest.before !== '&&' && rest.before !== ';') {
      problem = skip(
        'cleanup-not-separable',
        `the cleanup is joined to the next command by \`${rest.before}\`, so it cannot be moved on its own`,
      );
    } else if (prefix.slice(0, -1).some((c, i) => c.canFail && prefix[i + 1].step.before === ';')) {
      problem = skip(
        'cleanup-not-separable',
        'the cleanup runs a command that can fail before `;`; joining it with `&&` would change when the build fails',
      );
    }
    return { shape: 'prefix', steps: prefix, restStart: rest ? rest.pipeline.start : null, problem };
  }
  // Trailing removal of a file the same RUN uses: `tar -xzf x.tgz && rm x.tgz`.
  const suffix: CleanupStep[] = [];
  for (let i = steps.length - 1; i > 0; i--) {
    const c = cleanupStep(steps[i]);
    if (!c || c.targets.some((t) => t.kind !== 'file')) break;
    suffix.unshift(c);
  }
  if (suffix.length === 0) return null;
  const files = fileTargets(suffix);
  const head = steps.slice(0, steps.length - suffix.length);
  const usesFile = head.some((s) =>
    s.pipeline.units.some((u) => u.type === 'command' && mentionsAny(u, files)),
  );
  if (!usesFile) return null;
  // Downloaded in this same RUN: the cleanup already happens where it should.
  if (head.some((s) => s.pipeline.units.some((u) => u.type === 'command' && createsFiles(u, files))))
    return null;
  const problem =
    steps.some((s) => s.before !== null && s.before !== '&&') || script.trailing !== null
      ? skip(
          'cleanup-not-separable',
          'the RUN that extracts and deletes the download joins its commands with something other than `&&`',
        )
      : null;
  return { shape: 'whole', steps: suffix, problem };
}

function fileTargets(steps: CleanupStep[]): string[] {
  const out: string[] = [];
  for (const s of steps) for (const t of s.targets) if (t.kind === 'file') out.push(t.path);
  return out;
}

function mentionsAny(cmd: SimpleCommand, files: string[]): boolean {
  return cmd.args.some((a) => {
    if (a.value === null) return false;
    const v = normalizePath(a.value);
    return files.some((f) => v === f || a.value!.endsWith('=' + f));
  });
}

function describeTargets(steps: CleanupStep[]): string {
  const labels = new Set<string>();
  for (const s of steps) {
    for (const t of s.targets) labels.add(t.kind === 'file' ? `\`${t.path}\`` : CACHE_LABEL[t.kind]);
  }
  return [...labels].join(', ');
}

/** Does this RUN create any of the targets? */
function createsAny(script: ShellScript, targets: Target[]): boolean {
  const invs = invocations(script);
  const written = new Set<string>();
  for (const inv of invs) {
    for (const k of cachesWritten(inv)) written.add(k);
    for (const f of downloadedFiles(inv) ?? []) written.add('file:' + normalizePath(f));
  }
  return targets.some((t) => written.has(t.kind === 'file' ? 'file:' + t.path : t.kind));
}

function createsFiles(cmd: SimpleCommand, files: string[]): boolean {
  const inv = invocation(cmd);
  const written = inv ? (downloadedFiles(inv) ?? []).map(normalizePath) : [];
  return written.some((f) => files.includes(f));
}

/** Does this RUN use one of the files (e.g. extract the downloaded archive)? */
function usesAny(script: ShellScript, files: string[]): boolean {
  return files.length > 0 && script.allCommands.some(({ command }) => mentionsAny(command, files));
}

function copyMayWrite(
  model: DockerfileModel,
  instr: Instruction,
  targets: Target[],
  cacheDirs: string[],
): boolean {
  // Heredoc COPYs, unreadable arguments and variable destinations: assume it may.
  const dest = copyArgs(model, instr)?.dest ?? null;
  if (dest === null || dest.includes('$')) return true;
  const d = normalizePath(dest);
  if (!d.startsWith('/') && !d.startsWith('~')) {
    // Relative to WORKDIR: it can only land on a relative file target (caches live at absolute paths).
    return targets.some((t) => t.kind === 'file');
  }
  // The removal (a glob or a parent too) reaches what the COPY writes, or inside it.
  const paths = [...cacheDirs, ...targets.flatMap((t) => (t.kind === 'file' ? [t.path] : []))];
  const written = d.replace(/^~/, '/root');
  return paths.some((p) => reaches(p.replace(/^~/, '/root'), written) !== 'none');
}

function planFold(
  model: DockerfileModel,
  stage: Stage,
  cleanupRun: Instruction,
  cleanup: Cleanup,
): Outcome<FoldSkipCode> | null {
  const targets = cleanup.steps.flatMap((s) => s.targets);
  const files = fileTargets(cleanup.steps);
  const what = describeTargets(cleanup.steps);
  const cacheDirs = targetCacheDirs(targets);
  // Walk back through the stage to the RUN that creates the files.
  const between: Instruction[] = [];
  let creator: Instruction | null = null;
  let obstacle: Skip<FoldSkipCode> | null = null;
  const pos = cleanupRun.index - stage.from.index;
  for (let k = pos - 1; k >= 0; k--) {
    const prev = stage.instructions[k];
    const kw = prev.keyword;
    if (kw === 'FROM') break;
    if (NEUTRAL.has(kw)) continue;
    if (kw === 'COPY' || kw === 'ADD') {
      if (copyMayWrite(model, prev, targets, cacheDirs)) {
        obstacle ??= skip(
          'instruction-between',
          `${quote(prev)} between the creating RUN and the cleanup may write the removed paths`,
        );
      }
      continue;
    }
    if (BLOCKERS.has(kw)) {
      obstacle ??= skip(
        'instruction-between',
        `${quote(prev)} between the creating RUN and the cleanup changes what the cleanup sees`,
      );
      continue;
    }
    // A RUN.
    const script = prev.script();
    if (!script) {
      // We cannot see what it does, nor append to it: the walk stops here.
      const form =
        prev.run?.form === 'shell' ? 'non-POSIX-shell' : prev.run?.form === 'exec' ? 'exec-form' : 'heredoc';
      if (!pureCacheCleanup(cleanup)) return null;
      return (
        obstacle ??
        skip(
          'opaque-run',
          `the preceding ${form} RUN ${quote(prev)} may create ${what} but cannot take more commands`,
        )
      );
    }
    if (createsAny(script, targets)) {
      creator = prev;
      break;
    }
    if (usesAny(script, files)) {
      between.unshift(prev);
      continue;
    }
    obstacle ??= skip(
      'run-between',
      `${quote(prev)} runs between the cleanup and the RUN that creates ${what}, and may use them`,
    );
  }
  if (!creator) {
    // Only a RUN that is nothing but a cache cleanup is worth a word; `rm` of other files is ordinary work.
    return pureCacheCleanup(cleanup)
      ? skip(
          'no-creator',
          `no earlier RUN in this stage is known to create ${what}; the cleanup cannot be folded`,
        )
      : null;
  }
  if (obstacle) return obstacle;
  if (cleanup.problem) return cleanup.problem;
  if (cleanupRun.flags.length > 0) {
    return skip(
      'cleanup-flags',
      `the cleanup RUN has its own flags (${cleanupRun.flags.map((f) => '--' + f.name).join(' ')}); moving its commands would drop them`,
    );
  }
  const creatorScript = creator.script()!;
  const check = checkAppendable(model, creator, creatorScript, 'creating');
  if (check) return check;
  for (const { target: t } of existingMounts(creator)) {
    if (t && cacheDirs.concat(files).some((p) => p === t || p.startsWith(t + '/') || t.startsWith(p + '/'))) {
      return skip(
        'mounted-target',
        `the creating RUN mounts ${t}; removing it there would empty the mount, not the layer`,
      );
    }
  }
  for (const m of between) {
    if (m.flags.length > 0) return skip('merge-flags', `${quote(m)} has flags that merging would drop`);
    const s = m.script()!;
    const c = checkAppendable(model, m, s, 'extracting');
    if (c) return c;
    if (s.steps.some((st) => st.before !== null && st.before !== '&&')) {
      return skip(
        'merge-operators',
        `${quote(m)} joins its commands with \`;\`, \`||\` or \`&\`; merged after \`&&\` its meaning would change`,
      );
    }
  }

  // Shell state set by the earlier commands must not change what the moved commands do.
  const mergedScripts = [creatorScript, ...between.map((m) => m.script()!)];
  const movedCommands = cleanup.steps.map((s) => soleCommand(s.step)!);
  for (let i = 0; i < mergedScripts.length; i++) {
    const laterIsWholeRun = i < mergedScripts.length - 1 || cleanup.shape === 'whole';
    for (const change of shellStateChanges(mergedScripts[i])) {
      if (change.what === 'exit' && isErrorExit(mergedScripts[i], change.start)) continue;
      const blocks = laterIsWholeRun || blocksCleanup(change.what, movedCommands);
      if (blocks) {
        return skip(
          'shell-state',
          `the RUN ${quote(i === 0 ? creator : between[i - 1])} changes shell state (\`${change.what}\`) that the moved commands would inherit`,
        );
      }
    }
  }

  // Build the edits.
  const parts: string[] = [];
  for (const m of between) parts.push(wholeScriptText(model, m));
  let removal: TextEdit;
  if (cleanup.shape === 'whole') {
    parts.push(wholeScriptText(model, cleanupRun));
    removal = removeInstruction(model, cleanupRun);
  } else {
    const body = cleanupRun.run!.body!;
    for (const s of cleanup.steps) {
      const r = toSource(body, s.step.pipeline.start, s.step.pipeline.end);
      parts.push(model.text.slice(r.start, r.end));
    }
    if (cleanup.restStart === null) {
      removal = removeInstruction(model, cleanupRun);
    } else {
      const from = toSource(
        body,
        cleanup.steps[0].step.pipeline.start,
        cleanup.steps[0].step.pipeline.start,
      ).start;
      removal = { start: from, end: body.sourceAt(cleanup.restStart), text: '' };
      if (deletesCommentLine(model, removal))
        return skip(
          'cleanup-not-separable',
          'a comment line sits between the cleanup and the rest of its RUN, and a comment goes only with its whole RUN',
        );
    }
  }
  const multiline = creator.startLine !== creator.endLine || between.length > 0 || cleanup.shape === 'whole';
  const insertAt = contentEnd(model, creator);
  const insertion: TextEdit = {
    start: insertAt,
    end: insertAt,
    text: appendedCommands(model, creator, parts, multiline),
  };
  const moved = cleanup.steps.map((s) => '`' + oneLine(s.step, cleanupRun) + '`').join(', ');
  const message =
    between.length > 0 || cleanup.shape === 'whole'
      ? `Merged the download in ${quote(creator)} with the RUNs that extract and delete it, so ${what} never reaches a layer`
      : `Moved ${moved} into ${quote(creator)}, which creates ${what}: a later RUN cannot shrink the image`;
  return {
    message,
    safety: 'safe',
    edits: [insertion, ...coalesce([removal, ...between.map((m) => removeInstruction(model, m))])],
    at: cleanupRun.start,
  };
}

/** Join deletions that touch or overlap (adjacent removed RUNs) into one. */
function coalesce(deletions: TextEdit[]): TextEdit[] {
  const sorted = [...deletions].sort((a, b) => a.start - b.start);
  const out: TextEdit[] = [];
  for (const d of sorted) {
    const last = out[out.length - 1];
    if (last && d.start <= last.end) last.end = Math.max(last.end, d.end);
    else out.push({ ...d });
  }
  return out;
}

function targetCacheDirs(targets: Target[]): string[] {
  return cacheDirsOf(targets.flatMap((t) => (t.kind === 'file' ? [] : [t.kind])));
}

/** The RUN does nothing but empty package-manager caches (the cases a reader expects to be folded). */
function pureCacheCleanup(cleanup: Cleanup): boolean {
  return (
    cleanup.shape === 'prefix' &&
    cleanup.restStart === null &&
    cleanup.steps.every((s) => s.targets.some((t) => t.kind !== 'file'))
  );
}

/** Does a state change made before them alter what the moved cleanup commands do? */
function blocksCleanup(what: string, moved: SimpleCommand[]): boolean {
  if (CWD_CHANGERS.has(what)) {
    return moved.some(
      (c) =>
        c.args.some((a) => a.value !== null && !a.value.startsWith('-') && !/^[/~]/.test(a.value)) ||
        c.name !== 'rm',
    );
  }
  if (ENV_CHANGERS.has(what) || what.endsWith('=')) {
    return moved.some((c) => c.args.some((a) => /[$~]/.test(a.raw)));
  }
  if (what === 'umask') return false; // rm and cache cleaners do not create files
  return true;
}

/** `… || exit 1`: an exit on the failure path, after which nothing runs either way. */
function isErrorExit(script: ShellScript, start: number): boolean {
  return script.steps.some((s) => s.before === '||' && s.pipeline.start === start);
}

function wholeScriptText(model: DockerfileModel, run: Instruction): string {
  const body = run.run!.body!;
  const r = toSource(body, 0, body.text.length);
  return model.text.slice(r.start, r.end).replace(/[ \t]+$/, '');
}

function oneLine(step: Step, run: Instruction): string {
  const body = run.run!.body!;
  return body.text.slice(step.pipeline.start, step.pipeline.end).replace(/\s+/g, ' ');
}
