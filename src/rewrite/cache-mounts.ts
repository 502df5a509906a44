/**
 * The shared driver of the cache-mount transforms (pip-cache, npm-cache, go-cache, apt-cache):
 * find the RUNs that use a package manager's cache, work out where that cache lives for the user
 * and environment of the RUN, and in buildkit mode add `--mount=type=cache` for it and take out
 * what would defeat the mount (`--no-cache-dir`, `rm -rf` of the cache, `pip cache purge`, …).
 */
import type { DockerfileModel, Stage } from '../core/model.js';
import { soleCommand, type SimpleCommand, type Step, type Word } from '../shell/index.js';
import { isSkip, skip, type FixProposal, type Outcome, type Report, type Skip, type TextEdit } from '../core/transform.js';
import { appendedCommands, checkAppendable, contentEnd, inBranch, quote } from './edit.js';
import { existingMounts, frontendProblem } from '../dockerfile/mounts.js';
import { addMounts, cacheMountFlag } from './mount-flags.js';
import {
  CACHE_LOCATION_VARIABLES,
  cacheCleaned,
  cacheDirsRemovedBy,
  readsCacheOffline,
  buildsOfflineFromCache,
  putsProductsInCache,
  type CacheKind,
} from '../tools/caches.js';
import { argWord, invocation, type Invocation } from '../tools/command.js';
import { normalizePath } from '../tools/paths.js';
import { homeOf, stageChain, type CachePath, type RunContext, runContext } from '../dockerfile/run-context.js';
import { laterUse, stagesBuiltOn } from '../dockerfile/later-uses.js';
import { reaches, rmOptions, RunPaths } from '../dockerfile/run-paths.js';
import { copyArgs } from '../dockerfile/copy-args.js';
import { DOCKER_DOCS } from '../core/references.js';
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
  'removes-mount-point':
    'the RUN removes the cache directory or a directory that holds it (`rm -rf ~/.cache`, `/var/cache/*`): with a mount there the removal fails (device busy)',
  'removal-unknown': 'the RUN removes a path built from a variable whose value the file does not tell',
  'read-later': 'something after the RUN (a later RUN, a COPY --from, CMD) reads the cache directory, which a mount leaves empty in the image',
  'later-removal-fails': 'a later `rm` without -f removes files in the cache directory, and fails once a mount leaves it empty',
  'mount-parent-created': 'a `mkdir` without -p creates the cache directory or a parent, which the mount makes exist first',
  'windows-stage': 'the stage builds on Windows, where RUN --mount does not work',
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
  /** What the cache keeps, when it is only a part of the target (apt's archives); default: the target. */
  content?: string;
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

/** Commands that remove what a cache keeps, and what stands in the way of a mount. */
interface CacheRemovals {
  /** Whole top-level steps that only clean the caches. */
  steps: Step[];
  /** `rm` operands that only clean the caches, where the same `rm` removes other paths too. */
  operands: { command: SimpleCommand; word: Word }[];
  /** A removal that reaches the mount point and cannot be taken out, or cannot be told. */
  problem: Skip<CacheSkipCode> | null;
}

/**
 * Read every removal of the RUN against the cache targets, as the shell runs it (variables, `~`,
 * globs that skip dot-names). Removing what a cache keeps would empty it every build: the command
 * goes when it only does that. Removing the mount point or a directory above it fails the build
 * (the mount point is busy): it goes when it removes only the mount point, else no mount.
 */
