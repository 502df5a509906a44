/**
 * copy-manifests-first: `COPY . .` before `RUN pip install -r requirements.txt` reinstalls every
 * dependency on every code change (seed 004). Copy the dependency manifests first, install, then
 * copy the rest of the context.
 *
 * The full-context COPY keeps its place's meaning: the manifest COPY takes its position (same
 * flags, same destination), and the original COPY moves, unchanged, to just after the last RUN
 * that needs only the manifests. Instructions it moves past must not read the tree.
 */
import { joinContinuations, type DockerfileModel, type Instruction, type Stage } from '../src/core/model.js';
import { soleCommand } from '../src/shell/index.js';
import { isSkip, skip, type Outcome, type Skip, type Transform } from '../src/core/transform.js';
import { BuildContext } from '../src/dockerfile/build-context.js';
import { copyArgs } from '../src/dockerfile/copy-args.js';
import { lineBreakOf, quote } from '../src/rewrite/edit.js';
import { existingMounts } from '../src/dockerfile/mounts.js';
import { isAptGet } from '../src/tools/apt.js';
import { cacheCleaned, cachesCovered } from '../src/tools/caches.js';
import { invocation, type Invocation } from '../src/tools/command.js';
import { installNeeds, MANIFEST_SKIPS, type Manifest, type Needs } from '../src/tools/installs.js';
import { YUM_NAMES } from '../src/tools/yum.js';

const REORDER_SKIPS = {
  ...MANIFEST_SKIPS,
  destination: 'the full COPY goes to another directory than the one the install runs in',
  'outside-context': 'the install reads a file outside the build context',
  'manifest-missing': 'a manifest the install needs is not in the build context (or .dockerignore excludes it)',
} as const;
type ReorderSkipCode = keyof typeof REORDER_SKIPS;

const NEUTRAL = new Set([
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ARG',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'USER',
  'SHELL',
]);


export const copyManifestsFirst: Transform = {
  meta: {
    id: 'copy-manifests-first',
    title: 'Copy dependency manifests before installing, then the source',
    description:
      'When a stage copies the whole build context (`COPY . .`) before RUNs that install dependencies ' +
      'from manifests (pip -r, pipenv, poetry --no-root, uv sync --no-install-project, npm, yarn, pnpm, ' +
      'go mod download, bundler, composer --no-scripts --no-autoloader, maven go-offline, cargo fetch), ' +
      'copies only the manifests that exist in the context (and that .dockerignore keeps) in its place, ' +
      'and moves the full COPY after the last of those RUNs. Installs that need the source (`pip install .`, ' +
      'local paths, npm lifecycle scripts, workspaces) are left alone with the reason.',
    why:
      'A layer is rebuilt when anything it copies changes. With the whole tree copied first, every code ' +
      'change invalidates the install layer and every build reinstalls every dependency.',
    seeds: ['004_6a644e14f3cd586c.txt'],
    safety: 'safe',
    modes: ['buildkit', 'portable'],
    example: {
      before: 'WORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n',
      after:
        'WORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n',
    },
    skips: REORDER_SKIPS,
    cacheable: true,
  },
  run(model, context, report) {
    // The context is read only when there is a full-context COPY to plan for.
    let ctx: BuildContext | null | undefined;
    for (const stage of model.stages) {
      for (const instr of stage.instructions) {
        const copy = fullContextCopy(model, instr);
        if (!copy) continue;
        if (ctx === undefined) ctx = BuildContext.of(context);
        const outcome = plan(model, stage, instr, copy, ctx);
        if (outcome === null) continue;
        if (isSkip(outcome)) report.skip(outcome.code, outcome.message, instr.start);
        else report.fix(outcome);
      }
    }
  },
};

interface FullCopy {
  /** Source text of the flags (`--chown=app:app --link`), as written. */
  flags: string;
  dest: string;
}

