/**
 * Paths inside a RUN as its shell reads them: `~` and `$HOME`, variables from ENV, build arguments
 * (read as their defaults), and the RUN's own assignments and exports (`$(mktemp -d)` is a new
 * directory that holds nothing else); globs kept as patterns whose segments skip dot-names. Used
 * to tell what a removal reaches and what a later command reads.
 */
import picomatch from 'picomatch';
import type { DockerfileModel, Instruction } from '../core/model.js';
import type { SimpleCommand, Word } from '../shell/index.js';
import { homeOf, runContext, type RunContext } from './run-context.js';
import { runView, type RunView } from './run-view.js';

/** An absolute path whose segments may be glob patterns, or null when it cannot be told. */
export type ResolvedPath = string | null;

interface Assignment {
  name: string;
  /** The value, `fresh` for a new temporary directory, or null when it cannot be told. */
  value: string | 'fresh' | null;
  at: number;
}

const ASSIGNERS = new Set(['export', 'declare', 'typeset', 'readonly', 'local']);

/** Variables the RUN itself sets, in order. */
function assignments(view: RunView): Assignment[] {
  const out: Assignment[] = [];
  const source = view.script?.source ?? '';
  for (const { command } of view.commands) {
    const words =
      command.name === null
        ? source.slice(command.start, command.end).split(/\s+(?=[A-Za-z_]\w*=)/)
        : ASSIGNERS.has(command.name)
          ? command.args.map((w) => w.raw)
          : [];
    for (const w of words) {
      const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(w.trim());
      if (!m) continue;
      const raw = m[2].replace(/^(["'])(.*)\1$/s, '$2');
      const value = /^(\$\(|`)\s*mktemp\b/.test(raw) ? 'fresh' : /[$`\\]/.test(raw) ? null : raw;
      out.push({ name: m[1], value, at: command.start });
    }
  }
  return out;
}

const known = new WeakMap<Instruction, RunPaths | null>();

/** The RunPaths of a RUN (null when its commands cannot be read), made once per parsed model. */
export function runPathsOf(model: DockerfileModel, instr: Instruction): RunPaths | null {
  let paths = known.get(instr);
  if (paths === undefined) {
    const view = runView(model, instr);
    paths = view ? new RunPaths(view, runContext(model, instr)) : null;
    known.set(instr, paths);
  }
  return paths;
}

/** Resolves the path words of one RUN. */
export class RunPaths {
  private readonly assigned: Assignment[];
  private readonly home: string | null;
  private fresh = 0;

  constructor(
    readonly view: RunView,
    readonly ctx: RunContext,
  ) {
    this.assigned = assignments(view);
    this.home = homeOf(ctx);
  }

  /** The first of `names` the RUN itself sets before offset `at`, or null. */
  setsBefore(names: ReadonlySet<string>, at: number): string | null {
    return this.assigned.find((a) => a.at < at && names.has(a.name))?.name ?? null;
  }

  /** A variable's value at an offset of the script; undefined when it is not set anywhere known. */
  private variable(name: string, at: number): string | 'fresh' | null | undefined {
    for (let i = this.assigned.length - 1; i >= 0; i--) {
      const a = this.assigned[i];
      if (a.name === name && a.at < at) return a.value;
    }
    if (this.ctx.env.has(name)) return this.ctx.env.get(name) ?? null;
    if (this.ctx.argDefaults.has(name)) return this.ctx.argDefaults.get(name) ?? null;
    if (name === 'HOME') return this.home;
    return undefined;
  }

  /**
   * The absolute path a word names (globs kept), relative words taken against `/` with their
   * first segment free (see reaches()), or null when a variable of it cannot be told.
   */
  resolve(word: Word | string, at: number): ResolvedPath {
    if (typeof word === 'string') return this.resolveText(word, at);
    // A word is resolved once: later-use checks ask for the same words target after target.
    let known = this.resolved.get(word);
    if (known === undefined) {
      known = this.resolveText(word.raw, at);
      this.resolved.set(word, known);
    }
    return known;
  }

  private readonly resolved = new Map<Word, ResolvedPath>();

  private resolveText(raw: string, at: number): ResolvedPath {
    let s = raw;
    s = s.replace(/^(["'])(.*)\1$/s, '$2').replace(/"/g, '');
    if (s.startsWith('~')) {
      // `~name` is another user's home: /home/name by convention (no user's home holds a
      // system directory such as /var/cache).
      const other = /^~([a-z_][\w.-]*)(?=\/|$)/i.exec(s);
      if (other) s = (other[1] === 'root' ? '/root' : `/home/${other[1]}`) + s.slice(other[0].length);
      else if (this.home === null) return null;
      else s = this.home + s.slice(1);
    }
    let unknown = false;
    s = s.replace(
      /\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g,
      (m, braced: string | undefined, bare: string | undefined, offset: number, all: string) => {
        const v = this.variable((braced ?? bare)!, at);
        if (v === 'fresh') return `/tmp/.dockerfix-mktemp-${++this.fresh}`;
        if (typeof v === 'string') return v;
        // Unknown: a glob inside a segment that has other text (`Python-$V`), else nothing known.
        const before = all[offset - 1];
        const after = all[offset + m.length];
        if ((before === undefined || before === '/') && (after === undefined || after === '/')) unknown = true;
        return '*';
      },
    );
    if (unknown || /[$`\\]/.test(s)) return null;
    return s.startsWith('/') ? normalize(s) : 'relative:' + normalize('/' + s);
  }
}

function normalize(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '/' + parts.join('/');
}

const segments = (p: string) => p.split('/').filter(Boolean);
const GLOB = /[*?[]/;

function segmentMatches(pattern: string, name: string): boolean {
  if (!GLOB.test(pattern)) return pattern === name;
  return picomatch.isMatch(name, pattern, { dot: false });
}

/** What removing `path` does to directory `dir`. */
export type Reach = 'none' | 'inside' | 'itself' | 'parent';

/**
 * What removing a resolved path (recursively) does to `dir`: nothing, part of what is inside it,
 * the directory itself, or a directory that contains it. A relative path may start anywhere
 * (the working directory is not followed), so it reaches `dir` when it can line up with it.
 */
export function reaches(path: ResolvedPath, dir: string): Reach | 'unknown' {
  if (path === null) return 'unknown';
  const target = segments(dir);
  const relative = path.startsWith('relative:');
  const p = segments(relative ? path.slice('relative:'.length) : path);
  const starts = relative ? target.map((_, k) => k) : [0];
  let best: Reach = 'none';
  for (const k of starts) {
    let ok = true;
    const n = Math.min(p.length, target.length - k);
    for (let i = 0; i < n && ok; i++) ok = segmentMatches(p[i], target[k + i]);
    if (!ok) continue;
    if (p.length < target.length - k) return 'parent';
    if (p.length === target.length - k) best = 'itself';
    else if (best === 'none' && !relative) best = 'inside';
  }
  return best;
}

/** Is `path` (resolved, globs kept) under `dir` or `dir` itself? */
export function isUnder(path: ResolvedPath, dir: string): boolean {
  const r = reaches(path, dir);
  return r === 'inside' || r === 'itself';
}

/** A word that looks like a path (absolute, `~`, or starting with a variable). */
export function pathLike(word: Word): boolean {
  return /^["']?([~/]|\$)/.test(word.raw);
}

/** `rm` options: recursive, forced. */
export function rmOptions(cmd: SimpleCommand): { recursive: boolean; force: boolean; operands: Word[] } {
  let recursive = false;
  let force = false;
  const operands: Word[] = [];
  let done = false;
  for (const w of cmd.args) {
    const v = w.value;
    if (!done && v === '--') done = true;
    else if (!done && v !== null && /^-[a-zA-Z]+$/.test(v)) {
      recursive ||= /[rR]/.test(v);
      force ||= v.includes('f');
    } else if (!done && v !== null && v.startsWith('--')) {
      recursive ||= v === '--recursive';
      force ||= v === '--force';
    } else operands.push(w);
  }
  return { recursive, force, operands };
}
