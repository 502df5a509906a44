/**
 * apt-cache: apt downloads the package lists and every .deb again on each rebuild of the layer.
 * buildkit mode (seeds 000, 002, 003): once per stage chain, before its first apt RUN, the RUN that
 * removes Docker's docker-clean hook and keeps downloaded packages; on every apt RUN, cache mounts
 * for /var/cache/apt and /var/lib/apt (`sharing=locked`), and no cleanup that would wipe them.
 * portable mode (seed 000 "correct"): `rm -rf /var/lib/apt/lists/*` in the RUN that fetched the lists.
 *
 * Both modes take the package lists out of the layers, so every apt RUN of the chain that reads
 * them must fetch them itself (`apt-get update` in the same RUN); otherwise the chain is left alone.
 */
import { commentBlockStart, type DockerfileModel, type Instruction } from '../src/core/model.js';
import { isSkip, skip, type FixProposal, type Report, type Skip, type TextEdit, type Transform } from '../src/core/transform.js';
import { appendedCommands, checkAppendable, contentEnd, lineBreakOf, quote } from '../src/rewrite/edit.js';
import { CACHE_SKIPS, planMounts, type PlannedRun } from '../src/rewrite/cache-mounts.js';
import { existingMounts, frontendProblem } from '../src/dockerfile/mounts.js';
import { APT_CACHE_DIR, APT_STATE_DIR, DOCKER_CLEAN_HOOK, READS_LISTS, aptSubcommand } from '../src/tools/apt.js';
import { invocation, type Invocation } from '../src/tools/command.js';
import { familyRoot, runContext, stageChain } from '../src/dockerfile/run-context.js';
import { runView, type RunView } from '../src/dockerfile/run-view.js';
import { commandBase } from '../src/shell/index.js';

const APT_HINT = /\bapt(-get|-cache)?\b/;

const APT_SKIPS = {
  ...CACHE_SKIPS,
  'lists-from-earlier-layer': 'a RUN of the chain reads package lists fetched by an earlier layer',
  sudo: 'apt runs through sudo, so the build user is not root and cannot run the added commands',
  'opaque-run': 'a RUN of the chain runs apt in a form whose commands cannot be read',
  'not-appendable': 'the RUN cannot take more commands (it ends with `;`, `&`, a comment, …)',
} as const;
type AptSkipCode = keyof typeof APT_SKIPS;

export const KEEP_CACHE_COMMENT =
  "# Required: disable the Docker-specific hook that wipes apt's cache after install";

function keepCacheRun(model: DockerfileModel, instr: Instruction): string {
  const eol = lineBreakOf(model, instr);
  return (
    `${KEEP_CACHE_COMMENT}${eol}` +
    `RUN rm -f /etc/apt/apt.conf.d/docker-clean; ${model.escape}${eol}` +
    `    echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache${eol}${eol}`
  );
}

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

export const aptCache: Transform = {
  meta: {
    id: 'apt-cache',
    title: 'Cache apt package lists and downloads across builds',
    description:
      'buildkit mode: inserts, once per stage chain and before its first apt RUN, the RUN that removes ' +
      "Docker's `docker-clean` hook and keeps downloaded packages; adds " +
      '`--mount=type=cache,target=/var/cache/apt,sharing=locked` and ' +
      '`--mount=type=cache,target=/var/lib/apt,sharing=locked` to every RUN that runs apt-get or apt; ' +
      'removes `rm -rf /var/lib/apt/lists/*`, `apt-get clean` and `rm -rf /var/cache/apt/*` from those ' +
      'RUNs. portable mode: appends `rm -rf /var/lib/apt/lists/*` to each RUN that runs ' +
      '`apt-get update` and does not remove the lists. A chain where a RUN installs with lists fetched ' +
      'by an earlier RUN is left alone (merge-apt-runs joins such RUNs first).',
    why:
      'Without cache mounts every rebuild of an apt layer downloads the package index and every .deb ' +
      'again; without cleanup in the same RUN, the 20-40 MB of lists are baked into the image.',
    seeds: ['000_e7050b95a6c7ffd0.txt', '002_a22975ebf7ef71db.txt', '003_f67401aae7b836c1.txt'],
    safety: 'safe',
    modes: ['buildkit', 'portable'],
    example: {
      before:
        'RUN apt-get update && apt-get install -y --no-install-recommends \\\n    curl \\\n    && rm -rf /var/lib/apt/lists/*\n',
      after:
        `${KEEP_CACHE_COMMENT}\nRUN rm -f /etc/apt/apt.conf.d/docker-clean; \\\n` +
        `    echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache\n\n` +
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n' +
        '    --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n' +
        '    apt-get update && apt-get install -y --no-install-recommends \\\n    curl\n',
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
        (fam.opaque
          ? skip('opaque-run', `${quote(fam.opaque)} runs apt in a form whose commands cannot be read`)
          : null) ??
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
      if (context.mode === 'buildkit') buildkit(model, fam.runs, report);
      else portable(model, fam.runs, report);
    }
  },
};

