/**
 * What a RUN inherits from the instructions before it, across the stages it is built FROM:
 * environment variables, build arguments, the user it runs as and that user's home. Cache mount
 * targets depend on all of them.
 */
import { joinContinuations, type DockerfileModel, type Instruction, type Stage } from '../core/model.js';
import { rememberedByText } from './instruction-memo.js';
import { readAccountCommand, type User } from '../tools/accounts.js';
import { skip, type Skip } from '../core/transform.js';
import { globalArgs, imageFacts, resolvedBaseImage, type BaseImageFacts } from './base-images.js';

export type { User };

/** Only RUNs that mention account commands are parsed for them (parsing every RUN is the slow part). */
const ACCOUNT_HINT = /useradd|adduser|groupadd|addgroup/;


export interface RunContext {
  /** ENV values in force; null where the value is not a literal (built from `$VAR`). */
  env: Map<string, string | null>;
  /** ARG names declared in the stage chain (their values can be overridden at build time). */
  args: Set<string>;
  /** `root`, or the non-root user from the last USER (with what the file says about it). */
  user: { root: true } | { root: false; spec: string; user: User | null };
  /** The stage chain's root base image, as written. */
  baseImage: string;
  /** That image with build arguments read as their defaults, and what is known about it (null: nothing). */
  base: { image: string | null; facts: BaseImageFacts | null };
  /** The user is known: the file sets it (USER), or the base image is one whose user is known. */
  userKnown: boolean;
  /** HOME is known: the file sets it (ENV HOME), or the base image is known (an unknown one may set it). */
  homeKnown: boolean;
  /**
   * Build arguments in scope with their defaults (null without one). They can be overridden at
   * build time: read them only where a default is as good as a value (names of files to remove).
   */
  argDefaults: Map<string, string | null>;
}

/** The stages a stage is built from, root first, ending with the stage itself. */
export function stageChain(model: DockerfileModel, stage: Stage): Stage[] {
  const chain: Stage[] = [stage];
  let s = stage;
  while (s.parent !== null && chain.length <= model.stages.length) {
    s = model.stages[s.parent];
    chain.unshift(s);
  }
  return chain;
}

/** The first stage of the chain a stage is built from: stages with the same root share a filesystem. */
export function familyRoot(model: DockerfileModel, stage: Stage): number {
  return stageChain(model, stage)[0].index;
}

interface State {
  env: Map<string, string | null>;
  args: Set<string>;
  argDefaults: Map<string, string | null>;
  userSpec: string | null;
  users: Map<string, User>;
  groups: Map<string, number>;
  /** env and args are shared with a RUN's context or another stage: copy them before a change. */
  shared: boolean;
}

const cloneState = (s: State): State => {
  s.shared = true;
  return { ...s, users: new Map(s.users), groups: new Map(s.groups) };
};

/** Copy-on-write: most files have far more RUNs than ENV and ARG lines. */
function ownVariables(state: State): void {
  if (!state.shared) return;
  state.env = new Map(state.env);
  state.args = new Set(state.args);
  state.argDefaults = new Map(state.argDefaults);
  state.shared = false;
}

/** Contexts of every RUN of a model, computed in one pass per model (stages inherit their parent's end state). */
const contextCache = new WeakMap<DockerfileModel, Map<Instruction, RunContext>>();

export function runContext(model: DockerfileModel, instr: Instruction): RunContext {
  let all = contextCache.get(model);
  if (!all) {
    all = computeContexts(model);
    contextCache.set(model, all);
  }
  const ctx = all.get(instr);
  if (!ctx) throw new Error('runContext: not a RUN of this model');
  return ctx;
}

function computeContexts(model: DockerfileModel): Map<Instruction, RunContext> {
  const out = new Map<Instruction, RunContext>();
  const endStates: State[] = [];
  const globals = globalArgs(model);
  for (const stage of model.stages) {
    const parentEnd = stage.parent !== null ? endStates[stage.parent] : undefined;
    const root = stageChain(model, stage)[0];
    const image = resolvedBaseImage(model, root);
    const facts = image === null ? null : imageFacts(image);
    const state: State = parentEnd
      ? cloneState(parentEnd)
      : {
          env: new Map(Object.entries(facts?.env ?? {})),
          args: new Set(),
          argDefaults: new Map(),
          userSpec: null,
          users: new Map(),
          groups: new Map(),
          shared: false,
        };
    const base = { image, facts };
    for (const i of stage.instructions) {
      if (i.keyword === 'RUN') out.set(i, snapshot(state, root.base, base));
      if (i.keyword === 'ENV') {
        ownVariables(state);
        for (const [k, v] of parseKeyValues(model, i))
          state.env.set(k, v === null ? null : expand(v, state.env));
      } else if (i.keyword === 'ARG') {
        ownVariables(state);
        for (const [k, v] of parseKeyValues(model, i)) {
          state.args.add(k);
          // A stage's `ARG NAME` without a value takes the global default.
          state.argDefaults.set(k, v !== null ? v : (globals.get(k) ?? null));
        }
      } else if (i.keyword === 'USER') {
        state.userSpec = argsText(model, i).trim();
      } else if (i.keyword === 'RUN' && ACCOUNT_HINT.test(i.text)) {
        const script = i.script();
        if (script)
          for (const { command } of script.allCommands)
            readAccountCommand(command, state.users, state.groups);
      }
    }
    endStates[stage.index] = state;
  }
  return out;
}

