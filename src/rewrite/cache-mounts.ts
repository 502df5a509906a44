/**
 * The shared driver of the cache-mount transforms (pip-cache, npm-cache, go-cache, apt-cache):
 * find the RUNs that use a package manager's cache, work out where that cache lives for the user
 * and environment of the RUN, and in buildkit mode add `--mount=type=cache` for it and take out
 * what would defeat the mount (`--no-cache-dir`, `rm -rf` of the cache, `pip cache purge`, …).
 */
import type { DockerfileModel } from '../core/model.js';
import { soleCommand, type SimpleCommand, type Step, type Word } from '../shell/index.js';
import { isSkip, skip, type Outcome, type Report, type Skip, type TextEdit } from '../core/transform.js';
import { quote } from './edit.js';
import { existingMounts, frontendProblem } from '../dockerfile/mounts.js';
import { addMounts, cacheMountFlag } from './mount-flags.js';
import { cacheCleaned, type CacheKind } from '../tools/caches.js';
import { invocation, type Invocation } from '../tools/command.js';
import { globBase, normalizePath } from '../tools/paths.js';
import { type CachePath, type RunContext, runContext } from '../dockerfile/run-context.js';
import { removeSteps, removeWord, runView, type RunView } from '../dockerfile/run-view.js';

/** Skip codes of the cache-mount driver and the tool modules' cache locations, with their meaning. */
export const CACHE_SKIPS = {
  'old-frontend': 'a `# syntax=` line pins a frontend without `RUN --mount` (or one of unknown version)',
  'unknown-home': 'the RUN runs as a user whose home directory the file does not tell',
  'non-root-user': 'the RUN runs as a non-root user whose uid and gid the file does not give',
  'cache-path-dynamic': 'the cache location is built from a variable, set by the command, or relative',
  'cache-disabled-by-env': 'an environment variable disables the cache, so a mount would not be used',
  'target-mounted': 'the cache directory is already mounted with another mount type',
  'cleanup-not-separable': 'a cache cleanup cannot be taken out without changing the exit status of the RUN',
} as const;
export type CacheSkipCode = keyof typeof CACHE_SKIPS;

/** A cache a command uses, with where it lives for this RUN (or why that cannot be told). */
export interface CacheUse {
  /** What the cache is, for messages: `the pip cache`. */
  label: string;
  /** Absolute target, or a reason to skip. */
  target: CachePath;
  sharing?: 'locked';
  /** Cleanup commands of this cache kind (`pip cache purge`). */
  cleanedBy?: CacheKind;
}

/** One command that uses caches, and the words that disable them (removed in buildkit mode). */
export interface ToolUse {
  command: SimpleCommand;
  inv: Invocation;
  caches: CacheUse[];
  disablingWords: Word[];
}

export interface CacheToolSpec {
  /** Cheap pre-filter on the RUN's text. */
  hint: RegExp;
  /** The uses of the tool's caches in this RUN. */
  uses(inv: Invocation, ctx: RunContext, view: RunView): Omit<ToolUse, 'inv'> | null;
}

const isUnknown = (t: CachePath): t is Skip => typeof t !== 'string';

export interface PlannedRun {
  view: RunView;
  uses: ToolUse[];
  ctx: RunContext;
}

/** Every RUN in the file that uses the tool, with its view and context (RUNs that cannot be read are not listed). */
export function findRuns(model: DockerfileModel, spec: CacheToolSpec): PlannedRun[] {
  const out: PlannedRun[] = [];
  for (const instr of model.instructions) {
    if (instr.keyword !== 'RUN' || !spec.hint.test(instr.text)) continue;
    const view = runView(model, instr);
    if (!view) continue;
    const ctx = runContext(model, instr);
    const uses: ToolUse[] = [];
    for (const { command } of view.commands) {
      const inv = invocation(command);
      if (!inv) continue;
      const use = spec.uses(inv, ctx, view);
      if (use) uses.push({ ...use, inv });
    }
    if (uses.length > 0) out.push({ view, uses, ctx });
  }
  return out;
}

/**
 * What empties the given cache targets (or kinds) in a RUN: whole top-level steps (`apt-get clean`,
 * `rm -rf /var/lib/apt/lists/*`), and single `rm` operands where the same `rm` removes other paths too.
 */
