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
import { soleCommand } from '../src/shell/shell.js';
import type { FixProposal, SkipProposal, Transform, TransformResult } from '../src/core/transform.js';
import { BuildContext } from '../src/dockerfile/build-context.js';
import { copyArgs } from '../src/dockerfile/copy-args.js';
import { lineBreakOf, quote } from '../src/rewrite/edit.js';
import { existingMounts } from '../src/dockerfile/mounts.js';
import {
  aptSubcommand,
  cacheCleaned,
  cachesCovered,
  invocation,
  pipArgs,
  type Invocation,
} from '../src/tools/packages.js';

type Skip = { reason: string; message: string };
const skip = (reason: string, message: string): Skip => ({ reason, message });

/** A manifest the install reads: `required` ones must exist; the others are copied when present. */
interface Manifest {
  path: string;
  required: boolean;
  dir?: boolean;
}

/** What an install command needs, or why it needs more than manifests. */
type Needs = { manifests: Manifest[] } | Skip;

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
const SYSTEM_PM = new Set(['apt-get', 'apt', 'apk', 'yum', 'dnf', 'microdnf']);

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
  },
  run(model, context) {
    const result: TransformResult = { fixes: [], skips: [] };
    // The context is read only when there is a full-context COPY to plan for.
    let ctx: BuildContext | null | undefined;
    for (const stage of model.stages) {
      for (const instr of stage.instructions) {
        const copy = fullContextCopy(model, instr);
        if (!copy) continue;
        if (ctx === undefined) ctx = BuildContext.of(context);
        const outcome = plan(model, stage, instr, copy, ctx);
        if (outcome === null) continue;
        if ('edits' in outcome) result.fixes.push(outcome);
        else result.skips.push({ ...outcome, at: instr.start } satisfies SkipProposal);
      }
    }
    return result;
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
): FixProposal | Skip | null {
  const workdir = workdirAt(model, stage, copy);
  // Install paths are relative to the RUN's directory; the manifests must land there.
  const destIsWorkdir =
    full.dest === '.' ||
    full.dest === './' ||
    (workdir !== null && full.dest.replace(/\/+$/, '') === workdir.replace(/\/+$/, ''));
  const list = stage.instructions;
  const installs: { run: Instruction; manifests: Manifest[] }[] = [];
  let problem: Skip | null = null;
  for (let k = list.indexOf(copy) + 1; k < list.length; k++) {
    const i = list[k];
    if (NEUTRAL.has(i.keyword)) continue;
    if (i.keyword !== 'RUN') break;
    const needs = runNeeds(i, ctx);
    if (needs === 'system') continue;
    if (needs === null) break;
    if ('reason' in needs) {
      problem = needs;
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
    if ('reason' in needs) return needs;
    installs++;
    manifests.push(...needs.manifests);
  }
  if (system) return 'system';
  return installs > 0 ? { manifests } : null;
}

function isSystemStep(inv: Invocation): boolean {
  if (SYSTEM_PM.has(inv.name))
    return inv.name !== 'apt-get' && inv.name !== 'apt' ? true : aptSubcommand(inv) !== null;
  if (cacheCleaned(inv)) return true;
  if (inv.name === 'rm') {
    const paths = inv.args.filter((a) => a === null || !a.startsWith('-'));
    return paths.length > 0 && paths.every((p) => p !== null && cachesCovered(p).length > 0);
  }
  return false;
}

const positionals = (args: (string | null)[], withValue: Set<string>): (string | null)[] => {
  const out: (string | null)[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a !== null && withValue.has(a)) i++;
    else if (a === null || !a.startsWith('-')) out.push(a);
  }
  return out;
};

const needsSource = (what: string): Skip =>
  skip('needs-source', `${what} needs more than the manifests, so the source must be copied first`);

