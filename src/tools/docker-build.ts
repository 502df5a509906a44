/**
 * How a repository says it builds its Dockerfiles: `docker build -f F CTX` (and buildx, podman,
 * buildah, nerdctl) in Makefiles, scripts and CI jobs; compose files' `build:`; bake files'
 * targets; GitHub's docker/build-push-action; skaffold artifacts. Each reader takes a file's text
 * and returns the builds it names, with paths as written; the caller resolves them on disk.
 */
import { parse as parseYaml } from 'yaml';
import { parseShell } from '../shell/index.js';
import { invocation, positionals } from './command.js';

/**
 * One build a file names. `context` is relative to `base` (the directory the build runs in);
 * `dockerfile` is relative to `base` too when `dockerfileFrom` is 'base', else to the context;
 * null means the default (`Dockerfile` in the context).
 */
export interface BuildReference {
  context: string;
  dockerfile: string | null;
  dockerfileFrom: 'base' | 'context';
  /** The directory the paths are relative to, relative to the file that names the build ('.' is its directory; 'root' is the repository root). */
  base: { from: 'file' | 'root'; dir: string };
  /** What in the file names it (`service api`, `target app`, `docker build`). */
  what: string;
}

/** `${VAR:-default}` → default; any other interpolation makes the value unknown. */
function interpolate(value: string): string | null {
  const out = value.replace(/\$\{[A-Za-z_]\w*:?-([^}$]*)\}/g, '$1');
  return /\$|\{\{/.test(out) ? null : out;
}

const isRemote = (ctx: string) => /^[a-z]+:\/\/|^git@|\.git(#|$)|^github\.com\//.test(ctx);

const BUILD_WITH_VALUE = new Set([
  '-f',
  '--file',
  '-t',
  '--tag',
  '--build-arg',
  '--target',
  '--platform',
  '--label',
  '--network',
  '--secret',
  '--ssh',
  '--cache-from',
  '--cache-to',
  '-o',
  '--output',
  '--progress',
  '--iidfile',
  '--build-context',
  '--add-host',
  '--cgroup-parent',
  '--cpuset-cpus',
  '--cpu-shares',
  '-m',
  '--memory',
  '--memory-swap',
  '--shm-size',
  '--ulimit',
  '--isolation',
  '--metadata-file',
  '--builder',
  '--annotation',
  '--allow',
  '--attest',
  '--call',
  '--security-opt',
  '--authfile',
  '--format',
  '--jobs',
  '--layers',
  '--manifest',
  '--arch',
  '--os',
  '--variant',
  '--ignorefile',
  '--env',
]);

/** The Dockerfile and context of a build command, or null when it is not one (or not literal). */
export function buildCommandArgs(
  name: string,
  args: readonly (string | null)[],
): { file: string | null; context: string } | null {
  let rest = args;
  if (name === 'docker' || name === 'nerdctl' || name === 'podman') {
    let i = 0;
    while (i < rest.length && rest[i] !== null && rest[i]!.startsWith('-')) i++;
    if (rest[i] === 'buildx' || rest[i] === 'image') i++;
    if (rest[i] !== 'build') return null;
    rest = rest.slice(i + 1);
  } else if (name === 'buildah') {
    if (rest[0] !== 'bud' && rest[0] !== 'build') return null;
    rest = rest.slice(1);
  } else return null;
  let file: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '-f' || a === '--file') {
      file = rest[i + 1] ?? null;
      if (file === null) return null;
    } else if (a !== null && a.startsWith('--file=')) file = a.slice(7);
    else if (a !== null && /^-f./.test(a) && !a.startsWith('--')) file = a.slice(2);
  }
  const pos = positionals(rest, BUILD_WITH_VALUE);
  const context = pos[pos.length - 1];
  if (pos.length !== 1 || context === null || context === undefined || context === '-' || isRemote(context))
    return null;
  if (file === '-') return null;
  return { file, context };
}

