/**
 * apt-cache: apt downloads the package lists and every .deb again on each rebuild of the layer.
 * buildkit mode: on every apt RUN, cache mounts for the package lists (/var/lib/apt/lists) and the
 * package cache (/var/cache/apt), `sharing=locked`; each command that downloads packages keeps them
 * in a subdirectory of the mounted cache (options on its command line, out of reach of the
 * docker-clean hook), so apt's configuration and its state (/var/lib/apt/extended_states) stay in
 * the image exactly as they were; cleanups that would empty the mounts go. portable mode:
 * `rm -rf /var/lib/apt/lists/*` in the RUN that fetched the lists (seed 000 "correct").
 *
 * Both modes take the package lists out of the layers: every apt RUN of the chain that reads them
 * must fetch them itself (`apt-get update` in the same RUN), nothing after it may use them unseen
 * (a script), and where the image the file ships kept them, images built FROM it may need them:
 * then the fix is `review`.
 */
import { type DockerfileModel, type Instruction } from '../src/core/model.js';
import { isSkip, skip, type Report, type Skip, type Transform } from '../src/core/transform.js';
import { appendedCommands, checkAppendable, contentEnd, quote } from '../src/rewrite/edit.js';
import { CACHE_SKIPS, planMounts, type CacheSkipCode, type PlannedRun } from '../src/rewrite/cache-mounts.js';
import { existingMounts, frontendProblem } from '../src/dockerfile/mounts.js';
import {
  APT_ARCHIVES_DIR,
  APT_CACHE_DIR,
  APT_LISTS_DIR,
  APT_STATE_DIR,
  KEEP_ARCHIVES_OPTIONS,
  KEPT_ARCHIVES_DIR,
  READS_LISTS,
  aptSubcommand,
  downloadsPackages,
  mayRunAptUnseen,
  setsArchivesDir,
} from '../src/tools/apt.js';
import { invocation, type Invocation } from '../src/tools/command.js';
import { familyRoot, runContext, stageChain } from '../src/dockerfile/run-context.js';
import { reaches, rmOptions, runPathsOf, RunPaths } from '../src/dockerfile/run-paths.js';
import { insertWordsAfter, runView, type RunView } from '../src/dockerfile/run-view.js';
import { laterUse, stagesBuiltOn } from '../src/dockerfile/later-uses.js';
import { commandBase } from '../src/shell/index.js';
import { DOCKER_DOCS } from '../src/core/references.js';

const APT_HINT = /\bapt(-get|-cache)?\b/;

const APT_SKIPS = {
  ...CACHE_SKIPS,
  'lists-from-earlier-layer': 'a RUN of the chain reads package lists fetched by an earlier layer',
  sudo: 'apt runs through sudo, so the build user is not root and cannot run the added commands',
  'opaque-run': 'a RUN of the chain runs apt in a form whose commands cannot be read',
  'not-appendable': 'the RUN cannot take more commands (it ends with `;`, `&`, a comment, …)',
  'opaque-apt-consumer':
    'a script or wrapper that may run apt unseen would find the package lists changed (cached from another build, or gone)',
  'apt-already-cached': "the RUN already mounts a cache over apt's directories",
} as const;
type AptSkipCode = keyof typeof APT_SKIPS;

interface AptRun {
  view: RunView;
  invs: Invocation[];
}

function aptInvocations(view: RunView): Invocation[] {
  const out: Invocation[] = [];
  for (const { command } of view.commands) {
    const inv = invocation(command);
    if (inv && ((inv.name !== 'aptitude' && aptSubcommand(inv) !== null) || inv.name === 'apt-cache'))
      out.push(inv);
  }
  return out;
}

const listsStates = new WeakMap<Instruction, 'kept' | 'removed' | 'untouched'>();

/** Where the RUN leaves the package lists: fetched and kept, fetched and removed, removed, or untouched. */
function listsAfter(model: DockerfileModel, view: RunView): 'kept' | 'removed' | 'untouched' {
  let state = listsStates.get(view.instr);
  if (state === undefined) {
    state = readListsAfter(model, view);
    listsStates.set(view.instr, state);
  }
  return state;
}