export function cleanupsFor(
  view: RunView,
  targets: string[],
  kinds: CacheKind[],
): { steps: Step[]; operands: { command: SimpleCommand; word: Word }[] } {
  const steps: Step[] = [];
  const operands: { command: SimpleCommand; word: Word }[] = [];
  if (!view.script) return { steps, operands };
  const inside = (w: Word) => {
    const v = w.value ?? (/^(\$HOME|\$\{HOME\})\//.test(w.raw) ? w.raw : null);
    if (v === null) return false;
    const p = globBase(normalizePath(v));
    return targets.some((t) => p === t || p.startsWith(t + '/'));
  };
  for (const step of view.script.steps) {
    const cmd = soleCommand(step);
    if (!cmd || cmd.assignments.length > 0 || cmd.hasRedirect) continue;
    const inv = invocation(cmd);
    if (!inv) continue;
    const cleaned = cacheCleaned(inv);
    if (cleaned && kinds.includes(cleaned)) {
      steps.push(step);
      continue;
    }
    if (inv.name !== 'rm' || inv.args.length !== cmd.args.length) continue;
    const paths = cmd.args.filter((a) => !(a.value !== null && /^-/.test(a.value)));
    const mine = paths.filter(inside);
    if (mine.length === 0) continue;
    if (mine.length === paths.length) steps.push(step);
    else for (const word of mine) operands.push({ command: cmd, word });
  }
  return { steps, operands };
}

/**
 * Buildkit mode for one RUN: the mounts it lacks, the disabling words and cleanup steps removed.
 * `extraCleanupTargets` are directories whose removal inside the RUN would wipe a mounted cache.
 */
export function planMounts(
  model: DockerfileModel,
  run: PlannedRun,
  options: { systemCache?: boolean } = {},
): Outcome | null {
  const { view, uses } = run;
  // System caches (apt) belong to root whoever the USER is: the package manager runs as root.
  const ctx: RunContext = options.systemCache ? { ...run.ctx, user: { root: true } } : run.ctx;
  const instr = view.instr;
  const problem = frontendProblem(model);
  if (problem) return skip('old-frontend', problem);
  const caches = new Map<string, CacheUse>();
  for (const use of uses) {
    for (const c of use.caches) {
      if (isUnknown(c.target)) return c.target;
      if (!caches.has(c.target)) caches.set(c.target, c);
    }
  }
  let uid: number | undefined;
  let gid: number | undefined;
  if (!ctx.user.root) {
    const u = ctx.user.user;
    if (!u || u.uid === null || u.gid === null) {
      return skip(
        'non-root-user',
        `the RUN runs as \`${ctx.user.spec}\`; the mount needs its uid and gid, which the file does not give`,
      );
    }
    uid = u.uid;
    gid = u.gid;
  }
  const mounted = existingMounts(instr);
  const newFlags: string[] = [];
  const added: string[] = [];
  for (const [target, c] of caches) {
    const norm = normalizePath(target);
    const same = mounted.find((m) => m.target === norm);
    if (same && same.type !== 'cache') {
      return skip('target-mounted', `the RUN already mounts ${target} as \`type=${same.type}\``);
    }
    if (same) continue;
    if (mounted.some((m) => m.target === null && m.type === 'cache')) {
      return skip('cache-path-dynamic', 'the RUN has a cache mount whose target is built from a variable');
    }
    newFlags.push(cacheMountFlag(target, { sharing: c.sharing, uid, gid }));
    added.push(target);
  }
  const edits: TextEdit[] = [];
  const removed: string[] = [];
  for (const use of uses) {
    for (const w of use.disablingWords) {
      edits.push(removeWord(view, use.command, w));
      removed.push('`' + w.raw + '`');
    }
  }
  const targets = [...caches.keys()].map(normalizePath);
  const kinds = [...caches.values()].flatMap((c) => (c.cleanedBy ? [c.cleanedBy] : []));
  const cleanups = cleanupsFor(view, targets, kinds);
  if (cleanups.steps.length > 0) {
    const r = removeSteps(view, cleanups.steps);
    if ('problem' in r) {
      return skip(
        'cleanup-not-separable',
        `the cache cleanup in ${quote(instr)} cannot be removed: ${r.problem}`,
      );
    }
    edits.push(...r.edits);
    for (const s of cleanups.steps) {
      removed.push(
        '`' + view.script!.source.slice(s.pipeline.start, s.pipeline.end).replace(/\s+/g, ' ') + '`',
      );
    }
  }
  for (const { command, word } of cleanups.operands) {
    edits.push(removeWord(view, command, word));
    removed.push('`rm ' + word.raw + '`');
  }
  if (newFlags.length > 0) edits.push(addMounts(model, instr, newFlags));
  if (edits.length === 0) return null;
  const parts: string[] = [];
  if (added.length > 0) {
    parts.push(
      `Added ${added.length === 1 ? 'a cache mount' : 'cache mounts'} for ${added.join(' and ')} to ${quote(instr)}`,
    );
  }
  if (removed.length > 0) {
    parts.push(
      `${parts.length ? 'removed' : `In ${quote(instr)}, removed`} ${removed.join(', ')}, which would defeat the ${added.length > 1 ? 'mounts' : added.length === 1 ? 'mount' : 'cache mount'}`,
    );
  }
  const message = parts.join('; ');
  const review = !ctx.user.root;
  return {
    message: review
      ? message +
        '; review: BuildKit leaves the mount point (and parents it creates) owned by root in the image'
      : message,
    safety: review ? 'review' : 'safe',
    edits,
    at: instr.start,
  };
}

/** Report a plan's outcome for the instruction at `at`: its fix, or its skip. */
export function reportOutcome<Code extends string>(
  report: Report<Code>,
  outcome: Outcome<Code> | null,
  at: number,
): void {
  if (outcome === null) return;
  if (isSkip(outcome)) report.skip(outcome.code, outcome.message, at);
  else report.fix(outcome);
}