/** `COPY . DEST`, `COPY ./ DEST`, `ADD . DEST` (shell form, no --from). */
function fullContextCopy(model: DockerfileModel, instr: Instruction): FullCopy | null {
  const args = copyArgs(model, instr);
  if (!args || !args.fromContext || args.json || args.sources.length !== 1) return null;
  if (args.sources[0] !== '.' && args.sources[0] !== './') return null;
  if (instr.flags.some((f) => f.name === 'parents' || f.name === 'exclude')) return null;
  const flags = instr.flags.map((f) => model.text.slice(f.start, f.end)).join(' ');
  return { flags, dest: args.dest };
}

function plan(
  model: DockerfileModel,
  stage: Stage,
  copy: Instruction,
  full: FullCopy,
  ctx: BuildContext | null,
): Outcome<ReorderSkipCode> | null {
  const workdir = workdirAt(model, stage, copy);
  // Install paths are relative to the RUN's directory; the manifests must land there.
  const destIsWorkdir =
    full.dest === '.' ||
    full.dest === './' ||
    (workdir !== null && full.dest.replace(/\/+$/, '') === workdir.replace(/\/+$/, ''));
  const list = stage.instructions;
  const installs: { run: Instruction; manifests: Manifest[] }[] = [];
  let problem: Skip<ReorderSkipCode> | null = null;
  for (let k = list.indexOf(copy) + 1; k < list.length; k++) {
    const i = list[k];
    if (NEUTRAL.has(i.keyword)) continue;
    if (i.keyword !== 'RUN') break;
    const needs = runNeeds(i, ctx);
    if (needs === 'system') continue;
    if (needs === null) break;
    if (isSkip(needs)) {
      problem = needs as Skip<ReorderSkipCode>;
      break;
    }
    installs.push({ run: i, manifests: needs.manifests });
  }
  if (installs.length === 0) return problem;
  if (!destIsWorkdir) {
    return skip(
      'destination',
      `${quote(copy)} copies into \`${full.dest}\`, not the directory the install runs in, so the manifests' place cannot be told`,
    );
  }
  // Resolve the manifests against the context.
  const files: string[] = [];
  const review = ctx === null;
  for (const m of installs.flatMap((x) => x.manifests)) {
    const n = BuildContext.normalize(m.path);
    if (n === null)
      return skip('outside-context', `the install reads \`${m.path}\`, outside the build context`);
    if (files.includes(n) || files.includes(n + '/')) continue;
    if (ctx) {
      const present = m.dir ? ctx.hasDir(n) : ctx.hasFile(n);
      if (present) files.push(m.dir ? n + '/' : n);
      else if (m.required) {
        return skip(
          'manifest-missing',
          `\`${n}\` is not in the build context${ctx.excluded(n) ? ' (.dockerignore excludes it)' : ''}`,
        );
      }
    } else {
      // Context unknown: optional files by a pattern Docker accepts when nothing matches it.
      files.push(m.required ? n : optionalPattern(n, m.dir === true));
    }
  }
  if (files.length === 0) return null;
  const text = manifestCopies(model, copy, full, files);
  const lastRun = installs[installs.length - 1].run;
  const eol = lineBreakOf(model, copy);
  const moved = model.text.slice(copy.start, copy.end);
  const names = files.map((f) => '`' + f + '`').join(', ');
  const message =
    `Copied ${names} before ${quote(installs[0].run)} and moved ${quote(copy)} after ${quote(lastRun)}, ` +
    'so a source change no longer reinstalls the dependencies' +
    (review ? ' (review: the build context could not be read, so the manifests are assumed)' : '');
  return {
    message,
    safety: review ? 'review' : 'safe',
    edits: [
      { start: copy.start, end: copy.end, text },
      { start: lastRun.end, end: lastRun.end, text: eol + moved },
    ],
    at: copy.start,
  };
}

/** `package-lock.json` → `package-lock.jso[n]`: copies it when present, and nothing when absent. */
function optionalPattern(p: string, dir: boolean): string {
  return p.slice(0, -1) + '[' + p.slice(-1) + ']' + (dir ? '/' : '');
}

