/**
 * The semantic invariants of `npm run corpus`: what a rewrite must not do to the build, checked on
 * the input and the output of every file. Each check reads the build as a shell would (variables
 * from ENV and the RUN's own assignments, `~`, globs that skip dot-names) independently of the
 * transforms' own reasoning, and names every finding with a signature free of line numbers; a
 * finding counts against the rewrite only when the output has it and the input did not.
 *
 * 1. mount-removed: a RUN removes (rm -r, `go clean -modcache`, `uv cache clean`) one of its own
 *    cache mounts or a parent of it (the build fails: the mount point is busy).
 * 2. comment-lost: a comment line is gone while the instruction it belongs to (the comment block
 *    above it, or the lines of a RUN around it) is still there.
 * 3. windows-mount: a `--mount` in a stage built from a Windows image (or a file with the
 *    backtick escape or a PowerShell/cmd SHELL).
 * 4. later-fails: a later command reads, or removes without -f, a path under a directory that a
 *    RUN leaves empty in the image (a cache mount, `apk --no-cache`, `pip --no-cache-dir`, `rm -r`).
 * 5. read-later: something after a RUN (a later instruction of its stage chain, a `COPY --from`,
 *    CMD/ENTRYPOINT, ENV) reads a path under one of that RUN's cache mounts; poetry's virtualenvs
 *    in a mounted cache; Go modules, Maven's repository, Gradle's caches, Cargo's registry or NuGet
 *    packages in a mount and read by a later build without it, by an offline build, or at run time;
 *    a mount over a directory that holds installed products (GEM_HOME, a conda root, CARGO_HOME).
 * 6. apt-state-cached: a cache mount on /var/lib/apt as a whole (apt's auto-install marks).
 * 7. apt-config-shipped: the stage the file ships (the last one) and its parents change apt's
 *    configuration (docker-clean removed, downloaded packages kept).
 * 8. mount-parent-mkdir: a `mkdir` without -p of a mount target or of a parent that the mount
 *    makes exist.
 */
import { diffLines } from 'diff';
import path from 'node:path';
import picomatch from 'picomatch';
import { parseDockerfile, type DockerfileModel, type Instruction, type Stage } from '../src/core/model.js';
import { existingMounts } from '../src/dockerfile/mounts.js';
import { homeOf, runContext, stageChain } from '../src/dockerfile/run-context.js';
import { runView } from '../src/dockerfile/run-view.js';
import type { SimpleCommand } from '../src/shell/index.js';
import { commandBase } from '../src/shell/index.js';

export type SemanticCheck =
  | 'mount-removed'
  | 'comment-lost'
  | 'windows-mount'
  | 'later-fails'
  | 'read-later'
  | 'apt-state-cached'
  | 'apt-config-shipped'
  | 'mount-parent-mkdir';

export const SEMANTIC_CHECKS: readonly SemanticCheck[] = [
  'mount-removed',
  'comment-lost',
  'windows-mount',
  'later-fails',
  'read-later',
  'apt-state-cached',
  'apt-config-shipped',
  'mount-parent-mkdir',
];

export interface Finding {
  check: SemanticCheck;
  /** What and where, without line numbers (the same finding in input and output compares equal). */
  signature: string;
  /** For the report: the line in the file checked. */
  line: number;
}