/** The manifests one install command reads, a Skip, or null when it is not a known install. */
function installNeeds(inv: Invocation, ctx: BuildContext | null): Needs | null {
  const a = inv.args;
  const pip = pipArgs(inv);
  if (pip !== null) return pipNeeds(pip, ctx);
  const sub = a.find((x) => x === null || !x.startsWith('-'));
  switch (inv.name) {
    case 'npm':
      if (sub !== 'ci' && sub !== 'install' && sub !== 'i') return null;
      if (positionals(a, new Set()).length > 1) return null; // `npm install pkg`: not a manifest install
      return nodeNeeds(ctx, [
        { path: 'package.json', required: true },
        { path: 'package-lock.json', required: false },
        { path: 'npm-shrinkwrap.json', required: false },
        { path: '.npmrc', required: false },
      ]);
    case 'yarn':
      if (sub !== undefined && sub !== 'install') return null;
      return nodeNeeds(ctx, [
        { path: 'package.json', required: true },
        { path: 'yarn.lock', required: false },
        { path: '.yarnrc.yml', required: false },
        { path: '.yarnrc', required: false },
        { path: '.npmrc', required: false },
        { path: '.yarn', required: false, dir: true },
      ]);
    case 'pnpm':
      if (sub !== 'install' && sub !== 'i' && sub !== 'fetch') return null;
      if (ctx?.hasFile('pnpm-workspace.yaml'))
        return skip(
          'workspaces',
          'pnpm-workspace.yaml declares workspaces, whose manifests live in the tree',
        );
      return nodeNeeds(ctx, [
        { path: 'package.json', required: sub !== 'fetch' },
        { path: 'pnpm-lock.yaml', required: sub === 'fetch' },
        { path: '.pnpmfile.cjs', required: false },
        { path: '.npmrc', required: false },
        { path: 'patches', required: false, dir: true },
      ]);
    case 'go':
      if (a[0] !== 'mod' || a[1] !== 'download') return null;
      if (ctx && /^\s*replace\s.*=>\s*\.{1,2}\//m.test(ctx.read('go.mod') ?? '')) {
        return needsSource('go.mod replaces a module with a local directory; `go mod download`');
      }
      return {
        manifests: [
          { path: 'go.mod', required: true },
          { path: 'go.sum', required: false },
        ],
      };
    case 'bundle':
      if (sub !== 'install') return null;
      if (ctx && /^\s*gemspec\b|path:\s*['"]/m.test(ctx.read('Gemfile') ?? '')) {
        return needsSource('the Gemfile uses `gemspec` or `path:`; `bundle install`');
      }
      return {
        manifests: [
          { path: 'Gemfile', required: true },
          { path: 'Gemfile.lock', required: false },
        ],
      };
    case 'composer':
      if (sub !== 'install') return null;
      if (!a.includes('--no-scripts') || !a.includes('--no-autoloader')) {
        return needsSource(
          '`composer install` without `--no-scripts --no-autoloader` runs scripts and builds the autoloader; it',
        );
      }
      return {
        manifests: [
          { path: 'composer.json', required: true },
          { path: 'composer.lock', required: false },
        ],
      };
    case 'mvn':
    case './mvnw':
      if (!a.some((x) => x !== null && /^(dependency:go-offline|.*:go-offline)$/.test(x))) return null;
      if (ctx && /<modules>/.test(ctx.read('pom.xml') ?? '')) {
        return skip('workspaces', 'pom.xml has modules, whose poms live in the tree');
      }
      return { manifests: [{ path: 'pom.xml', required: true }] };
    case 'cargo':
      if (sub !== 'fetch') return null;
      if (ctx && /^\s*\[workspace\]/m.test(ctx.read('Cargo.toml') ?? '')) {
        return skip('workspaces', 'Cargo.toml declares a workspace, whose members live in the tree');
      }
      return {
        manifests: [
          { path: 'Cargo.toml', required: true },
          { path: 'Cargo.lock', required: false },
        ],
      };
    case 'pipenv':
      if (sub !== 'install' || positionals(a, new Set()).length > 1) return null;
      return {
        manifests: [
          { path: 'Pipfile', required: true },
          { path: 'Pipfile.lock', required: false },
        ],
      };
    case 'poetry':
      if (sub !== 'install') return null;
      if (!a.includes('--no-root'))
        return needsSource('`poetry install` without `--no-root` installs the project itself and');
      return {
        manifests: [
          { path: 'pyproject.toml', required: true },
          { path: 'poetry.lock', required: false },
          { path: 'poetry.toml', required: false },
        ],
      };
    case 'uv':
      if (sub !== 'sync') return null;
      if (!a.includes('--no-install-project')) {
        return needsSource('`uv sync` without `--no-install-project` installs the project itself and');
      }
      return {
        manifests: [
          { path: 'pyproject.toml', required: true },
          { path: 'uv.lock', required: false },
        ],
      };
    default:
      return null;
  }
}

const PIP_WITH_VALUE = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '--trusted-host',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--src',
  '--upgrade-strategy',
  '--progress-bar',
  '--log',
  '--cache-dir',
  '--timeout',
  '--retries',
  '--proxy',
  '--cert',
  '--client-cert',
  '--global-option',
  '--config-settings',
  '-C',
  '--only-binary',
  '--no-binary',
]);