function readListsAfter(model: DockerfileModel, view: RunView): 'kept' | 'removed' | 'untouched' {
  const paths = runPathsOf(model, view.instr) ?? new RunPaths(view, runContext(model, view.instr));
  let state: 'kept' | 'removed' | 'untouched' = 'untouched';
  for (const { command } of view.commands) {
    const inv = invocation(command);
    if (!inv) continue;
    const sub = aptSubcommand(inv);
    if (sub === 'update') state = 'kept';
    else if (sub === 'dist-clean') state = 'removed';
    else if (inv.name === 'rm' && rmOptions(command).recursive) {
      for (const w of rmOptions(command).operands) {
        const r = reaches(paths.resolve(w, command.start), APT_LISTS_DIR);
        if (r === 'parent' || r === 'itself' || (r === 'inside' && /\*$/.test(w.raw))) state = 'removed';
      }
    }
  }
  return state;
}

/** Why the chain cannot take the lists out of its layers, or null. */
function listsProblem(runs: AptRun[]): Skip<AptSkipCode> | null {
  for (const r of runs) {
    let updated = false;
    for (const inv of r.invs) {
      const sub = inv.name === 'apt-cache' ? 'search' : aptSubcommand(inv);
      if (sub === 'update') updated = true;
      else if (sub !== null && READS_LISTS.has(sub) && !updated) {
        return skip(
          'lists-from-earlier-layer',
          `${quote(r.view.instr)} (line ${r.view.instr.startLine + 1}) reads package lists fetched by an earlier layer; ` +
            'taking them out of the layers would break it (merge it with the RUN that runs `apt-get update`)',
        );
      }
    }
  }
  return null;
}

export const aptCache: Transform<AptSkipCode> = {
  meta: {
    id: 'apt-cache',
    title: 'Cache apt package lists and downloads across builds',
    description:
      'buildkit mode: adds `--mount=type=cache,target=/var/lib/apt/lists,sharing=locked` and ' +
      '`--mount=type=cache,target=/var/cache/apt,sharing=locked` to every RUN that runs apt-get or apt, ' +
      `gives each command that downloads packages \`${KEEP_ARCHIVES_OPTIONS.join(' ')}\` (the packages ` +
      'stay in the cache, out of reach of the docker-clean hook, and apt\'s configuration in the image is ' +
      "untouched), and removes what would empty the mounts (`rm -rf /var/lib/apt/lists/*`, `rm -rf " +
      "/var/cache/apt/*`). apt's own state (/var/lib/apt/extended_states) stays in the image. portable " +
      'mode: appends `rm -rf /var/lib/apt/lists/*` to each RUN that runs `apt-get update` and does not ' +
      'remove the lists. Left alone: a chain where a RUN installs with lists fetched by an earlier RUN ' +
      '(merge-apt-runs joins such RUNs first), and a RUN whose scripts may run apt unseen. When the image ' +
      'the file ships kept its package lists, images built FROM it may install without `apt-get update`: ' +
      'taking them out is a review fix.',
    why:
      'Without cache mounts every rebuild of an apt layer downloads the package index and every .deb ' +
      'again; without cleanup in the same RUN, the 20-40 MB of lists are baked into the image.',
    seeds: ['000_e7050b95a6c7ffd0.txt', '002_a22975ebf7ef71db.txt', '003_f67401aae7b836c1.txt'],
    references: [DOCKER_DOCS.cacheMounts, DOCKER_DOCS.runMountCache, DOCKER_DOCS.aptGet],
    readme: 'Transforms › Cache transforms',
    safety: 'safe',
    modes: ['buildkit', 'portable'],
    example: {
      before:
        'RUN apt-get update && apt-get install -y --no-install-recommends \\\n    curl \\\n    && rm -rf /var/lib/apt/lists/*\n',
      after:
        'RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\\n' +
        '    --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n' +
        `    apt-get update && apt-get ${KEEP_ARCHIVES_OPTIONS.join(' ')} install -y --no-install-recommends \\\n    curl\n`,
    },
    skips: APT_SKIPS,
    cacheable: true,
  },
  run(model, context, report) {
    // Group the apt RUNs by the chain of stages they share a filesystem with.
    const families = new Map<number, { runs: AptRun[]; opaque: Instruction | null }>();
    for (const instr of model.instructions) {
      if (instr.keyword !== 'RUN' || !APT_HINT.test(instr.text)) continue;
      const root = familyRoot(model, model.stages[instr.stage]);
      const fam = families.get(root) ?? { runs: [], opaque: null };
      families.set(root, fam);
      const view = runView(model, instr);
      if (!view) {
        if (/\bapt(-get)?\s/.test(instr.text)) fam.opaque ??= instr;
        continue;
      }
      const invs = aptInvocations(view);
      if (invs.length > 0) fam.runs.push({ view, invs });
    }
    for (const fam of families.values()) {
      if (fam.runs.length === 0) continue;
      const sudo = fam.runs.find((r) => r.invs.some((inv) => commandBase(inv.command.name) === 'sudo'));
      const problem: Skip<AptSkipCode> | null =
        (fam.opaque ? skip('opaque-run', `${quote(fam.opaque)} runs apt in a form whose commands cannot be read`) : null) ??
        (sudo
          ? skip(
              'sudo',
              `${quote(sudo.view.instr)} runs apt through sudo, so the build user is not root (perhaps set by the base image) and cannot run the added commands`,
            )
          : null) ??
        listsProblem(fam.runs);
      if (problem) {
        for (const r of fam.runs) report.skip(problem.code, problem.message, r.view.instr.start);
        continue;
      }
      for (const r of fam.runs) {
        if (context.mode === 'buildkit') buildkit(model, r, report);
        else portable(model, r, report);
      }
    }
  },
};

