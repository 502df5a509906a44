/**
 * Finding Dockerfiles: explicit files, directories (walked, honouring .gitignore, skipping
 * node_modules and .git) and globs. Symlinks found in a walk are never followed out of the tree.
 */
import fsSync, { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { mapLimit } from './map-limit.js';

export interface FoundFile {
  /** The real path to read and write. */
  path: string;
  /** The path to show (relative to the working directory, with forward slashes). */
  display: string;
}

export interface DiscoveryError {
  display: string;
  message: string;
  kind: string;
}

export interface Discovery {
  files: FoundFile[];
  errors: DiscoveryError[];
}

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/** Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile, Containerfile (not the *.dockerignore files beside them). */
export function isDockerfileName(name: string): boolean {
  if (name.endsWith('.dockerignore')) return false;
  return (
    name === 'Dockerfile' ||
    name.startsWith('Dockerfile.') ||
    name.endsWith('.Dockerfile') ||
    name.endsWith('.dockerfile') ||
    name === 'Containerfile' ||
    name.startsWith('Containerfile.')
  );
}

export async function discover(inputs: readonly string[], cwd: string): Promise<Discovery> {
  const seen = new Set<string>();
  const files: FoundFile[] = [];
  const errors: DiscoveryError[] = [];
  const display = (p: string) => toDisplay(cwd, p);
  const realDirectory = realDirectories();
  const add = (real: string, shown: string) => {
    if (seen.has(real)) return;
    seen.add(real);
    files.push({ path: real, display: shown });
  };

  // Named paths are looked up in order (synchronously: each is a system call or two, and an
  // asynchronous round trip per file cost more); patterns are expanded concurrently. The results
  // are applied in the order given, so which name a file is shown under never depends on timing.
  type Step = (() => Promise<void>) | (() => void);
  const explicitStep = (abs: string, shown: string, linkStat?: fsSync.Stats): Step => {
    const local: { errors: DiscoveryError[]; files: [string, string][] } = { errors: [], files: [] };
    addExplicit(
      abs,
      shown,
      (real, sh) => void local.files.push([real, sh]),
      local.errors,
      realDirectory,
      linkStat,
    );
    return () => {
      errors.push(...local.errors);
      for (const [real, sh] of local.files) add(real, sh);
    };
  };
  const named = inputs.length > 0 ? inputs : ['.'];
  const steps: Step[][] = new Array(named.length);
  const patterns: { index: number; error: unknown }[] = [];
  for (let k = 0; k < named.length; k++) {
    const abs = path.resolve(cwd, named[k]);
    let st;
    try {
      st = fsSync.lstatSync(abs);
    } catch (error) {
      patterns.push({ index: k, error });
      continue;
    }
    steps[k] = st.isDirectory()
      ? [() => walk(abs, add, errors, display)]
      : [explicitStep(abs, display(abs), st)];
  }
  await mapLimit(patterns, 32, async ({ index, error }) => {
    const input = named[index];
    // tinyglobby is loaded only when a pattern is given (it is a noticeable part of start-up).
    const { glob, isDynamicPattern } = await import('tinyglobby');
    if (!isDynamicPattern(input)) {
      steps[index] = [
        () => void errors.push({ display: input, message: describeFsError(error), kind: 'not-found' }),
      ];
      return;
    }
    const matches = await glob(input, {
      cwd,
      absolute: true,
      onlyFiles: true,
      dot: true,
      followSymbolicLinks: false,
      ignore: ['**/node_modules/**', '**/.git/**'],
    });
    steps[index] =
      matches.length === 0
        ? [
            () =>
              void errors.push({ display: input, message: 'no files match this pattern', kind: 'not-found' }),
          ]
        : matches.sort().map((m) => explicitStep(path.resolve(m), display(m)));
  });
  for (const list of steps) for (const step of list) await step();
  files.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  errors.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  return { files, errors };
}

/** `realpath` of directories, remembered for one discovery. */
function realDirectories(): (dir: string) => string {
  const known = new Map<string, string>();
  return (dir) => {
    let real = known.get(dir);
    if (real === undefined) {
      real = fsSync.realpathSync.native(dir);
      known.set(dir, real);
    }
    return real;
  };
}

function addExplicit(
  abs: string,
  shown: string,
  add: (real: string, shown: string) => void,
  errors: DiscoveryError[],
  realDirectory: (dir: string) => string,
  /** lstat of `abs`, when the caller has it: a regular file needs no second stat. */
  linkStat?: fsSync.Stats,
): void {
  // A path named on the command line is what the user asked for: follow it if it is a symlink.
  // A file that is no symlink is its directory's real path plus its name, so the system's
  // realpath (which checks every component: 6 system calls a file in the corpus) runs once per
  // directory; synchronously, as a thread-pool round trip per file cost more.
  let real: string;
  try {
    real =
      linkStat && !linkStat.isSymbolicLink()
        ? path.join(realDirectory(path.dirname(abs)), path.basename(abs))
        : fsSync.realpathSync.native(abs);
  } catch (err) {
    errors.push({ display: shown, message: describeLinkError(err), kind: 'unreadable' });
    return;
  }
  const st = linkStat && !linkStat.isSymbolicLink() ? linkStat : fsSync.statSync(real);
  if (st.isDirectory()) {
    errors.push({ display: shown, message: 'is a directory', kind: 'unreadable' });
  } else if (!st.isFile()) {
    errors.push({ display: shown, message: 'not a regular file', kind: 'unreadable' });
  } else {
    add(real, shown);
  }
}

interface IgnoreLevel {
  dir: string;
  matcher: Ignore;
}

async function walk(
  root: string,
  add: (real: string, shown: string) => void,
  errors: DiscoveryError[],
  display: (p: string) => string,
): Promise<void> {
  const realRoot = await fs.realpath(root);
  const levels = await ancestorIgnores(realRoot);

  const visit = async (dir: string, levelsHere: IgnoreLevel[]): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      errors.push({ display: display(dir), message: describeFsError(err), kind: 'unreadable' });
      return;
    }
    const own = await readIgnoreFile(dir);
    const active = own ? [...levelsHere, own] : levelsHere;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (SKIPPED_DIRS.has(e.name)) continue;
      const full = path.join(dir, e.name);
      if (isIgnored(active, full, e.isDirectory())) continue;
      if (e.isDirectory()) {
        if (isDockerfileName(e.name)) {
          errors.push({
            display: display(full),
            message: 'is a directory, not a Dockerfile',
            kind: 'unreadable',
          });
        }
        await visit(full, active);
      } else if (e.isFile()) {
        if (isDockerfileName(e.name)) add(full, display(full));
      } else if (e.isSymbolicLink() && isDockerfileName(e.name)) {
        await addLink(full, realRoot, add, errors, display);
      }
    }
  };
  await visit(realRoot, levels);
}