/** Build commands in shell text (a Makefile recipe, a script, a CI `run:`), following literal `cd`s. */
export function shellBuilds(source: string): { cwd: string | null; file: string | null; context: string }[] {
  const out: { cwd: string | null; file: string | null; context: string }[] = [];
  let script;
  try {
    script = parseShell(source);
  } catch {
    return out;
  }
  let cwd: string | null = '.';
  for (const { command, isolated } of script.allCommands) {
    const inv = invocation(command);
    if (!inv) continue;
    if (inv.name === 'cd') {
      if (isolated) continue;
      const to = inv.args[0];
      cwd =
        to === null || to === undefined || to === '-' || inv.args.length !== 1
          ? null
          : to.startsWith('/')
            ? null
            : cwd === null
              ? null
              : joinRel(cwd, to);
      continue;
    }
    const b = buildCommandArgs(inv.name, inv.args);
    if (b) out.push({ cwd, ...b });
  }
  return out;
}

function joinRel(a: string, b: string): string {
  if (a === '.' || a === '') return b;
  return `${a.replace(/\/+$/, '')}/${b}`;
}

/** Compose files: `build: DIR` or `build: {context, dockerfile}` of each service. */
export function composeBuilds(text: string): BuildReference[] {
  const doc = safeYaml(text) as { services?: Record<string, unknown> } | null;
  const out: BuildReference[] = [];
  for (const [service, def] of Object.entries(doc?.services ?? {})) {
    const build = (def as { build?: unknown } | null)?.build;
    if (build === undefined || build === null) continue;
    const spec =
      typeof build === 'string' ? { context: build } : (build as { context?: unknown; dockerfile?: unknown });
    const context = interpolate(typeof spec.context === 'string' ? spec.context : '.');
    const dockerfile = typeof spec.dockerfile === 'string' ? interpolate(spec.dockerfile) : null;
    if (context === null || isRemote(context) || (typeof spec.dockerfile === 'string' && dockerfile === null))
      continue;
    out.push({
      context,
      dockerfile,
      dockerfileFrom: 'context',
      base: { from: 'file', dir: '.' },
      what: `service ${service}`,
    });
  }
  return out;
}

/** Skaffold: `build.artifacts[]` with `context` and `docker.dockerfile` (relative to the context). */
export function skaffoldBuilds(text: string): BuildReference[] {
  const out: BuildReference[] = [];
  for (const doc of safeYamlAll(text)) {
    const artifacts = (doc as { build?: { artifacts?: unknown } } | null)?.build?.artifacts;
    if (!Array.isArray(artifacts)) continue;
    for (const a of artifacts as {
      image?: unknown;
      context?: unknown;
      docker?: { dockerfile?: unknown };
    }[]) {
      if (
        !a ||
        (a.docker === undefined &&
          Object.keys(a).some((k) => ['jib', 'bazel', 'ko', 'buildpacks', 'custom'].includes(k)))
      )
        continue;
      const context = typeof a.context === 'string' ? interpolate(a.context) : '.';
      const file = a.docker?.dockerfile;
      const dockerfile = typeof file === 'string' ? interpolate(file) : null;
      if (context === null || (typeof file === 'string' && dockerfile === null)) continue;
      out.push({
        context,
        dockerfile,
        dockerfileFrom: 'context',
        base: { from: 'file', dir: '.' },
        what: `artifact ${String(a.image ?? '')}`.trim(),
      });
    }
  }
  return out;
}

