/**
 * apk-cache: `apk update && apk add …` leaves the package index (and, where caching is set up,
 * the packages) in the layer, and every rebuild downloads every package again. buildkit mode, on
 * an Alpine release whose apk takes `--cache-dir` (3.8+, known from the base image): a cache mount
 * on /var/cache/apk and `--cache-dir /var/cache/apk -U` on each `apk add`, so apk keeps the
 * packages there for that command (no /etc/apk/cache link in the image) and fetches a fresh index.
 * Elsewhere, and in portable mode: `apk add --no-cache`, which fetches a fresh index into a
 * temporary place and keeps nothing.
 */
import { soleCommand } from '../src/shell/index.js';
import type { TextEdit, Transform } from '../src/core/transform.js';
import { cacheRemovals, CACHE_SKIPS, findRuns, planMounts, type CacheToolSpec, type PlannedRun } from '../src/rewrite/cache-mounts.js';
import { alpineRelease } from '../src/dockerfile/base-images.js';
import { laterUse } from '../src/dockerfile/later-uses.js';
import { inBranch, quote } from '../src/rewrite/edit.js';
import { existingMounts } from '../src/dockerfile/mounts.js';
import {
  APK_CACHE_DIR,
  APK_INSTALLS,
  APK_KEEP_OPTIONS,
  apkCacheMountable,
  apkSubcommandIndex,
  isApkUpdateOnly,
} from '../src/tools/apk.js';
import { argWord, invocation } from '../src/tools/command.js';
import { insertWordAfter, insertWordsAfter, removeSteps, removeWord } from '../src/dockerfile/run-view.js';
import { DOCKER_DOCS } from '../src/core/references.js';
import type { DockerfileModel, Instruction } from '../src/core/model.js';
import { stageChain } from '../src/dockerfile/run-context.js';
import { isSkip, type Report } from '../src/core/transform.js';

const spec: CacheToolSpec = {
  hint: /\bapk\b/,
  uses(inv) {
    if (inv.name !== 'apk') return null;
    const sub = apkSubcommandIndex(inv);
    if (sub === -1 || !APK_INSTALLS.has(inv.args[sub]!)) return null;
    return { command: inv.command, caches: [], disablingWords: [] };
  },
};

const APK_SKIPS = {
  ...CACHE_SKIPS,
  'later-removal-fails':
    'a later `rm` without -f removes files from /var/cache/apk, and fails once nothing is cached there',
  'read-later': 'a later command reads /var/cache/apk, which would then be empty',
  'cleanup-not-separable': 'a cleanup of /var/cache/apk that would fail cannot be taken out of its RUN',
} as const;
type ApkSkipCode = keyof typeof APK_SKIPS;

/** Is `instr` in the stage the file ships, with no later RUN of it that empties the apk cache? */
function shipsIndex(model: DockerfileModel, instr: Instruction): boolean {
  const shipped = stageChain(model, model.stages[model.stages.length - 1]);
  if (!shipped.includes(model.stages[instr.stage])) return false;
  return !shipped
    .flatMap((s) => s.instructions)
    .some((i) => i.keyword === 'RUN' && i.index > instr.index && /\/var\/cache\/apk|apk cache clean/.test(i.text));
}

/** Can this RUN's apk keep its packages in a cache mount (known Alpine 3.8+)? */
const mountable = (run: PlannedRun): boolean =>
  run.ctx.base.image !== null && apkCacheMountable(alpineRelease(run.ctx.base.image));