/**
 * Who, after a RUN that fetched the package lists and kept them, would miss them: a later RUN of
 * the stages built on it that may run apt unseen (before the lists are fetched again or removed),
 * or images built FROM the image the file ships. A skip, a review note, or null.
 */
function listsConsumers(model: DockerfileModel, run: Instruction): Skip<AptSkipCode> | { review: string } | null {
  const stage = model.stages[run.stage];
  for (const s of stagesBuiltOn(model, stage)) {
    for (const i of s.instructions) {
      if (i.index <= run.index || i.keyword !== 'RUN') continue;
      const view = runView(model, i);
      if (!view) continue;
      for (const { command } of view.commands) {
        const inv = invocation(command);
        if (!inv) continue;
        if (aptSubcommand(inv) === 'update') break;
        if (mayRunAptUnseen(inv))
          return skip(
            'opaque-apt-consumer',
            `${quote(i)} runs \`${inv.name}\`, which may run apt with the package lists this RUN keeps in the image`,
          );
      }
      if (listsAfter(model, view) !== 'untouched') break;
    }
  }
  // The shipped image: the last stage and the stages it is built from.
  const last = model.stages[model.stages.length - 1];
  const shipped = stageChain(model, last);
  if (!shipped.includes(stage)) return null;
  const later = shipped.flatMap((s) => s.instructions).filter((i) => i.keyword === 'RUN' && i.index > run.index);
  for (const i of later) {
    const view = runView(model, i);
    if (view && listsAfter(model, view) !== 'untouched') return null;
  }
  return {
    review:
      'review: the image this file ships kept its package lists, and an image built FROM it may run `apt-get install` without `apt-get update`',
  };
}

/** Within a RUN: a script or wrapper that runs before the RUN's first `apt-get update` and may run apt. */
function unseenAptBeforeUpdate(run: AptRun): Skip<AptSkipCode> | null {
  for (const { command } of run.view.commands) {
    const inv = invocation(command);
    if (!inv) continue;
    if (aptSubcommand(inv) === 'update') return null;
    if (mayRunAptUnseen(inv))
      return skip(
        'opaque-apt-consumer',
        `\`${inv.name}\` may run apt before this RUN fetches the package lists; with the lists in a cache it would find those of an earlier build`,
      );
  }
  return null;
}