async function addLink(
  link: string,
  realRoot: string,
  add: (real: string, shown: string) => void,
  errors: DiscoveryError[],
  display: (p: string) => string,
): Promise<void> {
  let real: string;
  try {
    real = await fs.realpath(link);
  } catch (err) {
    errors.push({ display: display(link), message: describeLinkError(err), kind: 'unreadable' });
    return;
  }
  const rel = path.relative(realRoot, real);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    errors.push({
      display: display(link),
      message: `symlink points outside the tree (${real}); not followed`,
      kind: 'outside-tree',
    });
    return;
  }
  const st = await fs.stat(real);
  if (st.isFile()) add(real, display(real));
}

/** .gitignore files from the repository root down to (not including) dir, plus .git/info/exclude. */
async function ancestorIgnores(dir: string): Promise<IgnoreLevel[]> {
  const chain: string[] = [];
  let cur = path.dirname(dir);
  let gitRoot: string | null = (await exists(path.join(dir, '.git'))) ? dir : null;
  while (gitRoot === null) {
    chain.unshift(cur);
    if (await exists(path.join(cur, '.git'))) gitRoot = cur;
    const parent = path.dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  if (gitRoot === null) return [];
  const levels: IgnoreLevel[] = [];
  const exclude = await readText(path.join(gitRoot, '.git', 'info', 'exclude'));
  if (exclude) levels.push({ dir: gitRoot, matcher: ignore().add(exclude) });
  for (const d of chain) {
    const lvl = await readIgnoreFile(d);
    if (lvl) levels.push(lvl);
  }
  return levels;
}

async function readIgnoreFile(dir: string): Promise<IgnoreLevel | null> {
  const text = await readText(path.join(dir, '.gitignore'));
  return text ? { dir, matcher: ignore().add(text) } : null;
}

/** Git semantics, approximately: deeper .gitignore files override shallower ones. */
function isIgnored(levels: IgnoreLevel[], full: string, isDir: boolean): boolean {
  let ignored = false;
  for (const { dir, matcher } of levels) {
    const rel = path.relative(dir, full).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('..')) continue;
    const r = matcher.test(isDir ? rel + '/' : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

async function readText(p: string): Promise<string | null> {
  try {
    return await fs.readFile(p, 'utf8');
  } catch {
    return null;
  }
}

export function toDisplay(cwd: string, p: string): string {
  const rel = path.relative(cwd, p);
  const shown =
    rel === '' ? '.' : rel.startsWith('..') && path.isAbsolute(p) && rel.split(path.sep).length > 3 ? p : rel;
  return shown.split(path.sep).join('/');
}

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symlink loop';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a path component is not a directory';
    default:
      return (err as Error).message;
  }
}

function describeLinkError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'broken symlink (its target does not exist)';
  if (code === 'ELOOP') return 'symlink loop';
  return describeFsError(err);
}
