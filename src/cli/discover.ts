/**
 * Finding Dockerfiles: explicit files, directories and globs. In a git work tree a directory's
 * files are those git lists (tracked ones, even when a .gitignore pattern matches them, and
 * untracked ones that are not ignored); elsewhere it is walked, honouring .gitignore files.
 * node_modules and .git are never searched; symlinks found in a directory are never followed out
 * of it. Each file carries its repository root (the git top level, or the directory searched),
 * which diffs are relative to.
 */
import { spawnSync } from 'node:child_process';
import fsSync, { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { mapLimit } from './map-limit.js';
import { isDockerfileName, nameSkip, type FileSkip } from './names.js';

export interface FoundFile {
  /** The real path to read and write. */
  path: string;
  /** The path to show (relative to the working directory, with forward slashes). */
  display: string;
  /**
   * The repository the file belongs to: its git top level, else the directory searched (for a
   * file named on the command line, the working directory if the file lies under it, else its
   * own directory). Diff paths are relative to it; `--format summary` and `markdown` group by it.
   */
  root: string;
  /**
   * The directory searched (or, for a glob, its leading directories without a wildcard) that found
   * the file: exclusion patterns are relative to it. Null for a file named on the command line, which is never
   * excluded and is an error, not a skip, when it is not a Dockerfile.
   */
  base: string | null;
  /** Left alone for its name (a template, another kind of file), decided by discovery. */
  skip?: FileSkip;
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

export interface DiscoveryOptions {
  /** More Dockerfile names for the files under a searched directory (a config's `names`). */
  extraNames?: (searchedDir: string) => (name: string) => boolean;
}

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/** The file name test for one searched directory: a found name, and whether its name says to skip it. */
interface NameRule {
  matches(name: string): boolean;
  skip(name: string): FileSkip | undefined;
}

function nameRule(extra: (name: string) => boolean): NameRule {
  return {
    matches: (name) => isDockerfileName(name) || extra(name),
    // A name the user listed is a Dockerfile, whatever its extension.
    skip: (name) => (extra(name) ? undefined : (nameSkip(name) ?? undefined)),
  };
}

export async function discover(
  inputs: readonly string[],
  cwd: string,
  options: DiscoveryOptions = {},
): Promise<Discovery> {
  const seen = new Set<string>();
  const files: FoundFile[] = [];
  const errors: DiscoveryError[] = [];
  const display = (p: string) => toDisplay(cwd, p);
  const realDirectory = realDirectories();
  const gitRoot = gitRoots();
  const realCwd = (() => {
    try {
      return realDirectory(cwd);
    } catch {
      return cwd;
    }
  })();
  /** A glob's leading directories without a wildcard (its `vendor` if it starts `vendor/`): exclusions apply below them. */
  const globBase = (pattern: string) => {
    const parts = pattern.split('/');
    const fixed = parts.slice(
      0,
      parts.findIndex((p) => /[*?[\]{}()!]/.test(p)),
    );
    try {
      return realDirectory(path.resolve(cwd, fixed.join('/') || '.'));
    } catch {
      return realCwd;
    }
  };
  const add = (file: FoundFile) => {
    if (seen.has(file.path)) return;
    seen.add(file.path);
    files.push(file);
  };
  /** A named file's repository: its git top level, else the working directory or its own directory. */
  const namedRoot = (real: string) => {
    const dir = path.dirname(real);
    return gitRoot(dir) ?? (isInside(realCwd, real) ? realCwd : dir);
  };

  // Named paths are looked up in order (synchronously: each is a system call or two, and an
  // asynchronous round trip per file cost more); patterns are expanded concurrently. The results
  // are applied in the order given, so which name a file is shown under never depends on timing.
  type Step = (() => Promise<void>) | (() => void);
  /** A file named on the command line (base null), or matched by a glob (base: its fixed directories). */
  const fileStep = (abs: string, shown: string, base: string | null, linkStat?: fsSync.Stats): Step => {
    const local: { errors: DiscoveryError[]; files: FoundFile[] } = { errors: [], files: [] };
    const real = resolveNamed(abs, shown, local.errors, realDirectory, linkStat);
    if (real !== null) {
      const skip = base === null ? undefined : (nameSkip(path.basename(abs)) ?? undefined);
      local.files.push({ path: real, display: shown, root: namedRoot(real), base, skip });
    }
    return () => {
      errors.push(...local.errors);
      for (const f of local.files) add(f);
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
      ? [
          () =>
            searchDirectory(abs, {
              add,
              errors,
              display,
              gitRoot,
              rule: nameRule(options.extraNames?.(abs) ?? (() => false)),
            }),
        ]
      : [fileStep(abs, display(abs), null, st)];
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
        : matches.sort().map((m) => fileStep(path.resolve(m), display(m), globBase(input)));
  });
  for (const list of steps) for (const step of list) await step();
  files.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  errors.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  return { files, errors };
}

const isInside = (dir: string, p: string) => {
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

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

/**
 * The git work tree a directory lies in (the nearest ancestor holding `.git`, a directory or, in
 * submodules and linked work trees, a file), remembered for one discovery; null outside git.
 */
function gitRoots(): (dir: string) => string | null {
  const known = new Map<string, string | null>();
  const find = (dir: string): string | null => {
    let root = known.get(dir);
    if (root !== undefined) return root;
    if (fsSync.existsSync(path.join(dir, '.git'))) root = dir;
    else {
      const parent = path.dirname(dir);
      root = parent === dir ? null : find(parent);
    }
    known.set(dir, root);
    return root;
  };
  return find;
}

/** The real path of a file named on the command line (followed if it is a symlink), or null and an error. */
function resolveNamed(
  abs: string,
  shown: string,
  errors: DiscoveryError[],
  realDirectory: (dir: string) => string,
  /** lstat of `abs`, when the caller has it: a regular file needs no second stat. */
  linkStat?: fsSync.Stats,
): string | null {
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
    return null;
  }
  const st = linkStat && !linkStat.isSymbolicLink() ? linkStat : fsSync.statSync(real);
  if (st.isDirectory()) {
    errors.push({ display: shown, message: 'is a directory', kind: 'unreadable' });
  } else if (!st.isFile()) {
    errors.push({ display: shown, message: 'not a regular file', kind: 'unreadable' });
  } else {
    return real;
  }
  return null;
}

interface Search {
  add: (file: FoundFile) => void;
  errors: DiscoveryError[];
  display: (p: string) => string;
  gitRoot: (dir: string) => string | null;
  rule: NameRule;
}

/** The Dockerfiles of a directory: as git lists them in a work tree, else by walking it. */
async function searchDirectory(dir: string, search: Search): Promise<void> {
  const realDir = await fs.realpath(dir);
  const root = search.gitRoot(realDir);
  const listed = root === null ? null : gitListedFiles(realDir);
  const found = (full: string, name: string) => ({
    path: full,
    display: search.display(full),
    root: root ?? realDir,
    base: realDir,
    skip: search.rule.skip(name),
  });
  if (listed === null) return walk(realDir, (full, name) => search.add(found(full, name)), search);
  for (const rel of listed) {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    if (!search.rule.matches(name) || rel.split('/').includes('node_modules')) continue;
    const full = path.join(realDir, rel);
    let st: fsSync.Stats;
    try {
      st = fsSync.lstatSync(full);
    } catch {
      continue; // tracked but absent from the work tree (deleted, sparse checkout)
    }
    if (st.isFile()) search.add(found(full, name));
    else if (st.isSymbolicLink())
      await addLink(full, realDir, (real) => search.add(found(real, name)), search);
  }
}

/**
 * The files git lists under a directory of a work tree, relative to it: tracked files (even those a
 * .gitignore pattern matches: git never ignores a tracked file) and untracked files that are not
 * ignored. Null when git cannot list them (not installed, or it refuses the repository): the
 * directory is walked instead. No repository setting may run a program here (core.fsmonitor off).
 */
function gitListedFiles(dir: string): string[] | null {
  const r = spawnSync(
    'git',
    ['-c', 'core.fsmonitor=false', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: dir, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  if (r.status !== 0 || r.error) return null;
  // Unmerged files are listed once per stage; nested repositories and submodules as `dir/`.
  return [...new Set(r.stdout.split('\0'))].filter((p) => p !== '' && !p.endsWith('/'));
}

interface IgnoreLevel {
  dir: string;
  matcher: Ignore;
}

/** Walk a directory that git cannot list, honouring .gitignore files; a Dockerfile-named directory is no file. */
async function walk(
  realRoot: string,
  add: (full: string, name: string) => void,
  search: Search,
): Promise<void> {
  const levels = await ancestorIgnores(realRoot);

  const visit = async (dir: string, levelsHere: IgnoreLevel[]): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      search.errors.push({ display: search.display(dir), message: describeFsError(err), kind: 'unreadable' });
      return;
    }
    const own = await readIgnoreFile(dir);
    const active = own ? [...levelsHere, own] : levelsHere;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (SKIPPED_DIRS.has(e.name)) continue;
      const full = path.join(dir, e.name);
      if (isIgnored(active, full, e.isDirectory())) continue;
      if (e.isDirectory()) await visit(full, active);
      else if (!search.rule.matches(e.name)) continue;
      else if (e.isFile()) add(full, e.name);
      else if (e.isSymbolicLink()) await addLink(full, realRoot, (real) => add(real, e.name), search);
    }
  };
  await visit(realRoot, levels);
}

/** A symlink found in a directory: followed only when its target is a file inside that directory. */
async function addLink(
  link: string,
  realRoot: string,
  add: (real: string) => void,
  search: Pick<Search, 'errors' | 'display'>,
): Promise<void> {
  let real: string;
  try {
    real = await fs.realpath(link);
  } catch (err) {
    search.errors.push({
      display: search.display(link),
      message: describeLinkError(err),
      kind: 'unreadable',
    });
    return;
  }
  const rel = path.relative(realRoot, real);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    search.errors.push({
      display: search.display(link),
      message: `symlink points outside the tree (${real}); not followed`,
      kind: 'outside-tree',
    });
    return;
  }
  const st = await fs.stat(real);
  if (st.isFile()) add(real);
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
