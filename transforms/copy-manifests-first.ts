/**
 * copy-manifests-first: `COPY . .` before `RUN pip install -r requirements.txt` reinstalls every
 * dependency on every code change (seed 004). Copy the dependency manifests first, install, then
 * copy the rest of the context.
 *
 * The full-context COPY keeps its place's meaning: the manifest COPY takes its position (same
 * flags, same destination), and the original COPY moves, unchanged, to just after the last RUN
 * that needs only the manifests. Everything it moves past is read for what it does to the copied
 * directory: a command that reads it, or writes a path the context also holds (which the moved
 * COPY would then replace), ends the stretch. Every candidate — a full COPY with a dependency
 * install after it in its stage — gets a fix or a reason.
 */
import path from 'node:path';
import {
  commentBlockStart,
  joinContinuations,
  type DockerfileModel,
  type Instruction,
  type Stage,
} from '../src/core/model.js';
import {
  skip,
  isSkip,
  type FixProposal,
  type Outcome,
  type Skip,
  type Transform,
} from '../src/core/transform.js';
import { BuildContext } from '../src/dockerfile/build-context.js';
import { copyArgs } from '../src/dockerfile/copy-args.js';
import { existingMounts } from '../src/dockerfile/mounts.js';
import { expand, parseKeyValues, runContext, stageChain } from '../src/dockerfile/run-context.js';
import { lineBreakOf, quote, removeInstruction } from '../src/rewrite/edit.js';
import { soleCommand, type ShellScript, type SimpleCommand } from '../src/shell/index.js';
import { invocation, invocations, type Invocation } from '../src/tools/command.js';
import { fileEffects, redirectionTargets } from '../src/tools/file-effects.js';
import { installNeeds, isDependencyInstall, MANIFEST_SKIPS, type Manifest } from '../src/tools/installs.js';
import { DOCKER_DOCS } from '../src/core/references.js';

const REORDER_SKIPS = {
  ...MANIFEST_SKIPS,
  destination: "the full COPY's destination cannot be told (a variable, a Windows path)",
  'manifest-missing':
    'a manifest the install needs is not in the build context (or .dockerignore excludes it)',
  'reads-tree': 'a command between the COPY and the install may read the copied files',
  'written-between':
    'a command or COPY between them writes a path the context also holds, which the moved COPY would replace',
  'copy-between': 'a COPY or ADD between them writes into the copied directory in a way that cannot be told',
  'workdir-between': 'a WORKDIR between them would change where a COPY with a relative destination lands',
  'workdir-unknown': "the directory the install runs in cannot be told relative to the COPY's destination",
  'variable-changed': 'an ENV or ARG between them changes a variable the COPY uses',
  'instruction-between': 'an instruction between them (VOLUME, SHELL, ONBUILD) changes how what follows runs',
  'host-artifacts':
    'the context holds what the install creates (node_modules, .venv, vendor…) and .dockerignore does not exclude it: copied after the install, it would replace the installed one',
  'contexts-differ':
    'the file is built with several build contexts and the rewrite would not be the same for all',
} as const;
type ReorderSkipCode = keyof typeof REORDER_SKIPS;
type Reason = Skip<ReorderSkipCode>;

/** Instructions a COPY can move past: they neither read nor write files. */
const NEUTRAL = new Set([
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'USER',
  'CMD',
  'ENTRYPOINT',
]);

