/**
 * Who reads a directory after a RUN: later commands of the same RUN, later instructions of its
 * stage and of the stages built FROM it, `COPY --from` of those stages, and what runs in the
 * container (CMD, ENTRYPOINT, ENV, WORKDIR, VOLUME). A rewrite that leaves a directory empty in
 * the image (a cache mount, `--no-cache`) must not have such a reader.
 */
import type { DockerfileModel, Instruction, Stage } from '../core/model.js';
import { commandBase } from '../shell/index.js';
import { existingMounts } from './mounts.js';
import { stageChain } from './run-context.js';
import { isUnder, pathLike, reaches, rmOptions, runPathsOf, type RunPaths } from './run-paths.js';

export interface LaterUse {
  instr: Instruction;
  /** `reads`: a command or instruction uses a path in it; `strict-rm`: `rm` without -f of a path in
   * it (fails when nothing is there); `mkdir`: `mkdir` without -p of it or a parent (fails when the
   * mount has made it exist). */
  kind: 'reads' | 'strict-rm' | 'mkdir';
  /** The path as written, for messages. */
  what: string;
}

const builtOn = new WeakMap<Stage, Stage[]>();

/** Stages whose filesystem continues `stage` (built FROM it at any depth), itself included. */
export function stagesBuiltOn(model: DockerfileModel, stage: Stage): Stage[] {
  let stages = builtOn.get(stage);
  if (!stages) {
    stages = model.stages.filter((s) => stageChain(model, s).includes(stage));
    builtOn.set(stage, stages);
  }
  return stages;
}

