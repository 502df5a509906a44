/**
 * The build context as the builder will see it: files that exist and that `.dockerignore` (or the
 * Dockerfile's own `<name>.dockerignore`) does not exclude, matched with Docker's own rules
 * (@balena/dockerignore is a port of Docker's Go implementation).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { RunCache, TransformContext } from '../core/transform.js';

export interface DockerIgnore {
  add(patterns: string): DockerIgnore;
  ignores(path: string): boolean;
}
// A CommonJS module whose typings declare an ES default export: load it as what it is at runtime.
export const dockerignore = createRequire(import.meta.url)('@balena/dockerignore') as (o?: {
  ignorecase?: boolean;
}) => DockerIgnore;

const opened = new WeakMap<TransformContext, BuildContext | null>();

/** What a directory holds, read once per run (see RunCache). */
interface DirectoryFacts {
  /** Top-level names, or null when the directory (or its .dockerignore) cannot be read. */
  entries: string[] | null;
  /** The parsed `.dockerignore` beside the entries, or null without one. */
  sharedIgnore: { file: string; matcher: DockerIgnore } | null;
  /** Names seen by a bounded walk (see `seen()`), computed when first asked for. */
  seen?: Set<string>;
}

function directoryFacts(dir: string, cache: RunCache | null | undefined): DirectoryFacts {
  const key = `build-context:${dir}`;
  const known = cache?.get(key) as DirectoryFacts | undefined;
  if (known) return known;
  let entries: string[] | null = null;
  try {
    if (fs.statSync(dir).isDirectory()) entries = fs.readdirSync(dir);
  } catch {
    entries = null;
  }
  let sharedIgnore: DirectoryFacts['sharedIgnore'] = null;
  const file = path.join(dir, '.dockerignore');
  if (entries?.includes('.dockerignore') && fs.existsSync(file)) {
    try {
      sharedIgnore = {
        file,
        matcher: dockerignore({ ignorecase: false }).add(fs.readFileSync(file, 'utf8')),
      };
    } catch {
      entries = null;
    }
  }
  const facts: DirectoryFacts = { entries, sharedIgnore };
  cache?.set(key, facts);
  return facts;
}

export class BuildContext {
  private readonly ignorer: DockerIgnore | null;
  readonly ignoreFile: string | null;

  private constructor(
    readonly dir: string,
    dockerfile: string | null,
    private readonly facts: DirectoryFacts,
  ) {
    const own = dockerfile ? `${dockerfile}.dockerignore` : null;
    if (own && fs.existsSync(own)) {
      this.ignoreFile = own;
      this.ignorer = dockerignore({ ignorecase: false }).add(fs.readFileSync(own, 'utf8'));
    } else {
      this.ignoreFile = facts.sharedIgnore?.file ?? null;
      this.ignorer = facts.sharedIgnore?.matcher ?? null;
    }
  }

  /**
   * The build context of the file a fix run is about, read once per run (the context object lives
   * for one `fixText` call) and shared by the transforms and passes that need it.
   */
  static of(context: TransformContext): BuildContext | null {
    if (!opened.has(context))
      opened.set(
        context,
        BuildContext.open(context.contextDir ?? null, context.filePath, context.runCache ?? null),
      );
    return opened.get(context)!;
  }

  /** The context of a Dockerfile, or null when it cannot be read (not a directory, no access). */
  static open(
    dir: string | null,
    dockerfile: string | null,
    cache: RunCache | null = null,
  ): BuildContext | null {
    if (!dir) return null;
    const resolved = path.resolve(dir);
    const facts = directoryFacts(resolved, cache);
    if (facts.entries === null) return null;
    try {
      return new BuildContext(resolved, dockerfile, facts);
    } catch {
      return null;
    }
  }

  /** A context-relative path, normalised (`./a//b/` → `a/b`), or null when it leaves the context. */
  static normalize(rel: string): string | null {
    const n = path.posix.normalize(rel.replace(/\\/g, '/')).replace(/\/+$/, '');
    if (n === '..' || n.startsWith('../') || n.startsWith('/')) return null;
    return n === '' ? '.' : n;
  }

  excluded(rel: string): boolean {
    return this.ignorer !== null && rel !== '.' && this.ignorer.ignores(rel);
  }

  /** A regular file of the context that the builder will send. */
  hasFile(rel: string): boolean {
    return this.kind(rel) === 'file';
  }

  /** A directory of the context that the builder will send (not excluded as a whole). */
  hasDir(rel: string): boolean {
    return this.kind(rel) === 'dir';
  }

  private kind(rel: string): 'file' | 'dir' | null {
    const n = BuildContext.normalize(rel);
    if (n === null || this.excluded(n)) return null;
    try {
      const st = fs.statSync(path.join(this.dir, n));
      return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : null;
    } catch {
      return null;
    }
  }

  read(rel: string): string | null {
    if (!this.hasFile(rel)) return null;
    try {
      return fs.readFileSync(path.join(this.dir, BuildContext.normalize(rel)!), 'utf8');
    } catch {
      return null;
    }
  }

  /** Top-level entries (for choosing .dockerignore entries). */
  entries(): string[] {
    return this.facts.entries ?? [];
  }

  /**
   * Names seen in the context (directories by name, Python files as `*.py`, `.DS_Store`), by a
   * walk bounded in depth and entries.
   */
  seen(): Set<string> {
    this.facts.seen ??= scan(this.dir);
    return this.facts.seen;
  }
}

function scan(root: string): Set<string> {
  const seen = new Set<string>();
  let budget = 5000;
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (--budget < 0) return;
      if (e.name === '.DS_Store') seen.add('.DS_Store');
      if (e.isFile() && e.name.endsWith('.py')) seen.add('*.py');
      if (!e.isDirectory() || e.isSymbolicLink()) continue;
      if (e.name === 'node_modules' || e.name === '__pycache__') {
        seen.add(e.name);
        continue;
      }
      if (e.name === '.git' || depth >= 6) continue;
      walk(path.join(dir, e.name), depth + 1);
    }
  };
  walk(root, 0);
  return seen;
}