/** One `COPY` per destination directory: files of a subdirectory go to the same subdirectory. */
function manifestCopies(model: DockerfileModel, copy: Instruction, full: FullCopy, files: string[]): string {
  // Manifests are plain files: COPY, even where the original was ADD (no archive extraction wanted).
  const prefix = `COPY${full.flags ? ' ' + full.flags : ''}`;
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    const isDir = f.endsWith('/');
    const clean = f.replace(/\/$/, '');
    const dir = isDir ? clean : clean.includes('/') ? clean.slice(0, clean.lastIndexOf('/')) : '';
    const key = isDir ? `dir:${clean}` : dir;
    byDir.set(key, [...(byDir.get(key) ?? []), clean]);
  }
  const destBase = full.dest === './' ? '.' : full.dest.replace(/\/+$/, '') || '/';
  const lines: string[] = [];
  for (const [key, group] of byDir) {
    let dest: string;
    if (key.startsWith('dir:')) dest = joinDest(destBase, key.slice(4)) + '/';
    else if (key === '')
      dest =
        group.length === 1 && (full.dest === '.' || full.dest === './')
          ? full.dest
          : joinDest(destBase, '') + '/';
    else dest = joinDest(destBase, key) + '/';
    lines.push(`${prefix} ${group.join(' ')} ${dest}`);
  }
  return lines.join(lineBreakOf(model, copy));
}

function joinDest(base: string, sub: string): string {
  if (sub === '') return base === '.' ? '.' : base;
  return base === '.' ? `./${sub}` : `${base}/${sub}`;
}

/** The literal WORKDIR in force before `instr` in its stage (null when unknown). */
function workdirAt(model: DockerfileModel, stage: Stage, instr: Instruction): string | null {
  let wd: string | null = '/';
  for (const i of stage.instructions) {
    if (i === instr) break;
    if (i.keyword !== 'WORKDIR') continue;
    const v = joinContinuations(model.text, i.argsStart, i.end, model.escape).text.trim();
    if (v.includes('$')) wd = null;
    else if (v.startsWith('/')) wd = v;
    else wd = wd === null ? null : `${wd.replace(/\/$/, '')}/${v}`;
  }
  return stage.parent === null ? wd : null;
}

/**
 * What a RUN needs from the tree: `system` (only system packages: nothing), the manifests of its
 * installs, a Skip for an install that needs the source, or null for a RUN that may read the tree.
 */
function runNeeds(run: Instruction, ctx: BuildContext | null): 'system' | Needs | null {
  const script = run.script();
  if (!script || script.hasError) return null;
  // A bind mount can read the tree; cache, tmpfs, secret and ssh mounts cannot.
  if (existingMounts(run).some((m) => !['cache', 'tmpfs', 'secret', 'ssh'].includes(m.type))) return null;
  const manifests: Manifest[] = [];
  let installs = 0;
  let system = true;
  for (const step of script.steps) {
    if (step.before !== null && step.before !== '&&' && step.before !== ';') return null;
    const cmd = soleCommand(step);
    if (!cmd) return null;
    const inv = invocation(cmd);
    if (!inv) return null;
    if (isSystemStep(inv)) continue;
    system = false;
    const needs = installNeeds(inv, ctx);
    if (needs === null) return null;
    if (isSkip(needs)) return needs;
    installs++;
    manifests.push(...needs.manifests);
  }
  if (system) return 'system';
  return installs > 0 ? { manifests } : null;
}

/** A system package manager (or a cleanup of its caches): it does not read the build context. */
function isSystemStep(inv: Invocation): boolean {
  if (inv.name === 'apt-get' || inv.name === 'apt') return isAptGet(inv);
  if (inv.name === 'apk' || YUM_NAMES.has(inv.name)) return true;
  if (cacheCleaned(inv)) return true;
  if (inv.name === 'rm') {
    const paths = inv.args.filter((a) => a === null || !a.startsWith('-'));
    return paths.length > 0 && paths.every((p) => p !== null && cachesCovered(p).length > 0);
  }
  return false;
}