const PATH_IN_WORD = /(?:^|[\s=:'"(])((?:~|\$\{?HOME\}?|\/)[^\s'"`;|&<>()]*)/g;

/**
 * A path as the shell would see it: variables from `env`, `~` and `$HOME` from `home`. A variable
 * whose value is not known becomes `*` inside a path segment that has other text (`Python-$V`);
 * standing for a whole segment or more, it makes the path unknown (null).
 */
function expandPath(raw: string, env: Map<string, string | null>, home: string | null, cwd = '/'): string | null {
  let unknown = false;
  let s = raw.replace(/^["']|["']$/g, '').replace(/"/g, '');
  if (s.startsWith('~')) {
    if (home === null) return null;
    s = home + s.slice(1);
  }
  s = s.replace(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g, (m, a: string | undefined, b: string | undefined, at: number, all: string) => {
    const name = (a ?? b)!;
    const v = name === 'HOME' ? (env.get('HOME') ?? home) : env.get(name);
    if (v !== undefined && v !== null) return v;
    const before = all[at - 1];
    const after = all[at + m.length];
    const inSegment = (before !== undefined && before !== '/') || (after !== undefined && after !== '/');
    if (!inSegment) unknown = true;
    return '*';
  });
  if (unknown || s.includes('$') || s.includes('`')) return null;
  if (!s.startsWith('/')) s = cwd.replace(/\/$/, '') + '/' + s;
  return normalize(s);
}

/** `/a//b/../c/` → `/a/c` (absolute paths only). */
const normalize = (p: string): string => path.posix.normalize(p).replace(/(.)\/$/, '$1');

const isUnder = (p: string, dir: string): boolean => p === dir || p.startsWith(dir === '/' ? '/' : dir + '/');

/**
 * Does removing `operand` (a path, possibly with glob segments) remove `target` or a directory
 * that contains it? Glob segments match like the shell's: `*` does not match a leading dot.
 */
function removes(operand: string, target: string): boolean {
  const op = operand.split('/').filter(Boolean);
  const tg = target.split('/').filter(Boolean);
  if (op.length > tg.length) return false;
  for (let i = 0; i < op.length; i++) {
    const seg = op[i];
    if (/[*?[]/.test(seg)) {
      if (seg === '**' || !picomatch.isMatch(tg[i], seg, { dot: false })) {
        if (seg !== '**') return false;
      }
    } else if (seg !== tg[i]) return false;
  }
  return true;
}

interface RunFacts {
  instr: Instruction;
  env: Map<string, string | null>;
  home: string | null;
  /** Cache mount targets (absolute, expanded). */
  mounts: string[];
  commands: SimpleCommand[];
}

function runFacts(model: DockerfileModel, instr: Instruction): RunFacts | null {
  if (instr.keyword !== 'RUN') return null;
  const ctx = runContext(model, instr);
  const env = new Map(ctx.env);
  // Build arguments read as their defaults.
  for (const [k, v] of ctx.argDefaults) if (!env.has(k)) env.set(k, v);
  const home = homeOf(ctx);
  const view = runView(model, instr);
  const commands = view ? view.commands.map((c) => c.command) : [];
  // Assignments and exports inside the RUN move what later commands of it see; `$(mktemp -d)`
  // is a new directory under /tmp.
  let fresh = 0;
  const source = view?.script?.source ?? '';
  for (const c of commands) {
    const words =
      c.name === null
        ? source.slice(c.start, c.end).split(/\s+(?=[A-Za-z_]\w*=)/)
        : c.name === 'export' || c.name === 'declare' || c.name === 'readonly'
          ? c.args.map((w) => w.raw)
          : [];
    for (const w of words) {
      const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(w.trim());
      if (!m) continue;
      const value = m[2].replace(/^["']|["']$/g, '');
      if (/^\$\(\s*mktemp\b|^`\s*mktemp\b/.test(value)) env.set(m[1], `/tmp/fresh-mktemp-${++fresh}`);
      else env.set(m[1], value.includes('$') || value.includes('`') ? null : value);
    }
  }
  const mounts: string[] = [];
  for (const m of existingMounts(instr)) {
    if (m.type !== 'cache' || m.target === null) continue;
    const t = expandPath(m.target, env, home);
    if (t) mounts.push(t);
  }
  return { instr, env, home, mounts, commands };
}

const literal = (c: SimpleCommand): string[] => c.args.map((a) => a.value ?? a.raw);

/** Operands of a recursive `rm` (null when it is not one). */
function recursiveRmOperands(c: SimpleCommand): string[] | null {
  if (commandBase(c.name) !== 'rm') return null;
  const args = literal(c);
  let recursive = false;
  const operands: string[] = [];
  let done = false;
  for (const a of args) {
    if (!done && a === '--') done = true;
    else if (!done && /^-[a-zA-Z]+$/.test(a)) recursive ||= /[rR]/.test(a);
    else if (!done && a.startsWith('--')) recursive ||= a === '--recursive';
    else operands.push(a);
  }
  return recursive ? operands : null;
}

function rmForced(c: SimpleCommand): boolean {
  return literal(c).some((a) => /^-[a-zA-Z]*f[a-zA-Z]*$/.test(a) || a === '--force');
}

function windowsStage(model: DockerfileModel, stage: Stage): boolean {
  if (model.escape === '`') return true;
  const chain = stageChain(model, stage);
  if (chain.some((s) => s.windows || /windows|nanoserver|servercore|ltsc20\d\d/i.test(s.base))) return true;
  return chain.some((s) =>
    s.instructions.some(
      (i) =>
        (i.keyword === 'SHELL' && /powershell|pwsh|cmd(\.exe)?"/i.test(i.text)) ||
        (i.keyword !== 'RUN' && /(^|[\s"'\[=])[A-Za-z]:\\/.test(i.text)),
    ),
  );
}

/** Directories that hold what an install produces: never a cache mount target. */
const PRODUCT_DIRS = /^(\/usr\/local\/bundle|\/opt\/conda|\/usr\/local\/cargo|\/root\/\.cargo|\/usr\/local\/bundle\/gems|.*\/vendor(\/bundle)?|.*\/node_modules|.*\/target)$/;

/** Caches whose content later builds read: the tool's build commands, offline flags, what runs it in a container. */
const PRODUCT_CACHES: { name: string; target: RegExp; build: RegExp; offline: RegExp; runtime: RegExp }[] = [
  { name: 'go modules', target: /\/pkg\/mod$/, build: /\bgo\s+(build|run|test|install|vet|list)\b/, offline: /GOPROXY=off/, runtime: /\bgo\b/ },
  { name: 'maven repository', target: /repository$/, build: /(^|[\s/])mvnw?\s/, offline: /\s(-o|--offline)\b/, runtime: /\bmvnw?\b/ },
  { name: 'gradle caches', target: /\.gradle\/caches$/, build: /(^|[\s/])gradlew?\s/, offline: /--offline\b/, runtime: /\bgradlew?\b/ },
  { name: 'cargo registry', target: /\/registry$/, build: /\bcargo\s/, offline: /--(offline|frozen)\b/, runtime: /\bcargo\b/ },
  { name: 'nuget packages', target: /\/packages$/, build: /\bdotnet\s+(build|publish|test|pack|run)\b/, offline: /--no-restore\b/, runtime: /\bdotnet["\s,]+(run|test|watch)\b/ },
];

/** One of the commands is the tool's build with an offline flag (not another command's `-o`). */
function offlineBuild(commands: SimpleCommand[], p: (typeof PRODUCT_CACHES)[number]): boolean {
  return commands.some((c) => {
    const text = ' ' + [c.name ?? '', ...literal(c)].join(' ') + ' ';
    return p.build.test(text) && p.offline.test(text);
  });
}

/** Stages whose filesystem continues `stage` (built FROM it, at any depth), itself included. */
function descendants(model: DockerfileModel, stage: Stage): Stage[] {
  return model.stages.filter((s) => stageChain(model, s).includes(stage));
}

/** Names by which COPY --from can take files out of a stage. */
function stageNames(stage: Stage): Set<string> {
  return new Set([String(stage.index), ...(stage.name ? [stage.name] : [])]);
}

function findings(model: DockerfileModel): Finding[] {
  const out: Finding[] = [];
  const add = (check: SemanticCheck, signature: string, instr: Instruction) =>
    out.push({ check, signature: `${check}: ${signature}`, line: instr.startLine + 1 });
  const lastStage = model.stages[model.stages.length - 1];
  const shipped = lastStage ? new Set(stageChain(model, lastStage)) : new Set<Stage>();
  const emptiedByRun = new Map<Instruction, string[]>();

  for (const stage of model.stages) {
    const windows = windowsStage(model, stage);
    for (const instr of stage.instructions) {
      const facts = runFacts(model, instr);
      if (!facts) continue;
      const sig = instr.text.replace(/\s+/g, ' ').slice(0, 80);
      if (windows && instr.flags.some((f) => f.name === 'mount')) add('windows-mount', sig, instr);
      for (const t of facts.mounts) if (t === '/var/lib/apt') add('apt-state-cached', sig, instr);
      // An offline build over its own mount reads nothing of what earlier instructions put there.
      for (const p of PRODUCT_CACHES)
        for (const t of facts.mounts)
          if (p.target.test(t) && offlineBuild(facts.commands, p)) add('read-later', `${p.name} in ${t} read offline under its mount`, instr);
      // Installed products: the gems, a conda root, Cargo's binaries, a project's vendor directory.
      for (const t of facts.mounts)
        if (PRODUCT_DIRS.test(t)) add('read-later', `mount over installed products at ${t}`, instr);
      // A change of apt's configuration files (not options on a command line).
      if (
        shipped.has(stage) &&
        /(>>?|\btee\b(\s+-a)?)\s*\/etc\/apt\/apt\.conf\.d\/|\brm\b[^;&|]*\/etc\/apt\/apt\.conf\.d\/docker-clean/.test(instr.text)
      )
        add('apt-config-shipped', `stage ${stage.index}`, instr);

      // 1. The RUN removes its own mount point or a parent of it.
      for (const c of facts.commands) {
        const base = commandBase(c.name);
        const args = literal(c);
        const rm = recursiveRmOperands(c);
        for (const t of facts.mounts) {
          if (rm) {
            for (const op of rm) {
              const p = expandPath(op, facts.env, facts.home);
              if (p === null) add('mount-removed', `${t} and an unknown path (${op})`, instr);
              else if (removes(p, t) && !isUnder(p, t + '/')) add('mount-removed', `${t} by rm ${op}`, instr);
            }
          }
          if (base === 'go' && args[0] === 'clean' && args.includes('-modcache') && /\/pkg\/mod$/.test(t))
            add('mount-removed', `${t} by go clean -modcache`, instr);
          if (base === 'uv' && args[0] === 'cache' && args[1] === 'clean' && /uv$/.test(t))
            add('mount-removed', `${t} by uv cache clean`, instr);
          if (base === 'mkdir' && !args.some((a) => /^-[a-z]*p/.test(a) || a === '--parents')) {
            for (const op of args.filter((a) => !a.startsWith('-'))) {
              const p = expandPath(op, facts.env, facts.home);
              if (p && p !== '/' && isUnder(t, p)) add('mount-parent-mkdir', `${t} by mkdir ${op}`, instr);
            }
          }
        }
      }

      // What this RUN leaves empty in the image; a directory that a command of the RUN leaves
      // empty (apk --no-cache, pip --no-cache-dir) is already empty for the commands after it.
      const emptied = new Set(facts.mounts);
      const emptySoFar: string[] = [];
      for (const c of facts.commands) {
        const base = commandBase(c.name);
        const args = literal(c);
        if (emptySoFar.length > 0) {
          for (const a of c.args) {
            const p = a.value !== null && /^[~/$]/.test(a.value) ? expandPath(a.value, facts.env, facts.home) : null;
            if (!p) continue;
            for (const d of emptySoFar) {
              if (!isUnder(p.replace(/\/\*$/, ''), d) || (base === 'rm' && rmForced(c))) continue;
              add('later-fails', `${base === 'rm' ? 'rm without -f' : base} of ${p} (${d} left empty)`, instr);
            }
          }
        }
        const rm = recursiveRmOperands(c);
        for (const op of rm ?? []) {
          const p = expandPath(op.replace(/\/\*$/, ''), facts.env, facts.home);
          if (p && p.split('/').length > 2) emptied.add(p);
        }
        let empty: string | null = null;
        if (base === 'apk' && args.includes('--no-cache')) empty = '/var/cache/apk';
        if (/^pip\d*(\.\d+)?$/.test(base ?? '') && args.includes('--no-cache-dir') && facts.home)
          empty = facts.env.get('PIP_CACHE_DIR') ?? facts.home + '/.cache/pip';
        if (empty) {
          emptied.add(empty);
          if (!emptySoFar.includes(empty)) emptySoFar.push(empty);
        }
      }
      emptiedByRun.set(instr, [...emptied]);

      // 5. poetry's virtualenvs (the installed packages) under a mounted cache.
      if (facts.commands.some((c) => commandBase(c.name) === 'poetry' && c.args[0]?.value === 'install')) {
        const inProject =
          /virtualenvs[.-]in-project(\s+|=)true|POETRY_VIRTUALENVS_IN_PROJECT=(true|1)|virtualenvs[.-]create(\s+|=)false|POETRY_VIRTUALENVS_CREATE=(false|0)|POETRY_VIRTUALENVS_PATH/i.test(
            model.text,
          );
        const cacheDir = facts.env.get('POETRY_CACHE_DIR') ?? (facts.home ? facts.home + '/.cache/pypoetry' : null);
        if (!inProject && cacheDir && facts.mounts.some((t) => isUnder(cacheDir + '/virtualenvs', t)))
          add('read-later', `poetry virtualenvs in the mounted ${cacheDir}`, instr);
      }
    }
  }

  // 4 and 5: later readers, in the RUN's own stage and the stages built from it.
  for (const stage of model.stages) {
    for (const instr of stage.instructions) {
      const facts = runFacts(model, instr);
      if (!facts) continue;
      const emptied = emptiedByRun.get(instr) ?? [];
      if (emptied.length === 0 && facts.mounts.length === 0) continue;
      const later: Instruction[] = [];
      for (const s of descendants(model, stage))
        for (const i of s.instructions) if (i.index > instr.index) later.push(i);
      const names = new Set(descendants(model, stage).flatMap((s) => [...stageNames(s)]));
      for (const other of model.instructions) {
        const from = other.flags.find((f) => f.name === 'from')?.value?.toLowerCase();
        if (other.keyword === 'COPY' && from !== undefined && names.has(from) && !later.includes(other))
          later.push(other);
      }
      for (const next of later) {
        const nextFacts = runFacts(model, next);
        const env = nextFacts?.env ?? facts.env;
        const home = nextFacts?.home ?? facts.home;
        const paths: { path: string; command: SimpleCommand | null }[] = [];
        if (nextFacts) {
          for (const c of nextFacts.commands) {
            for (const a of c.args) {
              const p = a.value !== null ? expandPath(a.value, env, home) : null;
              if (p && (a.value ?? '').match(/^[~/$]/)) paths.push({ path: p, command: c });
            }
          }
        } else if (next.keyword !== 'FROM' && next.keyword !== 'LABEL') {
          for (const m of next.text.matchAll(PATH_IN_WORD)) {
            const p = expandPath(m[1], env, home);
            if (p) paths.push({ path: p, command: null });
          }
        }
        for (const { path: p, command } of paths) {
          const base = command ? commandBase(command.name) : null;
          const removing = base === 'rm';
          for (const d of emptied) {
            // A COPY --from of a directory that holds a mount takes the (empty) mount point too.
            const copiesParent = next.keyword === 'COPY' && next.flags.some((f) => f.name === 'from') && facts.mounts.includes(d) && p !== '/' && isUnder(d, p);
            if ((!isUnder(p.replace(/\/\*$/, ''), d) && !copiesParent) || p === '/') continue;
            if (removing && rmForced(command!)) continue;
            if (nextFacts && nextFacts.mounts.some((t) => isUnder(p, t))) continue;
            const what = removing ? `rm without -f of ${p}` : `${base ?? next.keyword} reads ${p}`;
            add(facts.mounts.includes(d) ? 'read-later' : 'later-fails', `${what} (${d} left empty)`, next);
          }
        }
        // Caches whose content later builds read (Go modules, Maven's repository, Gradle's caches,
        // Cargo's registry, NuGet packages): a later build without the mount reads the cache; an
        // offline build reads it even with the mount (empty when the filling layer came from the
        // layer cache); a CMD that runs the tool reads it in the container.
        for (const p of PRODUCT_CACHES) {
          const mine = facts.mounts.filter((t) => p.target.test(t));
          if (mine.length === 0) continue;
          if (nextFacts && p.build.test(next.text)) {
            for (const t of mine) {
              if (!nextFacts.mounts.includes(t)) add('read-later', `${p.name} in ${t}`, next);
              else if (offlineBuild(nextFacts.commands, p)) add('read-later', `${p.name} in ${t} read offline`, next);
            }
          }
          if ((next.keyword === 'CMD' || next.keyword === 'ENTRYPOINT') && p.runtime.test(next.text))
            for (const t of mine) add('read-later', `${p.name} in ${t} at run time`, next);
        }
      }
    }
  }
  return out;
}

/** Comment lines the output dropped while their instruction stayed. */
function lostComments(input: DockerfileModel, output: string): Finding[] {
  const out: Finding[] = [];
  const owner = new Map<number, Instruction>();
  for (const i of input.instructions) {
    for (let l = i.startLine; l <= i.endLine; l++) owner.set(l, i);
    // The comment block directly above belongs to the instruction below it.
    for (let l = i.startLine - 1; l >= 0 && input.lineKinds[l] === 'comment'; l--) owner.set(l, i);
  }
  const removed = new Set<number>();
  let line = 0;
  for (const part of diffLines(input.text, output)) {
    const count = part.count ?? 0;
    if (part.added) continue;
    if (part.removed) for (let k = 0; k < count; k++) removed.add(line + k);
    line += count;
  }
  for (const l of removed) {
    const text = input.lines.lineText(l);
    if (!/^[ \t]*#/.test(text)) continue;
    const instr = owner.get(l);
    if (!instr) continue;
    let kept = false;
    for (let k = instr.startLine; k <= instr.endLine; k++) {
      if (!removed.has(k) && !/^[ \t]*(#|$)/.test(input.lines.lineText(k))) kept = true;
    }
    if (kept) out.push({ check: 'comment-lost', signature: `comment-lost: ${text.trim()}`, line: l + 1 });
  }
  return out;
}

/** Findings the output has and the input did not. */
export function semanticViolations(input: string, output: string): Finding[] {
  let inModel: DockerfileModel;
  let outModel: DockerfileModel;
  try {
    inModel = parseDockerfile(input);
    outModel = parseDockerfile(output);
  } catch {
    return [];
  }
  const before = new Map<string, number>();
  for (const f of findings(inModel)) before.set(f.signature, (before.get(f.signature) ?? 0) + 1);
  const result: Finding[] = [];
  for (const f of findings(outModel)) {
    const n = before.get(f.signature) ?? 0;
    if (n > 0) before.set(f.signature, n - 1);
    else result.push(f);
  }
  return [...result, ...lostComments(inModel, output)];
}