export const copyManifestsFirst: Transform = {
  meta: {
    id: 'copy-manifests-first',
    title: 'Copy dependency manifests before installing, then the source',
    description:
      'When a stage copies the whole build context (`COPY . .`) before RUNs that install dependencies ' +
      'from manifests (pip -r, pipenv, poetry --no-root, uv sync --no-install-project, npm, yarn, pnpm, ' +
      'go mod download, bundler, composer --no-scripts --no-autoloader, maven go-offline, cargo fetch) or ' +
      'install tools that read nothing of the project (`pip install poetry`, `npm i -g pnpm`), copies only ' +
      'the manifests that exist in the context (and that .dockerignore keeps) in its place, and moves the ' +
      'full COPY after the last of those RUNs, past WORKDIRs, `cd`, virtualenv creation and system ' +
      'packages. Installs that need the source (`pip install .`, local paths, npm lifecycle scripts, ' +
      'workspaces), commands that read the tree and host artifacts the COPY would lay over the install ' +
      'are left alone with the reason.',
    why:
      'A layer is rebuilt when anything it copies changes. With the whole tree copied first, every code ' +
      'change invalidates the install layer and every build reinstalls every dependency.',
    seeds: ['004_6a644e14f3cd586c.txt'],
    references: [DOCKER_DOCS.orderLayers, DOCKER_DOCS.buildCache],
    readme: 'Transforms › `copy-manifests-first` and `dockerignore`',
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
    // The context is read only when there is a candidate to plan for.
    let contexts: readonly (BuildContext | null)[] | undefined;
    for (const stage of model.stages) {
      for (const instr of stage.instructions) {
        const copy = fullContextCopy(model, instr);
        if (!copy || !installFollows(stage, instr)) continue;
        contexts ??= BuildContext.all(context).length > 0 ? BuildContext.all(context) : [null];
        const outcome = planForAll(model, stage, instr, copy, contexts);
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

/** A candidate: some RUN after the COPY in its stage installs dependencies. */
function installFollows(stage: Stage, copy: Instruction): boolean {
  const list = stage.instructions;
  for (let k = list.indexOf(copy) + 1; k < list.length; k++) {
    const script = list[k].keyword === 'RUN' ? list[k].script() : null;
    if (script && invocations(script).some(isDependencyInstall)) return true;
  }
  return false;
}

/** The plan for every build context the file is built with: the same fix for all, or a reason. */
function planForAll(
  model: DockerfileModel,
  stage: Stage,
  copy: Instruction,
  full: FullCopy,
  contexts: readonly (BuildContext | null)[],
): Outcome<ReorderSkipCode> {
  const outcomes = contexts.map((ctx) => plan(model, stage, copy, full, ctx));
  if (outcomes.length === 1) return outcomes[0];
  const where = (i: number) =>
    ` (build context ${contexts[i]?.dir ?? '?'}, from ${contexts[i]?.origin ?? '?'})`;
  const skipped = outcomes.findIndex((o) => isSkip(o));
  if (skipped !== -1) {
    const s = outcomes[skipped] as Reason;
    return skip(s.code, s.message + where(skipped));
  }
  const fixes = outcomes as FixProposal[];
  const same = fixes.every((f) => JSON.stringify(f.edits) === JSON.stringify(fixes[0].edits));
  if (!same) {
    return skip(
      'contexts-differ',
      `the manifests to copy differ between the ${contexts.length} build contexts the file is built with (${contexts.map((c) => c?.dir).join(', ')})`,
    );
  }
  return { ...fixes[0], message: `${fixes[0].message} (the same in all ${contexts.length} build contexts)` };
}

/**
 * Paths in the image as the rewrite reasons about them: absolute (`/app`), relative to a working
 * directory that the file does not tell (`@`, `@/src`), or null when not known at all.
 */
type ImagePath = string | null;

function resolveIn(base: ImagePath, p: string): ImagePath {
  if (p.startsWith('/')) return path.posix.normalize(p).replace(/(.)\/+$/, '$1');
  if (base === null) return null;
  const root = base.startsWith('@') ? '/@' + base.slice(1) : base;
  const joined = path.posix.normalize(`${root}/${p}`).replace(/(.)\/+$/, '$1');
  if (!base.startsWith('@')) return joined;
  return joined === '/@' || joined.startsWith('/@/') ? '@' + joined.slice(2) : null;
}

/** Where `p` lies relative to directory `dir`: its path inside it, 'outside', or 'unknown'. */
function inside(dir: string, p: ImagePath): string | 'outside' | 'unknown' {
  if (p === null || dir.startsWith('@') !== p.startsWith('@')) return 'unknown';
  if (p === dir) return '.';
  const prefix = dir === '/' ? '/' : dir === '@' ? '@/' : dir + '/';
  return p.startsWith(prefix) ? p.slice(prefix.length) : 'outside';
}

interface Walk {
  /** The copied directory in the image. */
  dest: string;
  ctx: BuildContext | null;
  /** Context paths the rewritten build creates before the moved COPY (not from the context). */
  produced: Set<string>;
}

/** Context paths the builder sends that a pattern with `*`/`?` in its last segment matches. */
function namesMatching(ctx: BuildContext | null, pattern: string): string[] {
  const n = BuildContext.normalize(pattern);
  if (!ctx || n === null) return [];
  const slash = n.lastIndexOf('/');
  const dir = slash === -1 ? '.' : n.slice(0, slash);
  if (/[*?[]/.test(dir)) return [];
  const glob = n.slice(slash + 1);
  const re = new RegExp(
    '^' +
      glob
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '.') +
      '$',
  );
  return (ctx.list(dir) ?? [])
    .filter((name) => re.test(name))
    .map((name) => (dir === '.' ? name : `${dir}/${name}`));
}

/** A context path the builder sends (a `*` in the last segment matches names), or null. */
function inContext(ctx: BuildContext, rel: string): string | null {
  if (!rel.includes('*')) return ctx.exists(rel) && !ctx.excluded(rel) ? rel : null;
  return namesMatching(ctx, rel)[0] ?? null;
}

/** What one RUN amounts to: an install (with what it reads from the context), nothing, or a stop. */
type RunVerdict = { installs: number; manifests: Manifest[]; named: string[] } | Reason;

function plan(
  model: DockerfileModel,
  stage: Stage,
  copy: Instruction,
  full: FullCopy,
  ctx: BuildContext | null,
): Outcome<ReorderSkipCode> {
  const state = stateBefore(model, stage, copy);
  const env = state.env;
  let wd = state.wd;
  const destText = full.dest.includes('$') ? expand(full.dest, env) : full.dest;
  if (destText === null || /\\|^[A-Za-z]:/.test(destText)) {
    return skip('destination', `the destination of ${quote(copy)} (\`${full.dest}\`) cannot be told`);
  }
  const dest = resolveIn(wd, destText);
  if (dest === null) {
    return skip(
      'workdir-unknown',
      `${quote(copy)} copies into \`${full.dest}\`, relative to a WORKDIR set from a variable`,
    );
  }
  const relativeDest = !destText.startsWith('/');
  const copyVars = new Set([...copy.text.matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1]));
  const walk: Walk = { dest, ctx, produced: new Set() };
  const list = stage.instructions;
  const installs: { run: Instruction; manifests: Manifest[] }[] = [];
  let stop: Reason | null = null;
  for (let k = list.indexOf(copy) + 1; k < list.length && stop === null; k++) {
    const i = list[k];
    if (NEUTRAL.has(i.keyword)) continue;
    if (i.keyword === 'ENV' || i.keyword === 'ARG') {
      const names = parseKeyValues(model, i).map(([name]) => name);
      const used = names.find((n) => copyVars.has(n));
      if (used) stop = skip('variable-changed', `${quote(i)} changes \`${used}\`, which ${quote(copy)} uses`);
      for (const [name, value] of parseKeyValues(model, i))
        if (i.keyword === 'ENV') env.set(name, value === null ? null : expand(value, env));
      continue;
    }
    if (i.keyword === 'WORKDIR') {
      const next = workdirValue(model, i, wd, env);
      if (relativeDest && next !== wd)
        stop = skip(
          'workdir-between',
          `${quote(i)} changes the directory \`${full.dest}\` of ${quote(copy)} means`,
        );
      wd = next;
      continue;
    }
    if (i.keyword === 'COPY' || i.keyword === 'ADD') {
      stop = copyBetween(model, i, wd, walk, full);
      continue;
    }
    if (i.keyword !== 'RUN') {
      if (i.keyword === 'ONBUILD') continue;
      stop = skip('instruction-between', `${quote(i)} comes between ${quote(copy)} and the install`);
      continue;
    }
    const verdict = runVerdict(model, i, wd, walk);
    if (isSkip(verdict)) stop = verdict;
    else if (verdict.installs > 0) installs.push({ run: i, manifests: verdict.manifests });
  }
  if (installs.length === 0) {
    return (
      stop ??
      skip(
        'reads-tree',
        `no install after ${quote(copy)} can run before it (the RUNs are not ones dockerfix can read)`,
      )
    );
  }
  // Resolve the manifests against the context.
  const files: string[] = [];
  const review = ctx === null;
  for (const m of installs.flatMap((x) => x.manifests)) {
    const n = m.path;
    if (files.includes(n) || files.includes(n + '/')) continue;
    if (ctx) {
      const present = m.dir ? ctx.hasDir(n) : ctx.hasFile(n);
      if (present) files.push(m.dir ? n + '/' : n);
      else if (m.required) {
        return skip(
          'manifest-missing',
          `\`${n}\` is not in the build context${ctx.excluded(n) ? ' (.dockerignore excludes it)' : ''}${contextNote(ctx)}`,
        );
      }
    } else {
      // Context unknown: optional files by a pattern Docker accepts when nothing matches it.
      files.push(m.required ? (m.dir ? n + '/' : n) : optionalPattern(n, m.dir === true));
    }
  }
  const copied = alreadyCopied(model, stage, copy, dest, wd, ctx);
  const toCopy = files.filter((f) => !copied.has(f.replace(/\/$/, '')));
  const lastRun = installs[installs.length - 1].run;
  const eol = lineBreakOf(model, copy);
  const names = toCopy.map((f) => '`' + f + '`').join(', ');
  const after = stop ? `; what follows stays after it: ${stop.message}` : '';
  let edits;
  let message: string;
  if (toCopy.length > 0) {
    edits = [
      { start: copy.start, end: copy.end, text: manifestCopies(model, copy, full, toCopy) },
      { start: lastRun.end, end: lastRun.end, text: eol + model.text.slice(copy.start, copy.end) },
    ];
    message =
      `Copied ${names} before ${quote(installs[0].run)} and moved ${quote(copy)} after ` +
      `${lastRun === installs[0].run ? 'it' : quote(lastRun)}, so a source change no longer reinstalls the dependencies`;
  } else {
    // Nothing to copy first (the installs read no file, or the file copies them already): move the
    // COPY, with the comment block above it.
    const from = model.lines.starts[commentBlockStart(model, copy)];
    edits = [
      removeInstruction(model, copy),
      { start: lastRun.end, end: lastRun.end, text: eol + model.text.slice(from, copy.end) },
    ];
    message =
      `Moved ${quote(copy)} after ${quote(lastRun)}` +
      (files.length > 0
        ? ' (the file copies the manifests before it already)'
        : ', which reads nothing of the project') +
      ', so a source change no longer re-runs the install';
  }
  return {
    message:
      message +
      after +
      (review ? ' (review: the build context could not be read, so the manifests are assumed)' : ''),
    safety: review ? 'review' : 'safe',
    edits,
    at: copy.start,
  };
}

const contextNote = (ctx: BuildContext) =>
  ctx.origin.startsWith("the Dockerfile's directory") ? '' : ` ${ctx.dir}`;

/**
 * What a RUN between the COPY and the new place of the COPY does to the copied directory, step by
 * step with its `cd`s: the manifests of its installs, nothing, or why it must stay after the COPY.
 */
function runVerdict(model: DockerfileModel, run: Instruction, wd: ImagePath, walk: Walk): RunVerdict {
  // A bind mount reads the context directly; cache, tmpfs, secret and ssh mounts read no tree.
  if (existingMounts(run).some((m) => !['cache', 'tmpfs', 'secret', 'ssh'].includes(m.type)))
    return skip('reads-tree', `${quote(run)} has a bind mount`);
  const script = run.script();
  if (!script || script.hasError)
    return skip('reads-tree', `${quote(run)} is not a shell script dockerfix can read`);
  const env = new Map(runContext(model, run).env);
  let cwd = wd;
  const manifests: Manifest[] = [];
  let installs = 0;
  const named: string[] = [];
  for (const step of script.steps) {
    const cmd = soleCommand(step);
    const text = cmd
      ? script.source.slice(cmd.start, cmd.end)
      : script.source.slice(step.pipeline.start, step.pipeline.end);
    const show = `\`${text.length > 60 ? text.slice(0, 57) + '…' : text}\``;
    if (step.before === '||' && cmd && ['true', ':'].includes(cmd.name ?? '')) continue;
    if (step.before !== null && step.before !== '&&' && step.before !== ';')
      return skip('reads-tree', `${show} in ${quote(run)} runs in the background or only on failure`);
    if (!cmd)
      return skip(
        'reads-tree',
        `${show} in ${quote(run)} is a pipeline or compound command that may read the copied files`,
      );
    if (cmd.name === null) {
      // `A=1 && …`: a shell variable for the commands after it.
      for (const name of cmd.assignments) env.set(name, assignedValue(cmd, name, script));
      continue;
    }
    const inv = withVariables(invocation(cmd), env);
    if (!inv) return skip('reads-tree', `${show} in ${quote(run)} runs a command named by a variable`);
    if (inv.name === 'cd') {
      const to = inv.args.filter((x) => x !== '--');
      cwd = to.length === 1 && to[0] !== null && to[0] !== '-' ? resolveIn(cwd, to[0]) : null;
      continue;
    }
    for (const name of cmd.assignments) if (inv.name === 'export' || cmd.name === null) env.set(name, null);
    if (inv.name === 'export') {
      for (const a of inv.args) {
        const m = a === null ? null : /^([A-Za-z_]\w*)=(.*)$/.exec(a);
        if (m) env.set(m[1], m[2]);
      }
      continue;
    }
    const stepEnv = new Map(env);
    for (const name of cmd.assignments) stepEnv.set(name, assignedValue(cmd, name, script));
    const where = inside(walk.dest, cwd);
    const files =
      where === 'outside' || where === 'unknown' || walk.ctx === null ? null : walk.ctx.within(where);
    const needs = installNeeds(inv, { files, env: stepEnv });
    if (needs !== null) {
      if (isSkip(needs)) return needs as Reason;
      for (const m of needs.manifests) {
        const at = inside(walk.dest, resolveIn(cwd, m.path));
        if (at === 'unknown')
          return skip(
            'workdir-unknown',
            `${show} runs in a directory that cannot be told relative to the COPY's destination`,
          );
        if (at === 'outside') {
          // The install reads its manifests elsewhere than where the COPY puts the context.
          if (m.required)
            return skip(
              'destination',
              `${show} reads \`${m.path}\` outside \`${walk.dest}\`, where the COPY puts the context, so the manifests' place cannot be told`,
            );
          continue;
        }
        if (!walk.produced.has(at)) manifests.push({ ...m, path: at });
      }
      // Without the context, what the install creates cannot be checked against it (a review fix).
      for (const p of walk.ctx === null ? [] : needs.products) {
        const problem = written(walk, cwd, p, show, 'creates');
        if (problem) return { ...problem, code: 'host-artifacts' } as Reason;
      }
      installs++;
      if (needs.manifests.length === 0) named.push(text);
      continue;
    }
    const effects = fileEffects(inv);
    const redirects = redirectionTargets(cmd, script.source);
    if (!effects || !redirects)
      return skip('reads-tree', `${show} in ${quote(run)} may read the copied files`);
    for (const p of [...effects.reads, ...redirects.reads]) {
      const at = inside(walk.dest, resolveIn(cwd, p));
      if (at === 'unknown')
        return skip(
          'workdir-unknown',
          `${show} reads \`${p}\`, which cannot be told apart from the copied files`,
        );
      if (at !== 'outside' && !walk.produced.has(at))
        return skip('reads-tree', `${show} in ${quote(run)} reads \`${p}\` from the copied files`);
    }
    for (const p of [...effects.writes, ...redirects.writes]) {
      const problem = written(walk, cwd, p, show, 'writes', true);
      if (problem) return problem;
    }
    for (const p of effects.removes) {
      const at = inside(walk.dest, resolveIn(cwd, p));
      if (at === 'unknown')
        return skip(
          'workdir-unknown',
          `${show} removes \`${p}\`, which cannot be told apart from the copied files`,
        );
      if (at === '.' || (at !== 'outside' && (walk.ctx === null || inContext(walk.ctx, at) !== null)))
        return skip(
          'written-between',
          `${show} removes \`${p}\`, which the moved COPY would bring back from the context`,
        );
    }
  }
  return { installs, manifests, named };
}

/** Arguments that are only a variable (`$REQS`, `"${REQS}"`) take its ENV value when the file gives one. */
function withVariables(inv: Invocation | null, env: ReadonlyMap<string, string | null>): Invocation | null {
  if (!inv || !inv.args.includes(null)) return inv;
  const words = inv.command.args.slice(inv.command.args.length - inv.args.length);
  const args = inv.args.map((a, k) => {
    if (a !== null) return a;
    const m = /^"?\$\{?([A-Za-z_]\w*)\}?"?$/.exec(words[k].raw);
    return m ? (env.get(m[1]) ?? null) : null;
  });
  return { ...inv, args };
}

/**
 * A path a step creates in the copied directory must not be one the context holds too; for a
 * command's own writes (`mkdir -p logs/archive`), neither may a directory it creates on the way,
 * whose owner and mode the moved COPY would then meet instead of setting.
 */
function written(
  walk: Walk,
  cwd: ImagePath,
  p: string,
  show: string,
  verb: string,
  ancestors = false,
): Reason | null {
  const at = inside(walk.dest, resolveIn(cwd, p));
  if (at === 'outside') return null;
  if (at === 'unknown')
    return skip(
      'workdir-unknown',
      `${show} ${verb} \`${p}\`, which cannot be told apart from the copied files`,
    );
  if (at === '.' || walk.ctx === null)
    return skip(
      'written-between',
      `${show} ${verb} \`${p}\` in the copied directory${walk.ctx === null ? ', and the build context is not known' : ''}`,
    );
  const parts = at.split('/');
  const paths = ancestors ? parts.map((_, k) => parts.slice(0, k + 1).join('/')) : [at];
  const hit = paths.map((q) => inContext(walk.ctx!, q)).find((h) => h !== null) ?? null;
  if (hit !== null) {
    return skip(
      'written-between',
      `${show} ${verb} \`${at}\`${hit === at ? '' : ` (in \`${hit}\`)`}, which the build context also holds (not excluded by .dockerignore): the moved COPY would lay the context's copy over it`,
    );
  }
  walk.produced.add(at);
  return null;
}

/** The literal value of `NAME=value` before a command, or null. */
function assignedValue(cmd: SimpleCommand, name: string, script: ShellScript): string | null {
  const m = new RegExp(`(?:^|\\s)${name}=("[^"$\`]*"|'[^']*'|[^\\s"'$\`]*)(?=\\s|$)`).exec(
    ' ' + script.source.slice(cmd.start, cmd.end),
  );
  return m ? m[1].replace(/^["']|["']$/g, '') : null;
}

/** A COPY/ADD between the full COPY and its new place: where it writes must not meet the context's files. */
function copyBetween(
  model: DockerfileModel,
  i: Instruction,
  wd: ImagePath,
  walk: Walk,
  full: FullCopy,
): Reason | null {
  const args = copyArgs(model, i);
  if (!args || args.json || args.dest.includes('$'))
    return skip('copy-between', `${quote(i)} writes where dockerfix cannot tell`);
  if (args.fromContext && args.sources.some((s) => s === '.' || s === './'))
    return skip('copy-between', `${quote(i)} copies the context again`);
  const target = resolveIn(wd, args.dest);
  const at = inside(walk.dest, target);
  if (at === 'outside') {
    // It may still write above the copied directory (`COPY x /`).
    return inside(target ?? '@', walk.dest) === 'outside'
      ? null
      : skip('copy-between', `${quote(i)} writes over the copied directory`);
  }
  if (at === 'unknown')
    return skip(
      'workdir-unknown',
      `${quote(i)} writes where dockerfix cannot tell apart from the copied files`,
    );
  const intoDir = args.dest.endsWith('/') || args.sources.length > 1;
  const flags = i.flags.map((f) => model.text.slice(f.start, f.end)).join(' ');
  for (const s of args.sources) {
    if (/[*?[]/.test(s))
      return skip('copy-between', `${quote(i)} copies a pattern into the copied directory`);
    const name = s.replace(/\/+$/, '').split('/').pop()!;
    const rel = intoDir ? (at === '.' ? name : `${at}/${name}`) : at;
    if (walk.ctx === null)
      return skip(
        'copy-between',
        `${quote(i)} writes into the copied directory and the build context is not known`,
      );
    if (inContext(walk.ctx, rel) === null) {
      walk.produced.add(rel);
      continue;
    }
    // The same context file to the same place with the same flags: the moved COPY writes it again, unchanged.
    const mirror =
      args.fromContext && BuildContext.normalize(s) === rel && flags === full.flags && !walk.ctx.hasDir(rel);
    if (!mirror) {
      return skip(
        'written-between',
        `${quote(i)} writes \`${rel}\`, which the build context also holds: the moved COPY would lay the context's copy over it`,
      );
    }
  }
  return null;
}

/**
 * Context paths an earlier COPY of the stage already puts where the full COPY would (`COPY
 * requirements.txt ./` before `COPY . .`), with nothing but COPYs between them and the full COPY.
 */
function alreadyCopied(
  model: DockerfileModel,
  stage: Stage,
  copy: Instruction,
  dest: string,
  wd: ImagePath,
  ctx: BuildContext | null,
): Set<string> {
  const out = new Set<string>();
  const list = stage.instructions;
  for (let k = list.indexOf(copy) - 1; k >= 0; k--) {
    const i = list[k];
    if (i.keyword === 'RUN' || i.keyword === 'WORKDIR' || i.keyword === 'FROM') break;
    const args = copyArgs(model, i);
    if (!args || !args.fromContext || args.json) continue;
    const target = resolveIn(wd, args.dest);
    const intoDir = args.dest.endsWith('/') || args.sources.length > 1 || args.dest === '.';
    for (const s of args.sources) {
      const sources = /[*?[]/.test(s) ? namesMatching(ctx, s) : [BuildContext.normalize(s)];
      for (const src of sources) {
        if (src === null) continue;
        const at = inside(dest, intoDir ? resolveIn(target, src.split('/').pop()!) : target);
        if (at === src) out.add(src);
      }
    }
  }
  return out;
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
          : joinDest(destBase, '').replace(/\/?$/, '/');
    else dest = joinDest(destBase, key) + '/';
    lines.push(`${prefix} ${group.join(' ')} ${dest}`);
  }
  return lines.join(lineBreakOf(model, copy));
}

function joinDest(base: string, sub: string): string {
  if (sub === '') return base === '.' ? '.' : base;
  if (base === '/') return `/${sub}`;
  return base === '.' ? `./${sub}` : `${base}/${sub}`;
}

/**
 * The ENV values and the WORKDIR in force before `instr`, across the stages its stage is built
 * from. The WORKDIR is absolute, `@…` relative to the base image's (which the file does not tell:
 * golang's is /go), or null.
 */
function stateBefore(
  model: DockerfileModel,
  stage: Stage,
  instr: Instruction,
): { env: Map<string, string | null>; wd: ImagePath } {
  const env = new Map<string, string | null>();
  let wd: ImagePath = '@';
  for (const s of stageChain(model, stage)) {
    for (const i of s.instructions) {
      if (i === instr) return { env, wd };
      if (i.keyword === 'ENV')
        for (const [k, v] of parseKeyValues(model, i)) env.set(k, v === null ? null : expand(v, env));
      else if (i.keyword === 'WORKDIR') wd = workdirValue(model, i, wd, env);
    }
  }
  return { env, wd };
}

function workdirValue(
  model: DockerfileModel,
  i: Instruction,
  wd: ImagePath,
  env: Map<string, string | null>,
): ImagePath {
  const raw = joinContinuations(model.text, i.argsStart, i.end, model.escape)
    .text.trim()
    .replace(/^(["'])(.*)\1$/, '$2');
  const v = raw.includes('$') ? expand(raw, env) : raw;
  return v === null ? null : resolveIn(wd, v);
}