function buildkit(model: DockerfileModel, runs: AptRun[], report: Report<AptSkipCode>): void {
  const skipAll = (s: Skip) => {
    for (const r of runs) report.skip(s.code as AptSkipCode, s.message, r.view.instr.start);
  };
  const fp = frontendProblem(model);
  if (fp) return skipAll(skip('old-frontend', fp));
  const fixes: FixProposal[] = [];
  for (const r of runs) {
    const planned: PlannedRun = {
      view: r.view,
      ctx: runContext(model, r.view.instr),
      uses: [
        {
          command: r.invs[0].command,
          inv: r.invs[0],
          caches: [
            { label: 'the apt cache', target: APT_CACHE_DIR, sharing: 'locked', cleanedBy: 'apt-cache' },
            { label: 'the apt lists', target: APT_STATE_DIR, sharing: 'locked', cleanedBy: 'apt-lists' },
          ],
          disablingWords: [],
        },
      ],
    };
    const outcome = planMounts(model, planned, { systemCache: true });
    if (outcome !== null && isSkip(outcome)) {
      // The keep-cache setting reaches every apt RUN of the chain: all get the mounts, or none does.
      return skipAll({
        code: outcome.code,
        message: `${outcome.message} (line ${r.view.instr.startLine + 1}); every apt RUN of a stage chain needs the mounts, so none was changed`,
      });
    }
    if (outcome) fixes.push(outcome);
  }
  // The keep-cache RUN: before the first apt RUN of each stage that does not inherit one.
  const keeps = new Map<number, boolean>();
  for (const r of runs) {
    const stage = model.stages[r.view.instr.stage];
    if (keeps.get(stage.index)) continue;
    const before = stageChain(model, stage).flatMap((s) => s.instructions);
    const upTo = before.slice(0, before.indexOf(r.view.instr));
    const inherited = upTo.some(
      (i) => i.keyword === 'RUN' && i.text.includes(DOCKER_CLEAN_HOOK),
    );
    // A chain shares one insertion: a stage built FROM a stage that gets one inherits it.
    const ancestorGetsOne = stageChain(model, stage)
      .slice(0, -1)
      .some((s) => keeps.get(s.index));
    keeps.set(stage.index, true);
    if (inherited || ancestorGetsOne) continue;
    const ctx = runContext(model, r.view.instr);
    if (!ctx.user.root) {
      return skipAll(
        skip(
          'non-root-user',
          `the first apt RUN of the stage runs as \`${ctx.user.spec}\`, which cannot remove the docker-clean hook`,
        ),
      );
    }
    const at = model.lines.starts[commentBlockStart(model, r.view.instr)];
    const edit: TextEdit = { start: at, end: at, text: keepCacheRun(model, r.view.instr) };
    fixes.push({
      message: `Inserted, before ${quote(r.view.instr)}, the RUN that removes the docker-clean hook so the apt cache mount keeps downloaded packages`,
      safety: 'safe',
      edits: [edit],
      at: r.view.instr.start,
    });
  }
  for (const f of fixes) report.fix(f);
}

function portable(model: DockerfileModel, runs: AptRun[], report: Report<AptSkipCode>): void {
  for (const r of runs) {
    const instr = r.view.instr;
    if (!r.invs.some((inv) => aptSubcommand(inv) === 'update')) continue;
    if (
      existingMounts(instr).some(
        (m) => m.type === 'cache' && (m.target === '/var/lib/apt' || m.target === '/var/lib/apt/lists'),
      )
    )
      continue;
    const anyListsRm = r.view.commands.some(({ command }) => {
      const inv = invocation(command);
      return (
        inv?.name === 'rm' &&
        command.args.some((a) => a.value !== null && a.value.startsWith('/var/lib/apt/lists'))
      );
    });
    if (anyListsRm) continue;
    if (r.view.form !== 'shell') {
      report.skip(
        'not-appendable',
        `${quote(instr)} is an ${r.view.form}-form RUN; the lists cleanup cannot be appended`,
        instr.start,
      );
      continue;
    }
    const ctx = runContext(model, instr);
    if (!ctx.user.root) {
      report.skip('non-root-user', `${quote(instr)} runs as \`${ctx.user.spec}\`, who cannot remove the package lists`, instr.start);
      continue;
    }
    const problem = checkAppendable(model, instr, r.view.script!, 'apt');
    if (problem) {
      report.skip(problem.code, problem.message, instr.start);
      continue;
    }
    const at = contentEnd(model, instr);
    report.fix({
      message: `Appended \`rm -rf /var/lib/apt/lists/*\` to ${quote(instr)}, so the package lists never reach a layer`,
      safety: 'safe',
      edits: [
        {
          start: at,
          end: at,
          text: appendedCommands(
            model,
            instr,
            ['rm -rf /var/lib/apt/lists/*'],
            instr.startLine !== instr.endLine,
          ),
        },
      ],
      at: instr.start,
    });
  }
}