/** pip install: the requirement and constraint files (and those they include), unless it installs from the tree. */
function pipNeeds(args: (string | null)[], ctx: BuildContext | null): Needs | null {
  if (args[0] !== 'install') return null;
  const rest = args.slice(1);
  if (rest.some((x) => x === null)) return null;
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const x = rest[i]!;
    if (x === '-e' || x === '--editable') return needsSource('`pip install -e`');
    if (x === '-r' || x === '--requirement' || x === '-c' || x === '--constraint') {
      files.push(rest[++i]!);
      continue;
    }
    const eq = /^(--requirement|--constraint)=(.*)$/.exec(x) ?? /^-[rc](.+)$/.exec(x);
    if (eq) {
      files.push(eq[2] ?? eq[1]);
      continue;
    }
    if (PIP_WITH_VALUE.has(x)) {
      if ((x === '-f' || x === '--find-links') && !/^[a-z]+:\/\//.test(rest[i + 1] ?? '')) {
        return needsSource('`pip install --find-links` of a local directory');
      }
      i++;
      continue;
    }
    if (x.startsWith('-')) continue;
    // A positional: a package name is fine; a path or archive is the tree.
    if (/^\.|\/|\.(whl|zip|tar\.gz|tgz)$|^file:/.test(x)) return needsSource(`\`pip install ${x}\``);
  }
  if (files.length === 0) return null;
  const manifests: Manifest[] = [];
  const seen = new Set<string>();
  const visit = (file: string, depth: number): Skip | null => {
    const n = BuildContext.normalize(file);
    if (n === null || seen.has(n)) return null;
    seen.add(n);
    manifests.push({ path: n, required: true });
    if (!ctx || depth > 10) return null;
    const text = ctx.read(n);
    if (text === null) return null;
    const base = n.includes('/') ? n.slice(0, n.lastIndexOf('/') + 1) : '';
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.replace(/(^|\s)#.*$/, '').trim();
      if (!line) continue;
      const inc = /^(?:-r|--requirement|-c|--constraint)(?:\s+|=)?(\S+)$/.exec(line);
      if (inc) {
        const p = visit(base + inc[1], depth + 1);
        if (p) return p;
        continue;
      }
      if (/^(-e|--editable)\b/.test(line) || /^(\.|\/)|^file:|@\s*file:/.test(line)) {
        return needsSource(`\`${n}\` names a local path (\`${line}\`), so pip`);
      }
    }
    return null;
  };
  for (const f of files) {
    const p = visit(f, 0);
    if (p) return p;
  }
  return { manifests };
}

/** npm/yarn/pnpm: skip lifecycle scripts, workspaces and local dependencies (they need the tree). */
function nodeNeeds(ctx: BuildContext | null, manifests: Manifest[]): Needs {
  const text = ctx?.read('package.json');
  if (text) {
    let pkg: Record<string, unknown>;
    try {
      pkg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return skip('manifest-unreadable', 'package.json is not valid JSON');
    }
    const scripts = (pkg.scripts ?? {}) as Record<string, unknown>;
    const hooks = ['preinstall', 'install', 'postinstall', 'prepare'].filter((h) => h in scripts);
    if (hooks.length > 0) {
      return skip(
        'lifecycle-scripts',
        `package.json has \`${hooks.join('`, `')}\` scripts, which run during the install and may read the tree`,
      );
    }
    if (pkg.workspaces)
      return skip('workspaces', 'package.json declares workspaces, whose manifests live in the tree');
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      for (const [name, spec] of Object.entries((pkg[field] ?? {}) as Record<string, unknown>)) {
        if (typeof spec === 'string' && /^(file:|link:|portal:|\.{1,2}\/)/.test(spec)) {
          return skip(
            'local-dependency',
            `package.json depends on \`${name}\` from a local path (\`${spec}\`)`,
          );
        }
      }
    }
  }
  return { manifests };
}
