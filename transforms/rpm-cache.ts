/**
 * rpm-cache: dnf, yum, microdnf and tdnf download repository metadata and every package again on
 * each rebuild, and leave both in the layer unless the RUN cleans them. buildkit mode: a cache
 * mount on the tool's cache directory (`sharing=locked`), options on each command line that keep
 * its packages there for that command only (no configuration file changes in the image), and the
 * cleanups that would empty the mount removed. portable mode: `clean all` and removal of the cache
 * directory appended to the installing RUN (zypper: `zypper clean --all`).
 */
import { DOCKER_DOCS } from '../src/core/references.js';
import type { DockerfileModel, Instruction } from '../src/core/model.js';
import { isSkip, type Report, type Transform } from '../src/core/transform.js';
import { appendedCommands, checkAppendable, contentEnd, inBranch, quote } from '../src/rewrite/edit.js';
import { CACHE_SKIPS, findRuns, planMounts, type CacheToolSpec, type PlannedRun } from '../src/rewrite/cache-mounts.js';
import { existingMounts } from '../src/dockerfile/mounts.js';
import { laterUse, stagesBuiltOn } from '../src/dockerfile/later-uses.js';
import { insertWordsAfter } from '../src/dockerfile/run-view.js';
import { reaches, rmOptions, RunPaths } from '../src/dockerfile/run-paths.js';
import { commandBase } from '../src/shell/index.js';
import { invocation, type Invocation } from '../src/tools/command.js';
import {
  RPM_CACHE_DIRS,
  YUM_NAMES,
  rpmCache,
  rpmCacheDirsToRemove,
  rpmCleanCommand,
  rpmFillsCache,
  rpmSubcommand,
  yumCacheCleaned,
} from '../src/tools/yum.js';

const RPM_SKIPS = {
  ...CACHE_SKIPS,
  'unknown-package-manager': 'which rpm package manager runs (yum 3 or dnf), and so where it caches, is not known for the base image',
  'reads-cache-only': 'a command installs from the cache alone (`-C`), which a mount or a cleanup would take away',
  sudo: 'the package manager runs through sudo, so the build user is not root',
  'not-appendable': 'the installing RUN cannot take more commands (it ends with `;`, `&`, a comment, …)',
  'no-keep-option': 'zypper keeps packages only by a repository setting, not by a command-line option',
} as const;
type RpmSkipCode = keyof typeof RPM_SKIPS;

const HINT = /\b(yum|dnf|microdnf|tdnf|zypper)\b/;
const CACHE_ONLY = /\b(yum|dnf|microdnf|tdnf)\b[^&;|\n]*\s(-C|--cacheonly)\b/;

/** Every rpm command but `clean` and bare `dnf --version` uses the cache. */
const usesCache = (inv: Invocation): boolean => {
  const sub = rpmSubcommand(inv);
  return YUM_NAMES.has(inv.name) && sub !== null && sub !== 'clean' && sub !== 'help';
};

const spec: CacheToolSpec = {
  hint: HINT,
  uses(inv, ctx) {
    if (inv.name === 'zypper' && rpmFillsCache(inv)) return { command: inv.command, caches: [], disablingWords: [] };
    if (!usesCache(inv)) return null;
    const cache = rpmCache(inv, ctx);
    return {
      command: inv.command,
      caches: [
        {
          label: `the ${inv.name} cache`,
          target: isSkip(cache) ? cache : cache.dir,
          sharing: 'locked',
          cleanedBy: 'yum-cache',
        },
      ],
      disablingWords: [],
    };
  },
};

