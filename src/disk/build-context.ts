/**
 * Build contexts read from the disk: a FileTree over a directory, remembered for the files of one
 * run (a monorepo's Dockerfiles often share a context), and the ignore file that applies.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BuildContextSource, DirEntry, FileTree } from '../core/file-tree.js';

/**
 * What one run has read of the file system around its Dockerfiles, shared by its files. Whoever
 * writes beside a Dockerfile clears it.
 */
export type RunCache = Map<string, unknown>;

const CREATED = 'created';
const TREE = 'tree:';

/**
 * A file this run created, or in a dry run would have created (a proposed .dockerignore): the
 * files after it see it as if it were on disk, so that a dry run shows what --write does.
 */
export function recordCreatedFile(cache: RunCache, file: string, content: string): void {
  const created = (cache.get(CREATED) as Map<string, string> | undefined) ?? new Map<string, string>();
  created.set(file, content);
  cache.set(CREATED, created);
  // The directories around it changed: later files read them afresh.
  for (const key of [...cache.keys()]) if (key.startsWith(TREE)) cache.delete(key);
}

class DiskTree implements FileTree {
  private readonly lists = new Map<string, readonly DirEntry[] | null>();
  private readonly kinds = new Map<string, 'file' | 'dir' | null>();

  constructor(
    readonly root: string,
    /** Files created by this run (absolute path → content), seen as if on disk. */
    private readonly created: ReadonlyMap<string, string> = new Map(),
  ) {}

  list(rel: string): readonly DirEntry[] | null {
    let entries = this.lists.get(rel);
    if (entries === undefined) {
      try {
        entries = fs.readdirSync(path.join(this.root, rel), { withFileTypes: true }).map((e) => ({
          name: e.name,
          type: e.isSymbolicLink() ? 'symlink' : e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other',
        }));
      } catch {
        entries = null;
      }
      const dir = path.join(this.root, rel);
      for (const file of this.created.keys()) {
        const name = path.basename(file);
        if (entries && path.dirname(file) === dir && !entries.some((e) => e.name === name))
          entries = [...entries, { name, type: 'file' }];
      }
      this.lists.set(rel, entries);
    }
    return entries;
  }

  kind(rel: string): 'file' | 'dir' | null {
    if (this.created.has(path.join(this.root, rel))) return 'file';
    let k = this.kinds.get(rel);
    if (k === undefined) {
      try {
        const st = fs.statSync(path.join(this.root, rel));
        k = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : null;
      } catch {
        k = null;
      }
      this.kinds.set(rel, k);
    }
    return k;
  }

  read(rel: string): string | null {
    const created = this.created.get(path.join(this.root, rel));
    if (created !== undefined) return created;
    try {
      return fs.readFileSync(path.join(this.root, rel), 'utf8');
    } catch {
      return null;
    }
  }
}

/** The tree of a directory, shared through the run cache. */
export function diskFileTree(dir: string, cache: RunCache | null = null): FileTree & { root: string } {
  const key = TREE + dir;
  const known = cache?.get(key) as DiskTree | undefined;
  if (known) return known;
  const tree = new DiskTree(dir, cache?.get(CREATED) as Map<string, string> | undefined);
  cache?.set(key, tree);
  return tree;
}

/**
 * The build context of a Dockerfile in `dir`, or null when the directory (or its ignore file)
 * cannot be read. The Dockerfile's own `<name>.dockerignore` wins over the context's `.dockerignore`.
 */
export function openBuildContext(
  dir: string | null,
  dockerfile: string | null,
  origin: string,
  cache: RunCache | null = null,
): BuildContextSource | null {
  if (!dir) return null;
  const resolved = path.resolve(dir);
  const files = diskFileTree(resolved, cache);
  const entries = files.list('.');
  if (entries === null) return null;
  let ignoreFile: BuildContextSource['ignoreFile'] = null;
  const own = dockerfile ? `${dockerfile}.dockerignore` : null;
  try {
    if (own && fs.existsSync(own)) {
      ignoreFile = { path: own, content: fs.readFileSync(own, 'utf8') };
    } else if (entries.some((e) => e.name === '.dockerignore')) {
      const content = files.read('.dockerignore');
      if (content !== null) ignoreFile = { path: path.join(resolved, '.dockerignore'), content };
    }
  } catch {
    return null;
  }
  return { dir: resolved, files, ignoreFile, origin };
}