/** Bake files (HCL or JSON): each target's `context` and `dockerfile`, with `inherits` followed. */
export function bakeBuilds(text: string, json: boolean): BuildReference[] {
  const targets = json ? bakeJsonTargets(text) : bakeHclTargets(text);
  const out: BuildReference[] = [];
  const resolve = (name: string, key: 'context' | 'dockerfile', depth = 0): string | null | undefined => {
    const t = targets.get(name);
    if (!t || depth > 10) return undefined;
    if (t[key] !== undefined) return t[key];
    for (const parent of t.inherits) {
      const v = resolve(parent, key, depth + 1);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  for (const name of targets.keys()) {
    // undefined: not set (the default); null: set to something that cannot be told.
    const set = resolve(name, 'context');
    const context = set === undefined ? '.' : set;
    const dockerfile = resolve(name, 'dockerfile');
    if (context === null || dockerfile === null || isRemote(context) || context.startsWith('target:'))
      continue;
    out.push({
      context,
      dockerfile: dockerfile ?? null,
      dockerfileFrom: 'context',
      base: { from: 'file', dir: '.' },
      what: `target ${name}`,
    });
  }
  return out;
}

interface BakeTarget {
  context?: string | null;
  dockerfile?: string | null;
  inherits: string[];
}

function bakeJsonTargets(text: string): Map<string, BakeTarget> {
  const out = new Map<string, BakeTarget>();
  let doc: { target?: Record<string, Record<string, unknown>> };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    return out;
  }
  for (const [name, t] of Object.entries(doc.target ?? {})) {
    const str = (v: unknown) => (typeof v === 'string' ? interpolate(v) : undefined);
    out.set(name, {
      context: str(t.context),
      dockerfile: str(t.dockerfile),
      inherits: Array.isArray(t.inherits) ? t.inherits.filter((x): x is string => typeof x === 'string') : [],
    });
  }
  return out;
}

/** `target "name" { context = "…" dockerfile = "…" inherits = ["a"] }` blocks of an HCL bake file. */
function bakeHclTargets(text: string): Map<string, BakeTarget> {
  const out = new Map<string, BakeTarget>();
  const code = text.replace(/(^|\s)(#|\/\/).*$/gm, '$1');
  for (const m of code.matchAll(/^\s*target\s+"([^"]+)"\s*\{/gm)) {
    let depth = 1;
    let i = m.index! + m[0].length;
    const start = i;
    let inString = false;
    for (; i < code.length && depth > 0; i++) {
      const c = code[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    const body = code.slice(start, i - 1);
    // Only the target's own attributes, not those of nested blocks.
    const top = body.replace(/(?<!\$)\{[^{}]*\}/g, '');
    const attr = (key: string): string | null | undefined => {
      const a = new RegExp(`^\\s*${key}\\s*=\\s*(.*)$`, 'm').exec(top);
      if (!a) return undefined;
      const s = /^"((?:[^"\\]|\\.)*)"\s*$/.exec(a[1].trim());
      return s ? interpolate(s[1]) : null;
    };
    const inherits = /^\s*inherits\s*=\s*\[([^\]]*)\]/m.exec(top);
    out.set(m[1], {
      context: attr('context'),
      dockerfile: attr('dockerfile'),
      inherits: inherits ? [...inherits[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]) : [],
    });
  }
  return out;
}

/**
 * GitHub workflows: docker/build-push-action steps (`with.context`, `with.file`; paths from the
 * repository root, `file` defaulting to `{context}/Dockerfile`) and `docker build` in `run:` steps.
 */
export function workflowBuilds(text: string): BuildReference[] {
  const doc = safeYaml(text) as {
    jobs?: Record<string, unknown>;
    defaults?: { run?: { 'working-directory'?: unknown } };
  } | null;
  const out: BuildReference[] = [];
  const defaultDir = doc?.defaults?.run?.['working-directory'];
  for (const job of Object.values(doc?.jobs ?? {})) {
    const j = job as { steps?: unknown; defaults?: { run?: { 'working-directory'?: unknown } } } | null;
    const jobDir = j?.defaults?.run?.['working-directory'] ?? defaultDir;
    if (!Array.isArray(j?.steps)) continue;
    for (const step of j.steps as Record<string, unknown>[]) {
      if (!step) continue;
      const uses = typeof step.uses === 'string' ? step.uses : '';
      if (/^docker\/build-push-action@/.test(uses)) {
        const w = (step.with ?? {}) as Record<string, unknown>;
        const context = typeof w.context === 'string' ? workflowValue(w.context) : '.';
        const file = typeof w.file === 'string' ? workflowValue(w.file) : null;
        if (context === null || (typeof w.file === 'string' && file === null) || isRemote(context)) continue;
        out.push({
          context,
          dockerfile: file,
          dockerfileFrom: file === null ? 'context' : 'base',
          base: { from: 'root', dir: '.' },
          what: 'docker/build-push-action',
        });
      } else if (typeof step.run === 'string') {
        const dir = step['working-directory'] ?? jobDir;
        if (dir !== undefined && (typeof dir !== 'string' || workflowValue(dir) === null)) continue;
        for (const b of shellBuilds(step.run))
          pushShell(out, b, { from: 'root', dir: typeof dir === 'string' ? dir : '.' });
      }
    }
  }
  return out;
}