function buildkit(model: DockerfileModel, r: AptRun, report: Report<AptSkipCode>): void {
  const instr = r.view.instr;
  // Only RUNs that fetch lists or download packages have anything to cache.
  if (!r.invs.some((inv) => aptSubcommand(inv) === 'update' || downloadsPackages(inv))) return;
  const fp = frontendProblem(model);
  if (fp) return report.skip('old-frontend', fp, instr.start);
  // Mounts over apt's directories other than the two this transform adds were set up by hand.
  const own = new Set([APT_LISTS_DIR, APT_CACHE_DIR]);
  const foreign = existingMounts(instr).find(
    (m) =>
      m.target === null ||
      ((m.target.startsWith(APT_STATE_DIR) || m.target.startsWith(APT_CACHE_DIR)) && !(m.type === 'cache' && own.has(m.target))),
  );
  if (foreign)
    return report.skip('apt-already-cached', `${quote(instr)} already mounts ${foreign.target ?? 'a variable target'}`, instr.start);
  const user = runContext(model, instr).user;
  if (!user.root)
    return report.skip('non-root-user', `${quote(instr)} runs as \`${user.spec}\`, who cannot run apt`, instr.start);
  const unseen = unseenAptBeforeUpdate(r);
  if (unseen) return report.skip(unseen.code, unseen.message, instr.start);
  // Already mounted (an earlier pass): the lists are out of the layer; only what is left to do counts.
  const mountedLists = existingMounts(instr).some((m) => m.type === 'cache' && m.target === APT_LISTS_DIR);
  const keeps = !mountedLists && listsAfter(model, r.view) === 'kept';
  const consumers = keeps ? listsConsumers(model, instr) : null;
  if (consumers && 'code' in consumers) return report.skip(consumers.code, consumers.message, instr.start);
  const planned: PlannedRun = {
    view: r.view,
    ctx: runContext(model, instr),
    uses: [
      {
        command: r.invs[0].command,
        inv: r.invs[0],
        caches: [
          { label: 'the apt package lists', target: APT_LISTS_DIR, sharing: 'locked', cleanedBy: 'apt-lists' },
          { label: 'the apt package cache', target: APT_CACHE_DIR, sharing: 'locked', content: KEPT_ARCHIVES_DIR },
        ],
        disablingWords: [],
      },
    ],
  };
  const outcome = planMounts(model, planned, { systemCache: true });
  if (outcome === null) return;
  if (isSkip(outcome)) return report.skip(outcome.code as CacheSkipCode, outcome.message, instr.start);
  // Downloaded packages go to a directory of the cache that docker-clean does not empty.
  const downloading = r.invs.filter((inv) => downloadsPackages(inv) && !setsArchivesDir(inv));
  if (downloading.length > 0) {
    const after = Math.min(...downloading.map((inv) => inv.command.start));
    const reader = laterUse(model, instr, APT_ARCHIVES_DIR, { after, sameRunOnly: true });
    if (reader)
      return report.skip(
        'read-later',
        `the RUN reads \`${reader.what}\` after apt downloads packages, which would be kept elsewhere in the cache`,
        instr.start,
      );
  }
  for (const inv of downloading) outcome.edits.push(insertWordsAfter(r.view, inv.command, inv.nameWord, KEEP_ARCHIVES_OPTIONS));
  if (downloading.length > 0)
    outcome.message += `; apt keeps the packages it downloads in ${KEPT_ARCHIVES_DIR} of the cache (options on the command line; apt's configuration is unchanged)`;
  if (consumers) {
    outcome.safety = 'review';
    outcome.message += `; ${consumers.review}`;
  }
  report.fix(outcome);
}

function portable(model: DockerfileModel, r: AptRun, report: Report<AptSkipCode>): void {
  const instr = r.view.instr;
  if (!r.invs.some((inv) => aptSubcommand(inv) === 'update')) return;
  if (
    existingMounts(instr).some(
      (m) => m.type === 'cache' && (m.target === APT_STATE_DIR || m.target === APT_LISTS_DIR),
    )
  )
    return;
  if (listsAfter(model, r.view) !== 'kept') return;
  if (r.view.form !== 'shell')
    return report.skip(
      'not-appendable',
      `${quote(instr)} is an ${r.view.form}-form RUN; the lists cleanup cannot be appended`,
      instr.start,
    );
  const ctx = runContext(model, instr);
  if (!ctx.user.root)
    return report.skip(
      'non-root-user',
      `${quote(instr)} runs as \`${ctx.user.spec}\`, who cannot remove the package lists`,
      instr.start,
    );
  const problem = checkAppendable(model, instr, r.view.script!, 'apt');
  if (problem) return report.skip(problem.code, problem.message, instr.start);
  const consumers = listsConsumers(model, instr);
  if (consumers && 'code' in consumers) return report.skip(consumers.code, consumers.message, instr.start);
  const at = contentEnd(model, instr);
  report.fix({
    message:
      `Appended \`rm -rf /var/lib/apt/lists/*\` to ${quote(instr)}, so the package lists never reach a layer` +
      (consumers ? `; ${consumers.review}` : ''),
    safety: consumers ? 'review' : 'safe',
    edits: [
      {
        start: at,
        end: at,
        text: appendedCommands(model, instr, ['rm -rf /var/lib/apt/lists/*'], instr.startLine !== instr.endLine),
      },
    ],
    at: instr.start,
  });
}