export function cacheRemovals(
  view: RunView,
  ctx: RunContext,
  caches: readonly { target: string; content: string; cleanedBy?: CacheKind }[],
): CacheRemovals {
  const out: CacheRemovals = { steps: [], operands: [], problem: null };
  if (caches.length === 0) return out;
  const paths = new RunPaths(view, ctx);
  const topLevel = new Map<SimpleCommand, Step>();
  for (const step of view.script?.steps ?? []) {
    const cmd = soleCommand(step);
    if (cmd && cmd.assignments.length === 0 && !cmd.hasRedirect) topLevel.set(cmd, step);
  }
  const kinds = caches.flatMap((c) => (c.cleanedBy ? [c.cleanedBy] : []));
  const fail = (code: CacheSkipCode, message: string) => {
    out.problem ??= skip(code, message);
  };
  for (const { command } of view.commands) {
    const inv = invocation(command);
    if (!inv) continue;
    const step = topLevel.get(command);
    const cleaned = cacheCleaned(inv);
    if (cleaned && kinds.includes(cleaned)) {
      // A tool's own cleanup may remove the cache directory itself (yarn 1 does): it goes, or no mount.
      if (step) out.steps.push(step);
      else
        fail(
          'cleanup-not-separable',
          `\`${oneLine(view, command)}\` empties the cache where it cannot be taken out (inside a compound command, with a redirection or an assignment)`,
        );
      continue;
    }
    // `rmdir` and `find … -delete` remove directories too: the mount point is busy.
    if (inv.name === 'rmdir' || (inv.name === 'find' && inv.args.some((a) => a === '-delete' || a === '-exec' || a === '-execdir'))) {
      const starts = inv.name === 'rmdir' ? command.args.filter((w) => !(w.value ?? '').startsWith('-')) : findStartWords(inv);
      for (const w of starts) {
        const p = paths.resolve(w, command.start);
        for (const c of caches) {
          const r = reaches(p, c.target);
          if (r === 'itself' || r === 'parent' || r === 'unknown')
            fail('removes-mount-point', `\`${oneLine(view, command)}\` may remove ${c.target}, where the cache would be mounted`);
        }
      }
      continue;
    }
    const removedDirs = cacheDirsRemovedBy(inv, ctx);
    if (removedDirs.length > 0) {
      let mine = false;
      for (const dir of removedDirs) {
        for (const c of caches) {
          const r = dir === null ? 'unknown' : reaches(dir, c.target);
          if (r === 'none') continue;
          mine = true;
          if (r === 'parent' || r === 'unknown' || !step)
            fail('removes-mount-point', `\`${oneLine(view, command)}\` removes ${c.target}, where the cache would be mounted`);
        }
      }
      if (mine && step) out.steps.push(step);
      continue;
    }
    if (inv.name !== 'rm' || inv.args.length !== command.args.length) continue;
    const { recursive, operands } = rmOptions(command);
    const cleans: Word[] = [];
    let mountPoint: Word | null = null;
    for (const w of operands) {
      const p = paths.resolve(w, command.start);
      let cleansCache = false;
      for (const c of caches) {
        let r = reaches(p, c.target);
        // A glob that matches the mount point matches its neighbours too: it removes more than the cache.
        if (r === 'itself' && p !== null && /[*?[]/.test(p)) r = 'parent';
        // Without -r, rm removes files only: it cannot reach a directory.
        if (!recursive && r !== 'inside') continue;
        if (r === 'unknown') {
          fail('removal-unknown', `\`rm ${w.raw}\` removes a path the file does not tell, which could hold ${c.target}`);
        } else if (r === 'parent') {
          fail('removes-mount-point', `\`rm ${w.raw}\` removes ${c.target}, where the cache would be mounted, with more`);
        } else if (r === 'itself') {
          cleansCache = true;
          mountPoint = w;
        } else if (r === 'inside' && reaches(p, c.content) !== 'none') {
          cleansCache = true;
        }
      }
      if (cleansCache) cleans.push(w);
    }
    if (cleans.length === 0) continue;
    if (cleans.length === operands.length && step) {
      out.steps.push(step);
    } else if (cleans.length < operands.length) {
      for (const word of cleans) out.operands.push({ command, word });
    } else if (mountPoint) {
      // Inside an if/for/subshell: emptying the cache there is only wasted, removing the mount point fails.
      fail('removes-mount-point', `\`rm ${mountPoint.raw}\` removes the mount point inside a compound command, where it cannot be taken out`);
    }
  }
  return out;
}

/** The start paths of a `find` (the words before its expression). */
function findStartWords(inv: Invocation): Word[] {
  const words: Word[] = [];
  for (let i = 0; i < inv.args.length; i++) {
    const a = inv.args[i];
    if (a !== null && (a.startsWith('-') || a === '(' || a === '!')) break;
    words.push(argWord(inv, i));
  }
  return words;
}

function oneLine(view: RunView, command: SimpleCommand): string {
  const source = view.script?.source;
  const text = source ? source.slice(command.start, command.end) : [command.name, ...command.args.map((a) => a.raw)].join(' ');
  return text.replace(/\s+/g, ' ');
}

/** A stage that builds on Windows: its image, the backtick escape, or a PowerShell/cmd SHELL. */
export function windowsStage(model: DockerfileModel, stage: Stage): boolean {
  const chain = stageChain(model, stage);
  if (chain.some((s) => s.windows)) return true;
  // The backtick escape is the Windows convention: with an image not known to be Linux, read it so.
  if (model.escape === '`') {
    const run = chain.flatMap((s) => s.instructions).find((i) => i.keyword === 'RUN');
    if (!run || runContext(model, run).base.facts === null) return true;
  }
  // A PowerShell or cmd SHELL, or Windows paths (`WORKDIR C:\\app`, `c:\\app\\app.exe`).
  return chain.some((s) =>
    s.instructions.some(
      (i) =>
        (i.keyword === 'SHELL' && /powershell|pwsh|cmd(\.exe)?\b/i.test(i.text)) ||
        (i.keyword !== 'RUN' && /(^|[\s"'\[=])[A-Za-z]:\\/.test(i.text)),
    ),
  );
}

/** Does an edit delete a whole comment line (one inside a RUN's continuation lines)? */
export function deletesCommentLine(model: DockerfileModel, e: TextEdit): boolean {
  return e.end > e.start && /\n[ \t]*#/.test(model.text.slice(e.start, e.end)) && !/\n[ \t]*#/.test(e.text);
}

/** Words listed once each, with a count where they repeat: `--no-cache-dir` (×3). */
function listOnce(items: string[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return [...counts].map(([i, n]) => (n > 1 ? `${i} (×${n})` : i)).join(', ');
}

/**
 * Buildkit mode for one RUN: the mounts it lacks, with the disabling words and cleanups removed,
 * or why no mount can be added.
 */
export function planMounts(
  model: DockerfileModel,
  run: PlannedRun,
  options: { systemCache?: boolean } = {},
): Outcome<CacheSkipCode> | null {
  const { view, uses } = run;
  // System caches (apt) belong to root whoever the USER is: the package manager runs as root.
  const ctx: RunContext = options.systemCache ? { ...run.ctx, user: { root: true } } : run.ctx;
  const instr = view.instr;
  const problem = frontendProblem(model);
  if (problem) return skip('old-frontend', problem);
  if (windowsStage(model, model.stages[instr.stage]))
    return skip('windows-stage', `${quote(instr)} runs in a Windows stage, where RUN --mount does not work`);
  const caches = new Map<string, CacheUse>();
  const runPaths = new RunPaths(view, ctx);
  for (const use of uses) {
    const moved = runPaths.setsBefore(CACHE_LOCATION_VARIABLES, use.command.start);
    if (moved) return skip('cache-path-dynamic', `the RUN sets \`${moved}\` itself before \`${use.inv.name}\`, so its cache may be elsewhere`);
    for (const c of use.caches) {
      if (isUnknown(c.target)) return c.target as Skip<CacheSkipCode>;
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
  const cleanups = cacheRemovals(
    view,
    ctx,
    [...caches].map(([target, c]) => ({ target, content: c.content ?? target, cleanedBy: c.cleanedBy })),
  );
  if (cleanups.problem) return cleanups.problem;
  if (cleanups.steps.length > 0) {
    const r = removeSteps(view, cleanups.steps);
    if ('problem' in r) {
      return skip('cleanup-not-separable', `the cache cleanup in ${quote(instr)} cannot be removed: ${r.problem}`);
    }
    edits.push(...r.edits);
    for (const s of cleanups.steps) {
      removed.push('`' + view.script!.source.slice(s.pipeline.start, s.pipeline.end).replace(/\s+/g, ' ') + '`');
    }
  }
  for (const { command, word } of cleanups.operands) {
    edits.push(removeWord(view, command, word));
    removed.push('`rm ' + word.raw + '`');
  }
  // What the new mounts leave empty in the image must not be read, or strictly removed, later.
  for (const target of added) {
    const use = laterUse(model, instr, target, { mkdirToo: true });
    if (use) {
      const where = use.instr === instr ? 'the RUN itself' : quote(use.instr);
      if (use.kind === 'mkdir')
        return skip('mount-parent-created', `${where} runs \`mkdir ${use.what}\`, which fails once the mount for ${target} has made it exist`);
      if (use.kind === 'strict-rm')
        return skip('later-removal-fails', `${where} removes \`${use.what}\` without -f, which fails once a mount leaves ${target} empty in the image`);
      return skip('read-later', `${where} reads \`${use.what}\`, which a mount would leave empty in the image`);
    }
  }
  for (const use of uses) {
    // An offline install reads what earlier instructions (a COPY, an earlier RUN) put in the
    // directory, which a mount would hide; only an empty cache falls back to the network.
    if (buildsOfflineFromCache(use.inv))
      return skip('read-later', `\`${use.inv.name}\` installs offline from what is already in ${[...caches.keys()].join(' and ')}, which a mount would hide`);
    const offline = laterOfflineUse(model, instr, use.inv);
    if (offline) return skip('read-later', `${quote(offline)} installs offline from the cache this RUN fills`);
  }
  // A user's comment goes only with the whole RUN it belongs to.
  if (edits.some((e) => deletesCommentLine(model, e)))
    return skip('cleanup-not-separable', `a comment line of ${quote(instr)} sits inside what would be removed`);
  if (newFlags.length > 0) edits.push(addMounts(model, instr, newFlags));
  if (edits.length === 0) return null;
  const parts: string[] = [];
  if (added.length > 0) {
    parts.push(`Added ${added.length === 1 ? 'a cache mount' : 'cache mounts'} for ${added.join(' and ')} to ${quote(instr)}`);
  }
  if (removed.length > 0) {
    parts.push(
      `${parts.length ? 'removed' : `In ${quote(instr)}, removed`} ${listOnce(removed)}, which would defeat the ${added.length > 1 ? 'mounts' : added.length === 1 ? 'mount' : 'cache mount'}`,
    );
  }
  const message = parts.join('; ');
  const home = homeOf(ctx);
  const homeBased = home !== null && added.some((t) => t === home || t.startsWith(home.replace(/\/$/, '') + '/'));
  if (!ctx.user.root) {
    return {
      message: message + '; review: BuildKit leaves the mount point (and parents it creates) owned by root in the image',
      safety: 'review',
      edits,
      at: instr.start,
    };
  }
  if ((!ctx.userKnown || !ctx.homeKnown) && homeBased) {
    const image = ctx.base.image ?? ctx.baseImage;
    const unknown = ctx.userKnown ? 'sets no HOME' : 'sets no USER';
    return {
      message: `${message}; review: the file ${unknown} and \`${image}\` is not an image whose user and HOME are known; with another, the cache is elsewhere`,
      safety: 'review',
      edits,
      at: instr.start,
    };
  }
  return { message, safety: 'safe', edits, at: instr.start };
}

/** One name per tool: `./mvnw` and `mvn` fill and read the same repository. */
const toolKey = (name: string): string => name.replace(/^.*\//, '').replace(/^(mvn|gradle)w$/, '$1');

/** A later RUN of the stage chain that installs offline from the cache `inv` fills (`npm ci --offline`). */
function laterOfflineUse(model: DockerfileModel, instr: RunView['instr'], inv: Invocation) {
  for (const s of stagesBuiltOn(model, model.stages[instr.stage])) {
    for (const i of s.instructions) {
      if (i.index <= instr.index || i.keyword !== 'RUN') continue;
      const view = runView(model, i);
      for (const { command } of view?.commands ?? []) {
        const other = invocation(command);
        // An offline install reads only the cache; after `mvn install` any later build reads the
        // modules it put there (they come from no repository).
        if (other && toolKey(other.name) === toolKey(inv.name) && (readsCacheOffline(other) || putsProductsInCache(inv)))
          return i;
      }
    }
  }
  return null;
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

/** Skip codes of caches whose content later builds read (Go modules, Maven's repository, …). */
export const SHARED_PRODUCT_SKIPS = {
  ...CACHE_SKIPS,
  'needed-later': 'what the cache holds is needed in the image later (a CMD runs the tool, or a COPY --from takes it)',
  'opaque-run': 'a RUN of the stage chain runs the tool in a form whose commands cannot be read',
} as const;
export type SharedProductSkipCode = keyof typeof SHARED_PRODUCT_SKIPS;

/** What a family of stages must not do after mounting a cache whose content later builds read. */
export interface ProductCachePolicy {
  /** The tool, for messages: `Go`, `Maven`. */
  tool: string;
  /** A CMD/ENTRYPOINT text that runs the tool in the container (it would find the cache empty). */
  runtime: RegExp;
  /** A RUN text that runs the tool (to find RUNs whose commands cannot be read). */
  command: RegExp;
}

/**
 * Why a family of stages needs the cache in the image, or null: a CMD/ENTRYPOINT of it runs the
 * tool, a RUN runs it unreadably, or a `COPY --from` of it takes the cache directory, a directory
 * in it, or a directory that holds it.
 */
function productNeededLater(
  model: DockerfileModel,
  family: number,
  targets: readonly string[],
  policy: ProductCachePolicy,
): Skip<SharedProductSkipCode> | null {
  const members = model.stages.filter((s) => stageChain(model, s)[0].index === family);
  const names = new Set(members.flatMap((s) => [String(s.index), ...(s.name ? [s.name] : [])]));
  for (const s of members) {
    for (const i of s.instructions) {
      if ((i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && policy.runtime.test(i.text))
        return skip('needed-later', `${quote(i)} runs ${policy.tool} in the container, which needs the cache in the image`);
      if (i.keyword === 'RUN' && policy.command.test(i.text) && runView(model, i) === null)
        return skip('opaque-run', `${quote(i)} runs ${policy.tool} in a form whose commands cannot be read`);
    }
  }
  for (const i of model.instructions) {
    const from = i.flags.find((f) => f.name === 'from')?.value?.toLowerCase();
    if ((i.keyword !== 'COPY' && i.keyword !== 'ADD') || from === undefined || !names.has(from)) continue;
    const args = copyArgs(model, i);
    const sources = args ? args.sources : [i.text];
    for (const src of sources) {
      const p = normalizePath(src.startsWith('~') ? src : src.replace(/\/+$/, ''));
      for (const t of targets) {
        const r = reaches(p.replace(/^~(?=\/|$)/, '/root'), t);
        if (r !== 'none') return skip('needed-later', `${quote(i)} copies ${t} (or what holds it) out of the stage, so it must stay in the image`);
      }
    }
  }
  return null;
}

/**
 * Caches whose content later builds read (Go modules, Maven's repository, Cargo's registry,
 * NuGet packages): every RUN of a family of stages that uses the tool gets the mounts or none
 * does, nothing after may need the content in the image, and one review fix makes the others
 * review too (applied together or not at all).
 */
export function reportProductCaches<Code extends string>(
  model: DockerfileModel,
  runs: PlannedRun[],
  report: Report<Code | SharedProductSkipCode>,
  policy: ProductCachePolicy,
  plan: (run: PlannedRun) => Outcome<string> | null = (run) => planMounts(model, run),
): void {
  const byFamily = new Map<number, PlannedRun[]>();
  for (const run of runs) {
    const f = stageChain(model, model.stages[run.view.instr.stage])[0].index;
    byFamily.set(f, [...(byFamily.get(f) ?? []), run]);
  }
  for (const [family, members] of byFamily) {
    const outcomes = members.map(plan);
    const targets = members.flatMap((r) => r.uses.flatMap((u) => u.caches.flatMap((c) => (isUnknown(c.target) ? [] : [c.target]))));
    const blocked = productNeededLater(model, family, [...new Set(targets)], policy);
    const firstSkip = outcomes.find((o): o is Skip => o !== null && isSkip(o));
    if (blocked || firstSkip) {
      const why = blocked ?? firstSkip!;
      members.forEach((r, k) =>
        report.skip(
          why.code as Code,
          blocked || outcomes[k] === firstSkip ? why.message : `another ${policy.tool} RUN of this stage chain is skipped (${why.message})`,
          r.view.instr.start,
        ),
      );
      continue;
    }
    const review = outcomes.find((o) => o !== null && !isSkip(o) && o.safety === 'review') as FixProposal | undefined;
    for (const o of outcomes) {
      if (!o) continue;
      const fix = o as FixProposal;
      if (review && fix.safety === 'safe')
        report.fix({
          ...fix,
          safety: 'review',
          message: `${fix.message}; review: applied together with ${quote(members[outcomes.indexOf(review)].view.instr)}, which is a review fix`,
        });
      else report.fix(fix);
    }
  }
}

/**
 * Portable mode for a download cache: append its cleanup (`composer clear-cache`, `conda clean
 * -afy`) to the RUN that fills it, unless the RUN already cleans it after the last fill, mounts a
 * cache, or something after it reads or strictly removes the directory the cleanup empties.
 */
export function appendCacheCleanup<Code extends string>(
  model: DockerfileModel,
  run: PlannedRun,
  report: Report<Code | CacheSkipCode | 'not-appendable'>,
  cleanup: { commands: string[]; dir: string | null; cleans: (inv: Invocation) => boolean; what: string },
): void {
  const instr = run.view.instr;
  if (run.view.form !== 'shell' || existingMounts(instr).some((m) => m.type === 'cache')) return;
  const lastFill = Math.max(...run.uses.map((u) => u.command.end));
  const paths = new RunPaths(run.view, run.ctx);
  const cleaned = run.view.commands.some(({ command }) => {
    const inv = command.start > lastFill ? invocation(command) : null;
    if (!inv) return false;
    if (cleanup.cleans(inv)) return true;
    const dir = cleanup.dir;
    return dir !== null && inv.name === 'rm' && rmOptions(command).operands.some((w) => reaches(paths.resolve(w, command.start), dir) !== 'none');
  });
  if (cleaned) return;
  // Where the tool's own cleanup finds its cache by itself, the directory may be unknown here.
  const use = cleanup.dir === null ? null : laterUse(model, instr, cleanup.dir, { after: lastFill });
  if (use && use.kind !== 'mkdir') {
    const where = use.instr === instr ? 'the RUN itself' : quote(use.instr);
    report.skip(
      use.kind === 'strict-rm' ? 'later-removal-fails' : 'read-later',
      `${where} ${use.kind === 'strict-rm' ? 'removes' : 'reads'} \`${use.what}\`, which the cleanup would empty`,
      instr.start,
    );
    return;
  }
  const problem = checkAppendable(model, instr, run.view.script!, 'installing');
  if (problem) return report.skip(problem.code, problem.message, instr.start);
  const branch = inBranch(run.view.script!, run.uses.map((u) => u.command));
  if (branch)
    return report.skip(
      'not-appendable',
      `\`${branch.name}\` installs only in a branch of ${quote(instr)}; a cleanup appended to the RUN would run without it`,
      instr.start,
    );
  const at = contentEnd(model, instr);
  report.fix({
    message: `Appended ${cleanup.commands.map((c) => "`" + c + "`").join(" and ")} to ${quote(instr)}, keeping ${cleanup.what} out of the layer`,
    safety: 'safe',
    edits: [{ start: at, end: at, text: appendedCommands(model, instr, cleanup.commands, instr.startLine !== instr.endLine) }],
    at: instr.start,
  });
}

/** Skip codes of the download-cache transforms (composer, bundler, conda): the cache codes and these. */
export const DOWNLOAD_CACHE_SKIPS = {
  ...CACHE_SKIPS,
  'cache-path-unknown': 'where the tool keeps its cache depends on facts the file does not give (how the tool was installed, the image)',
  'not-appendable': 'the installing RUN cannot take more commands (it ends with `;`, `&`, a comment, …)',
} as const;
export type DownloadCacheSkipCode = keyof typeof DOWNLOAD_CACHE_SKIPS;

/**
 * A download cache (nothing after the RUN reads it): buildkit mode mounts it on each RUN that
 * fills it; portable mode appends the cleanup `portable` gives for the RUN (null: none).
 */
export function runDownloadCache(
  model: DockerfileModel,
  mode: 'buildkit' | 'portable',
  report: Report<DownloadCacheSkipCode>,
  spec: CacheToolSpec,
  portable: (run: PlannedRun) => Parameters<typeof appendCacheCleanup>[3] | null,
): void {
  for (const run of findRuns(model, spec)) {
    if (mode === 'buildkit') {
      reportOutcome(report, planMounts(model, run), run.view.instr.start);
      continue;
    }
    const cleanup = portable(run);
    if (cleanup) appendCacheCleanup(model, run, report, cleanup);
  }
}

/** A tool with one cache per command: `locate` says where it is for the RUN (null: not a use). */
export function oneCacheSpec(
  hint: RegExp,
  label: string,
  locate: (inv: Invocation, ctx: RunContext) => CachePath | null,
  options: Pick<CacheUse, 'sharing' | 'cleanedBy'> = {},
): CacheToolSpec {
  return {
    hint,
    uses(inv, ctx) {
      const target = locate(inv, ctx);
      return target === null ? null : { command: inv.command, caches: [{ label, target, ...options }], disablingWords: [] };
    },
  };
}

/** The meta fields every download-cache transform shares (id, title, texts and example are its own). */
export const DOWNLOAD_CACHE_META = {
  seeds: ['002_a22975ebf7ef71db.txt'] as string[],
  safety: 'safe' as const,
  modes: ['buildkit', 'portable'] as const,
  skips: DOWNLOAD_CACHE_SKIPS,
  cacheable: true,
  references: [DOCKER_DOCS.cacheMounts, DOCKER_DOCS.runMountCache, DOCKER_DOCS.layers],
  readme: 'Transforms › Cache transforms',
};

/** The meta fields of the transforms for caches later builds read (buildkit mode only). */
export const PRODUCT_CACHE_META = {
  seeds: ['002_a22975ebf7ef71db.txt'] as string[],
  safety: 'safe' as const,
  modes: ['buildkit'] as const,
  skips: SHARED_PRODUCT_SKIPS,
  cacheable: true,
  references: [DOCKER_DOCS.cacheMounts, DOCKER_DOCS.runMountCache],
  readme: 'Transforms › Cache transforms',
};