/** GitLab CI: `docker build` in the jobs' `script`, `before_script` and `after_script` lines. */
export function gitlabBuilds(text: string): BuildReference[] {
  const doc = safeYaml(text) as Record<string, unknown> | null;
  const out: BuildReference[] = [];
  for (const job of Object.values(doc ?? {})) {
    if (!job || typeof job !== 'object') continue;
    for (const key of ['before_script', 'script']) {
      const lines = (job as Record<string, unknown>)[key];
      const list = Array.isArray(lines) ? lines : typeof lines === 'string' ? [lines] : [];
      const source = list.filter((l): l is string => typeof l === 'string').join('\n');
      for (const b of shellBuilds(source)) pushShell(out, b, { from: 'root', dir: '.' });
    }
  }
  return out;
}

/** Makefiles: `docker build` in recipes, with the Makefile's own simple variables expanded. */
export function makefileBuilds(text: string): BuildReference[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const vars = new Map<string, string>([
    ['CURDIR', '.'],
    ['PWD', '.'],
  ]);
  for (const m of joined.matchAll(
    /^(?:export\s+|override\s+)?([A-Za-z_][\w.-]*)\s*(?::{1,3}=|\?=|=)\s*(.*)$/gm,
  )) {
    if (!vars.has(m[1])) vars.set(m[1], m[2].trim());
  }
  const expandVars = (s: string, depth = 0): string | null => {
    if (depth > 8) return null;
    let dynamic = false;
    const out = s.replace(/\$[({]([A-Za-z_][\w.-]*)[)}]/g, (_m, name: string) => {
      const v = vars.get(name);
      if (v === undefined) {
        dynamic = true;
        return _m;
      }
      const e = expandVars(v, depth + 1);
      if (e === null) dynamic = true;
      return e ?? _m;
    });
    return dynamic || /\$[({]/.test(out) ? null : out.replace(/\$\$/g, '$');
  };
  const out: BuildReference[] = [];
  for (const m of joined.matchAll(/^\t[@+-]*(.*)$/gm)) {
    if (!/\b(docker|podman|buildah|nerdctl)\b/.test(m[1])) continue;
    const line = expandVars(m[1]);
    if (line === null) continue;
    for (const b of shellBuilds(line)) pushShell(out, b, { from: 'file', dir: '.' });
  }
  return out;
}

/** Shell scripts: `docker build` commands (the directory they run in is not known: see the caller). */
export function scriptBuilds(text: string): BuildReference[] {
  if (!/\b(docker|podman|buildah|nerdctl)\b/.test(text)) return [];
  const out: BuildReference[] = [];
  for (const b of shellBuilds(text)) pushShell(out, b, { from: 'file', dir: '.' });
  return out;
}

/** A build command found in shell text, unless it runs in a directory that cannot be told. */
function pushShell(
  out: BuildReference[],
  b: { cwd: string | null; file: string | null; context: string },
  base: { from: 'file' | 'root'; dir: string },
): void {
  if (b.cwd === null) return;
  out.push({
    context: b.context,
    dockerfile: b.file,
    dockerfileFrom: b.file === null ? 'context' : 'base',
    base: { from: base.from, dir: joinRel(base.dir, b.cwd) },
    what: 'docker build',
  });
}

/** `${{ … }}` expressions make a workflow value unknown. */
function workflowValue(v: string): string | null {
  return /\$\{\{/.test(v) ? null : interpolate(v);
}

function safeYaml(text: string): unknown {
  try {
    return parseYaml(text, { logLevel: 'silent', uniqueKeys: false, maxAliasCount: 100 });
  } catch {
    return null;
  }
}

function safeYamlAll(text: string): unknown[] {
  return text.split(/^---\s*$/m).map(safeYaml);
}