export const apkCache: Transform<ApkSkipCode> = {
  meta: {
    id: 'apk-cache',
    title: 'Cache Alpine packages across builds (apk add with a cache mount), or install with --no-cache',
    description:
      'buildkit mode, on a base image known to be Alpine 3.8 or later: adds ' +
      '`--mount=type=cache,target=/var/cache/apk,sharing=locked` to every RUN that runs `apk add` or ' +
      '`apk upgrade`, gives those commands `--cache-dir /var/cache/apk -U` (apk keeps the packages in ' +
      'the mount for that command only, and fetches a fresh index), and removes `--no-cache` and ' +
      '`rm -rf /var/cache/apk/*` there. Elsewhere, and in portable mode: adds `--no-cache` to `apk add` ' +
      'and `apk upgrade`, and removes an `apk update` in the same RUN that `--no-cache` makes ' +
      'unnecessary. Left alone when the RUN mounts or sets up an apk cache.',
    why:
      '`apk update` writes the package index (a few MB per repository) into the layer, where a later ' +
      'RUN cannot remove it; `--no-cache` fetches the index to a temporary place and keeps nothing.',
    seeds: ['000_e7050b95a6c7ffd0.txt'],
    references: [DOCKER_DOCS.cacheMounts, DOCKER_DOCS.layers],
    readme: 'Transforms › Cache transforms',
    safety: 'safe',
    modes: ['buildkit', 'portable'],
    example: {
      before: 'RUN apk update && apk add curl\n',
      after: 'RUN apk add --no-cache curl\n',
    },
    skips: APK_SKIPS,
    cacheable: true,
  },
  run(model, context, report) {
    for (const run of findRuns(model, spec)) {
      const instr = run.view.instr;
      // Someone set up apk caching on purpose: /etc/apk/cache, or a cache mount.
      if (/\/etc\/apk\/cache|\/var\/cache\/apk/.test(instr.text) && existingMounts(instr).length > 0)
        continue;
      if (/\/etc\/apk\/cache/.test(model.text)) continue;
      if (context.mode === 'buildkit' && mountable(run)) {
        buildkit(model, run, report);
        continue;
      }
      const edits: TextEdit[] = [];
      for (const use of run.uses) {
        if (use.inv.args.some((a) => a === '--no-cache')) continue;
        const sub = apkSubcommandIndex(use.inv);
        edits.push(insertWordAfter(run.view, use.inv.command, argWord(use.inv, sub), '--no-cache'));
      }
      if (edits.length === 0) continue;
      let dropped = '';
      if (run.view.script) {
        // `apk update` as its own step only fills the index that --no-cache now fetches itself.
        const updates = run.view.script.steps.filter((step) => {
          const cmd = soleCommand(step);
          const inv = cmd && cmd.assignments.length === 0 && !cmd.hasRedirect ? invocation(cmd) : null;
          return inv !== null && isApkUpdateOnly(inv);
        });
        const firstAdd = Math.min(...run.uses.map((u) => u.command.start));
        const before = updates.filter((s) => s.pipeline.end <= firstAdd);
        if (before.length > 0 && before.length === updates.length) {
          const r = removeSteps(run.view, before);
          if ('edits' in r) {
            edits.push(...r.edits);
            dropped = '; removed the `apk update` it makes unnecessary';
          }
        }
      }
      // Nothing is cached any more: a later removal without -f of the cache would fail, and what
      // reads it would find nothing. A removal in this RUN that only cleans the cache goes.
      const lastApk = Math.max(...run.uses.map((u) => u.command.end));
      const use = laterUse(model, instr, APK_CACHE_DIR, { after: lastApk });
      if (use && use.kind === 'strict-rm' && use.instr === instr) {
        const cleanups = cacheRemovals(run.view, run.ctx, [{ target: APK_CACHE_DIR, content: APK_CACHE_DIR }]);
        const r = cleanups.operands.length === 0 ? removeSteps(run.view, cleanups.steps) : null;
        if (!r || !('edits' in r) || cleanups.steps.length === 0) {
          report.skip('cleanup-not-separable', `\`rm ${use.what}\` would fail once nothing is cached, and cannot be taken out of ${quote(instr)}`, instr.start);
          continue;
        }
        edits.push(...r.edits);
        dropped += `; removed \`rm ${use.what}\`, which would fail with nothing cached`;
      } else if (use && use.kind === 'strict-rm') {
        report.skip('later-removal-fails', `${quote(use.instr)} removes \`${use.what}\` without -f, which fails once nothing is cached`, instr.start);
        continue;
      } else if (use && use.kind === 'reads') {
        report.skip('read-later', `${use.instr === instr ? 'the RUN itself' : quote(use.instr)} reads \`${use.what}\`, which would be empty`, instr.start);
        continue;
      }
      // The index this RUN fetched stays out of the image: an image built FROM it whose apk does
      // not fetch a missing index itself (before apk-tools 2.10, Alpine 3.8) could not install.
      const fetchedIndex =
        dropped.includes('apk update') || run.uses.some((u) => u.inv.args.some((a) => a === '-U' || a === '--update-cache'));
      const review = fetchedIndex && !mountable(run) && shipsIndex(model, instr);
      report.fix({
        message:
          `Added \`--no-cache\` to apk in ${quote(instr)}, so the package index stays out of the layer${dropped}` +
          (review
            ? '; review: the image this file ships kept its package index, and the base image is not known to be Alpine 3.8 or later, whose apk fetches a missing index itself'
            : ''),
        safety: review ? 'review' : 'safe',
        edits,
        at: instr.start,
      });
    }
  },
};