export const rpmCacheTransform: Transform<RpmSkipCode> = {
  meta: {
    id: 'rpm-cache',
    title: 'Cache dnf, yum, microdnf and tdnf downloads across builds, or clean them in the installing RUN',
    description:
      'buildkit mode: adds `--mount=type=cache,target=<cache dir>,sharing=locked` to every RUN that runs dnf, ' +
      'yum, microdnf or tdnf (`/var/cache/dnf` for dnf 4, `/var/cache/libdnf5` for dnf 5, `/var/cache/yum` ' +
      'for yum 3 and microdnf, `/var/cache/tdnf`), gives each of their commands `--setopt=keepcache=1` ' +
      '(packages stay in the cache after the transaction, for that command only: no configuration file ' +
      'changes in the image) and `--refresh` (metadata is checked against the repositories, as with an ' +
      'empty cache), and removes `clean all` and `rm -rf` of the cache there. Which tool runs behind `yum` ' +
      'and `dnf` comes from the base image (EL 7 has yum 3, EL 8-10 dnf 4, Fedora 41+ dnf 5); an unknown ' +
      "image's `dnf` is told its cache directory (`--setopt=cachedir=/var/cache/dnf`), an unknown " +
      "image's `yum` is left alone. Old microdnf (before 3.7) gets the metadata cache only. portable mode: " +
      'appends `<tool> clean all` and `rm -rf <cache dir>` (zypper: `zypper clean --all`) to each RUN ' +
      'that installs without cleaning.',
    why:
      'Without a cache mount every rebuild downloads the repository metadata (tens of MB) and every ' +
      'package again; without a cleanup in the same RUN, both are baked into the image.',
    seeds: ['000_e7050b95a6c7ffd0.txt'],
    safety: 'safe',
    modes: ['buildkit', 'portable'],
    example: {
      before: 'FROM rockylinux:9\nRUN dnf install -y git && dnf clean all\n',
      after:
        'FROM rockylinux:9\nRUN --mount=type=cache,target=/var/cache/dnf,sharing=locked \\\n' +
        '    dnf --setopt=keepcache=1 --refresh install -y git\n',
    },
    skips: RPM_SKIPS,
    cacheable: true,
    references: [DOCKER_DOCS.cacheMounts, DOCKER_DOCS.runMountCache, DOCKER_DOCS.layers],
    readme: 'Transforms › Cache transforms',
  },
  run(model, context, report) {
    const runs = findRuns(model, spec);
    if (runs.length === 0) return;
    const cacheOnly = model.instructions.find((i) => i.keyword === 'RUN' && CACHE_ONLY.test(i.text));
    for (const run of runs) {
      const instr = run.view.instr;
      if (cacheOnly && sharesFilesystem(model, cacheOnly, instr)) {
        report.skip('reads-cache-only', `${quote(cacheOnly)} installs from the cache alone (\`-C\`), which this rewrite would take away`, instr.start);
        continue;
      }
      const sudo = run.uses.find((u) => commandBase(u.command.name) === 'sudo');
      if (sudo) {
        report.skip('sudo', `${quote(instr)} runs \`${sudo.inv.name}\` through sudo, so the build user is not root`, instr.start);
        continue;
      }
      if (context.mode === 'buildkit') buildkit(model, run, report);
      else portable(model, run, report);
    }
  },
};

/** Do two RUNs share a filesystem (one's stage is built on the other's, or the same stage)? */
function sharesFilesystem(model: DockerfileModel, a: Instruction, b: Instruction): boolean {
  const sa = model.stages[a.stage];
  const sb = model.stages[b.stage];
  return stagesBuiltOn(model, sa).includes(sb) || stagesBuiltOn(model, sb).includes(sa);
}