const PATH_TEXT = /(?:^|[\s=:'"[,(])((?:~|\$\{?[A-Za-z_]\w*\}?)?\/[^\s'"`;|&<>(),\]]*)/g;

/**
 * The first use of `dir` after offset `after` of `instr`'s script (same RUN), or after `instr`.
 * `mkdir` counts when `mkdirToo` (the directory may not have existed before a mount made it).
 */
export function laterUse(
  model: DockerfileModel,
  instr: Instruction,
  dir: string,
  options: { after?: number; mkdirToo?: boolean; sameRunOnly?: boolean } = {},
): LaterUse | null {
  const stage = model.stages[instr.stage];
  // The RUN itself: commands after `after` read what it leaves; with a mount, only `mkdir` of the
  // mounted directory counts (the mount is there for all its commands).
  const runs: { instr: Instruction; from: number }[] = [{ instr, from: options.after ?? Infinity }];
  if (options.after === undefined && options.mkdirToo) {
    const use = useInRun(model, instr, dir, 0, true, true);
    if (use) return use;
  }
  const others: Instruction[] = [];
  if (!options.sameRunOnly) {
    for (const s of stagesBuiltOn(model, stage))
      for (const i of s.instructions) if (i.index > instr.index) others.push(i);
    const names = new Set(stagesBuiltOn(model, stage).flatMap((s) => [String(s.index), ...(s.name ? [s.name] : [])]));
    for (const i of model.instructions) {
      const from = i.flags.find((f) => f.name === 'from')?.value?.toLowerCase();
      if ((i.keyword === 'COPY' || i.keyword === 'ADD') && from !== undefined && names.has(from) && !others.includes(i))
        others.push(i);
    }
  }
  for (const i of others) if (i.keyword === 'RUN') runs.push({ instr: i, from: -1 });
  for (const { instr: run, from } of runs) {
    const use =
      from < 0 ? laterRunUse(model, run, dir, options.mkdirToo ?? false) : useInRun(model, run, dir, from, options.mkdirToo ?? false);
    if (use) return use;
  }
  for (const i of others) {
    if (i.keyword === 'RUN' || i.keyword === 'FROM' || i.keyword === 'LABEL' || i.keyword === 'ARG') continue;
    if ((i.keyword === 'COPY' || i.keyword === 'ADD') && !i.flags.some((f) => f.name === 'from')) continue;
    const ctx = contextAt(model, i);
    for (const m of i.text.matchAll(PATH_TEXT)) {
      const p = ctx ? ctx.resolve(m[1], Infinity) : /[$~]/.test(m[1]) ? null : m[1];
      if (p !== null && isUnder(p, dir)) return { instr: i, kind: 'reads', what: m[1] };
    }
  }
  return null;
}

/** A RunPaths for the variables in force at a non-RUN instruction (those of the RUN before it). */
const contexts = new WeakMap<Instruction, RunPaths | null>();

function contextAt(model: DockerfileModel, instr: Instruction): RunPaths | null {
  let known = contexts.get(instr);
  if (known === undefined) {
    known = lastRunPaths(model, instr);
    contexts.set(instr, known);
  }
  return known;
}

function lastRunPaths(model: DockerfileModel, instr: Instruction): RunPaths | null {
  const stage = model.stages[instr.stage];
  const runs = stageChain(model, stage)
    .flatMap((s) => s.instructions)
    .filter((i) => i.keyword === 'RUN' && i.index < instr.index);
  for (let k = runs.length - 1; k >= 0; k--) {
    const paths = runPathsOf(model, runs[k]);
    if (paths) return paths;
  }
  return null;
}

/** What a whole later RUN does with `dir`, asked once per RUN and directory (each planned RUN asks of all later ones). */
const laterRunUses = new WeakMap<Instruction, Map<string, LaterUse | null>>();

function laterRunUse(model: DockerfileModel, run: Instruction, dir: string, mkdirToo: boolean): LaterUse | null {
  let byDir = laterRunUses.get(run);
  if (!byDir) laterRunUses.set(run, (byDir = new Map()));
  const key = (mkdirToo ? 'm:' : 'r:') + dir;
  let use = byDir.get(key);
  if (use === undefined) {
    use = useInRun(model, run, dir, -1, mkdirToo);
    byDir.set(key, use);
  }
  return use;
}

function useInRun(
  model: DockerfileModel,
  run: Instruction,
  dir: string,
  after: number,
  mkdirToo: boolean,
  mkdirOnly = false,
): LaterUse | null {
  const paths = runPathsOf(model, run);
  if (!paths) return null;
  const view = paths.view;
  // A RUN that mounts a cache there sees the cache, not the image.
  const mounted = existingMounts(run).map((m) => (m.type === 'cache' && m.target ? paths.resolve(m.target, 0) : null));
  if (after < 0 && mounted.some((t) => t !== null && isUnder(t, dir))) return null;
  for (const { command } of view.commands) {
    if (after >= 0 && command.start < after) continue;
    const name = commandBase(command.name);
    if (mkdirOnly && name !== 'mkdir') continue;
    if (name === 'mkdir') {
      if (!mkdirToo || command.args.some((w) => /^-[a-z]*p|^--parents$/.test(w.value ?? ''))) continue;
      for (const w of command.args) {
        if ((w.value ?? '').startsWith('-')) continue;
        const r = reaches(paths.resolve(w, command.start), dir);
        if (r === 'itself' || r === 'parent') return { instr: run, kind: 'mkdir', what: w.raw };
      }
      continue;
    }
    if (name === 'rm') {
      const { force, operands } = rmOptions(command);
      if (force) continue;
      for (const w of operands) {
        if (isUnder(paths.resolve(w, command.start), dir)) return { instr: run, kind: 'strict-rm', what: w.raw };
      }
      continue;
    }
    for (const w of command.args) {
      // A path, or one joined to an option (`-I/go/pkg/mod/…`, `--proto_path=/go/pkg/mod`).
      const joined = /^-{1,2}[A-Za-z][\w-]*=?([~/$].*)$/.exec(w.raw);
      if (!pathLike(w) && !joined) continue;
      const p = joined ? paths.resolve(joined[1], command.start) : paths.resolve(w, command.start);
      if (p !== null && isUnder(p, dir)) return { instr: run, kind: 'reads', what: w.raw };
    }
  }
  return null;
}
