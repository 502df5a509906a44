/**
 * A read-only view of a directory tree: how transforms see a build context. The command line
 * passes one backed by the disk (src/disk/), tests and API users an in-memory one (memoryFileTree).
 */

/** What a directory entry is, as listed (a symlink is not followed). */
export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

export interface DirEntry {
  name: string;
  type: EntryType;
}

/** Paths are relative POSIX paths inside the tree, already normalised (`a/b`; `.` is the root). */
export interface FileTree {
  /** The entries of a directory, or null when it is not a readable directory. */
  list(rel: string): readonly DirEntry[] | null;
  /** What a path is, symlinks followed, or null when it does not exist or cannot be read. */
  kind(rel: string): 'file' | 'dir' | null;
  /** A file's text, or null. */
  read(rel: string): string | null;
}

/** The build context of one build of a Dockerfile. */
export interface BuildContextSource {
  /** The context directory (absolute): reports name it, and new files (a .dockerignore) go there. */
  dir: string;
  files: FileTree;
  /**
   * The ignore file that applies: the Dockerfile's own `<name>.dockerignore` if it has one, else the
   * context's `.dockerignore`; null without one.
   */
  ignoreFile: { path: string; content: string } | null;
  /** How the context was chosen (`default: the Dockerfile's directory`, `--context`, a compose file, …). */
  origin: string;
}

/**
 * A tree held in memory: `{ 'package.json': '{…}', 'src/app.py': '', 'venv/': null }` (a key ending
 * in `/` is an empty directory). Directories are implied by the paths below them.
 */
export function memoryFileTree(files: Readonly<Record<string, string | null>>): FileTree {
  const fileText = new Map<string, string>();
  const dirs = new Map<string, Map<string, EntryType>>([['.', new Map()]]);
  const addDir = (dir: string): Map<string, EntryType> => {
    let d = dirs.get(dir);
    if (!d) {
      d = new Map();
      dirs.set(dir, d);
      const slash = dir.lastIndexOf('/');
      addDir(slash === -1 ? '.' : dir.slice(0, slash)).set(dir.slice(slash + 1), 'dir');
    }
    return d;
  };
  for (const [raw, content] of Object.entries(files)) {
    const isDir = raw.endsWith('/');
    const p = raw.replace(/^\.\//, '').replace(/\/+$/, '');
    if (isDir) {
      addDir(p);
      continue;
    }
    const slash = p.lastIndexOf('/');
    addDir(slash === -1 ? '.' : p.slice(0, slash)).set(p.slice(slash + 1), 'file');
    fileText.set(p, content ?? '');
  }
  const norm = (rel: string) => (rel === '' ? '.' : rel.replace(/^\.\//, '').replace(/\/+$/, '') || '.');
  return {
    list(rel) {
      const d = dirs.get(norm(rel));
      return d ? [...d].map(([name, type]) => ({ name, type })) : null;
    },
    kind(rel) {
      const n = norm(rel);
      return fileText.has(n) ? 'file' : dirs.has(n) ? 'dir' : null;
    },
    read(rel) {
      return fileText.get(norm(rel)) ?? null;
    },
  };
}