function buildkit(model: DockerfileModel, run: PlannedRun, report: Report<RpmSkipCode>): void {
  const instr = run.view.instr;
  const rpm = run.uses.filter((u) => u.inv.name !== 'zypper');
  if (rpm.length === 0) {
    report.skip('no-keep-option', `${quote(instr)} runs zypper, which keeps packages only by a repository setting; left alone`, instr.start);
    return;
  }
  const outcome = planMounts(model, { ...run, uses: rpm }, { systemCache: true });
  if (outcome === null) return;
  if (isSkip(outcome)) return report.skip(outcome.code as RpmSkipCode, outcome.message, instr.start);
  const notes = new Set<string>();
  let added = false;
  for (const use of rpm) {
    const cache = rpmCache(use.inv, run.ctx);
    if (isSkip(cache)) return report.skip(cache.code as RpmSkipCode, cache.message, instr.start);
    const missing = cache.options.filter((o) => !use.inv.args.includes(o));
    if (missing.length === 0) continue;
    outcome.edits.push(insertWordsAfter(run.view, use.command, null, missing));
    notes.add(cache.optionsNote);
    added = true;
  }
  if (added) outcome.message += `; ${[...notes].join('; ')}`;
  report.fix(outcome);
}

function portable(model: DockerfileModel, run: PlannedRun, report: Report<RpmSkipCode>): void {
  const instr = run.view.instr;
  const fillers = run.uses.filter((u) => rpmFillsCache(u.inv));
  if (fillers.length === 0 || run.view.form !== 'shell') return;
  if (existingMounts(instr).some((m) => m.type === 'cache')) return;
  if (!run.ctx.user.root) return;
  if (fillers.some((u) => u.inv.args.some((a) => a !== null && /^--installroot(=|$)/.test(a)))) {
    report.skip('cache-path-dynamic', `${quote(instr)} installs into another root, whose cache a cleanup here would miss`, instr.start);
    return;
  }
  const lastFill = Math.max(...fillers.map((u) => u.command.end));
  const paths = new RunPaths(run.view, run.ctx);
  const dirs = [...new Set(fillers.flatMap((u) => rpmCacheDirsToRemove(u.inv, run.ctx)))];
  // Already cleaned after the last install: a `clean` command, or removal of the cache directory.
  const cleaned = run.view.commands.some(({ command }) => {
    if (command.start < lastFill) return false;
    const inv = invocation(command);
    if (!inv) return false;
    if (yumCacheCleaned(inv)) return true;
    if (inv.name !== 'rm' || !rmOptions(command).recursive) return false;
    return rmOptions(command).operands.some((w) => {
      const p = paths.resolve(w, command.start);
      return Object.values(RPM_CACHE_DIRS).some((d) => {
        const r = reaches(p, d);
        return r === 'itself' || r === 'parent' || (r === 'inside' && /\*$/.test(w.raw));
      });
    });
  });
  if (cleaned) return;
  for (const dir of [...dirs, ...Object.values(RPM_CACHE_DIRS)]) {
    const use = laterUse(model, instr, dir, { after: lastFill });
    if (use && use.kind !== 'mkdir') {
      const where = use.instr === instr ? 'the RUN itself' : quote(use.instr);
      report.skip(
        use.kind === 'strict-rm' ? 'later-removal-fails' : 'read-later',
        `${where} ${use.kind === 'strict-rm' ? 'removes' : 'reads'} \`${use.what}\`, which the cleanup would take away`,
        instr.start,
      );
      return;
    }
  }
  const problem = checkAppendable(model, instr, run.view.script!, 'installing');
  if (problem) return report.skip(problem.code, problem.message, instr.start);
  const branch = inBranch(run.view.script!, fillers.map((u) => u.command));
  if (branch)
    return report.skip(
      'not-appendable',
      `\`${branch.name}\` installs only in a branch of ${quote(instr)}; a cleanup appended to the RUN would run without it`,
      instr.start,
    );
  const cleanups = [...new Set(fillers.map((u) => rpmCleanCommand(u.inv)))];
  if (dirs.length > 0) cleanups.push(`rm -rf ${dirs.join(' ')}`);
  const at = contentEnd(model, instr);
  report.fix({
    message: `Appended ${cleanups.map((c) => '`' + c + '`').join(' and ')} to ${quote(instr)}, so the package metadata and downloads stay out of the layer`,
    safety: 'safe',
    edits: [{ start: at, end: at, text: appendedCommands(model, instr, cleanups, instr.startLine !== instr.endLine) }],
    at: instr.start,
  });
}