/** A cache mount on /var/cache/apk, with the options that make each install keep its packages there. */
function buildkit(model: DockerfileModel, run: PlannedRun, report: Report<ApkSkipCode>): void {
  const instr = run.view.instr;
  // `--root DIR` installs into another root, whose cache is under it: not the mount.
  const own = (args: (string | null)[]) => {
    const dir = args.indexOf('--cache-dir');
    return dir !== -1 && args[dir + 1] !== APK_CACHE_DIR;
  };
  if (run.uses.some((u) => own(u.inv.args) || u.inv.args.some((a) => a === '--root' || a === '-p' || a?.startsWith('--root=') || a?.startsWith('--cache-dir='))))
    return report.skip('cache-path-dynamic', `${quote(instr)} runs apk with its own root or cache directory`, instr.start);
  const planned: PlannedRun = {
    ...run,
    uses: run.uses.map((u) => ({
      ...u,
      caches: [{ label: 'the apk cache', target: APK_CACHE_DIR, sharing: 'locked', cleanedBy: 'apk-cache' }],
      disablingWords: u.inv.command.args.filter((w) => w.value === '--no-cache'),
    })),
  };
  const outcome = planMounts(model, planned, { systemCache: true });
  if (outcome === null) return;
  if (isSkip(outcome)) return report.skip(outcome.code as ApkSkipCode, outcome.message, instr.start);
  const added = new Set<string>();
  // The index needs fetching once per RUN: by an `apk update` or a `-U` install that runs
  // unconditionally (not after `||`, nor in an `if` or subshell), else by the install itself. The
  // cached index may be another build's, or another platform's: its file name carries no
  // architecture.
  let fresh = false;
  for (const { command } of run.view.commands) {
    const inv = invocation(command);
    if (!inv) continue;
    // `apk update --no-cache` fetches an index it throws away: with the mount it fills the cache.
    if (isApkUpdateOnly(inv)) for (const w of command.args.filter((a) => a.value === '--no-cache')) outcome.edits.push(removeWord(run.view, command, w));
    const updates = isApkUpdateOnly(inv) || inv.args.includes('-U') || inv.args.includes('--update-cache');
    const use = planned.uses.find((u) => u.command === command);
    if (use && !use.inv.args.includes('--cache-dir')) {
      const options = fresh || updates ? APK_KEEP_OPTIONS.filter((o) => o !== '-U') : APK_KEEP_OPTIONS;
      outcome.edits.push(insertWordsAfter(run.view, use.command, use.inv.nameWord, options));
      added.add('`' + options.join(' ') + '`');
    }
    if ((updates || use) && inBranch(run.view.script!, [command]) === null) fresh = true;
  }
  if (added.size > 0)
    outcome.message += `; ${[...added].join(' and ')} make apk keep the packages there for that command (no /etc/apk/cache in the image), \`-U\` fetching a fresh index once per RUN`;
  report.fix(outcome);
}