function snapshot(state: State, baseImage: string, base: RunContext['base']): RunContext {
  state.shared = true;
  const { env, args, argDefaults } = state;
  const spec = state.userSpec;
  const common = { env, args, argDefaults, baseImage, base, homeKnown: base.facts !== null || env.has('HOME') };
  if (spec === null) {
    const u = base.facts?.user;
    if (u && !u.root) {
      const user = { name: u.name, uid: u.uid, gid: u.gid, home: u.home };
      return { ...common, user: { root: false, spec: u.name, user }, userKnown: true };
    }
    return { ...common, user: { root: true }, userKnown: base.facts !== null };
  }
  if (isRootSpec(spec)) return { ...common, user: { root: true }, userKnown: true };
  return {
    ...common,
    user: { root: false, spec, user: resolveUser(spec, state.users, state.groups) },
    userKnown: true,
  };
}

function isRootSpec(spec: string): boolean {
  const [u] = spec.split(':');
  return u === 'root' || u === '0';
}

function resolveUser(spec: string, users: Map<string, User>, groups: Map<string, number>): User | null {
  if (spec.includes('$')) return null;
  const [u, g] = spec.split(':');
  let user = users.get(u) ?? [...users.values()].find((x) => x.uid !== null && String(x.uid) === u) ?? null;
  if (!user) return null;
  if (g !== undefined) {
    const gid = /^\d+$/.test(g) ? Number(g) : (groups.get(g) ?? null);
    user = { ...user, gid };
  }
  return user;
}

function argsText(model: DockerfileModel, instr: Instruction): string {
  return joinContinuations(model.text, instr.argsStart, instr.end, model.escape).text;
}

/** `ENV A=1 B="x y"`, `ENV A 1`, `ARG A=1 B`: key/value pairs; values keep `$` references. */
export const parseKeyValues: (
  model: DockerfileModel,
  instr: Instruction,
) => readonly [string, string | null][] = rememberedByText(readKeyValues);

function readKeyValues(model: DockerfileModel, instr: Instruction): [string, string | null][] {
  const text = argsText(model, instr).trim();
  const words = splitWords(text, model.escape);
  if (words.length === 0) return [];
  if (!words[0].includes('=')) {
    // Legacy `ENV KEY value with spaces` (ARG: a name without a default).
    if (instr.keyword === 'ARG') return words.map((w) => [w, null]);
    const rest = text.slice(text.indexOf(words[0]) + words[0].length).trim();
    return [[words[0], unquote(rest, model.escape)]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    return eq === -1 ? [w, null] : [w.slice(0, eq), unquote(w.slice(eq + 1), model.escape)];
  });
}

function splitWords(text: string, escape: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === escape && i + 1 < text.length) {
      cur += c + text[++i];
    } else if (quote) {
      cur += c;
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
      cur += c;
    } else if (/\s/.test(c)) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

function unquote(v: string, escape: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === escape && quote !== "'" && i + 1 < v.length) out += v[++i];
    else if (quote && c === quote) quote = null;
    else if (!quote && (c === '"' || c === "'")) quote = c;
    else out += c;
  }
  return out;
}

/** Resolve `$VAR`/`${VAR}` from earlier ENV values; anything unresolvable makes the value dynamic (null). */
export function expand(value: string, env: Map<string, string | null>): string | null {
  let dynamic = false;
  const out = value.replace(/\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))|\$\{[^}]*\}/g, (m, a, b) => {
    const name = a ?? b;
    const v = name ? env.get(name) : undefined;
    if (v === undefined || v === null) {
      dynamic = true;
      return m;
    }
    return v;
  });
  return dynamic ? null : out;
}

/** The home directory of the user a RUN runs as (ENV HOME wins), or null when unknown. */
export function homeOf(ctx: RunContext): string | null {
  if (ctx.env.has('HOME')) return ctx.env.get('HOME') ?? null;
  if (ctx.user.root) return '/root';
  return ctx.user.user?.home ?? null;
}

/** A cache directory, or why it cannot be told for this RUN. */
export type CachePath = string | Skip;

/** `~/x` → `$home/x` for the RUN's user. */
export function inHome(path: string, ctx: RunContext): CachePath {
  if (!path.startsWith('~/')) return path;
  const home = homeOf(ctx);
  if (home === null) {
    const who = ctx.user.root ? 'root' : `\`${ctx.user.spec}\``;
    return skip('unknown-home', `the RUN runs as ${who}, whose home directory the file does not tell`);
  }
  if (ctx.env.has('HOME') && ctx.env.get('HOME') === null) {
    return skip('cache-path-dynamic', 'HOME is set from a variable, so the cache path is not known');
  }
  return home.replace(/\/$/, '') + path.slice(1);
}

/** A cache directory from an environment variable, the default otherwise. */
export function envPath(ctx: RunContext, name: string, fallback: CachePath): CachePath {
  if (!ctx.env.has(name)) return fallback;
  const v = ctx.env.get(name);
  if (v === null || v === undefined || !v.startsWith('/')) {
    return skip(
      'cache-path-dynamic',
      `\`${name}\` is set from a variable or to a relative path, so the cache path is not known`,
    );
  }
  return v.replace(/\/+$/, '') || '/';
}
