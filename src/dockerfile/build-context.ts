/**
 * The build context as the builder will see it: files that exist and that the ignore file does not
 * exclude, matched with Docker's own rules (@balena/dockerignore is a port of Docker's Go code).
 * Read through the read-only BuildContextSource a transform is given; never from the disk.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import type { BuildContextSource, FileTree } from '../core/file-tree.js';
import type { TransformContext } from '../core/transform.js';

export interface DockerIgnore {
  add(patterns: string): DockerIgnore;
  ignores(path: string): boolean;
}
// A CommonJS module whose typings declare an ES default export: load it as what it is at runtime.
export const dockerignore = createRequire(import.meta.url)('@balena/dockerignore') as (o?: {
  ignorecase?: boolean;
}) => DockerIgnore;

/** Parsed ignore files by content: many Dockerfiles of a run share one. */
const matchers = new Map<string, DockerIgnore>();
function matcherFor(content: string): DockerIgnore {
  let m = matchers.get(content);
  if (!m) {
    if (matchers.size >= 256) matchers.clear();
    m = dockerignore({ ignorecase: false }).add(content);
    matchers.set(content, m);
  }
  return m;
}

const opened = new WeakMap<TransformContext, BuildContext[]>();
/** Bounded walks (see seen()) by tree: the files of a run that share a context walk it once. */
const walks = new WeakMap<FileTree, Set<string>>();

export class BuildContext {
  private readonly ignorer: DockerIgnore | null;
  readonly ignoreFile: string | null;
  readonly dir: string;
  private readonly files: FileTree;
  /** How the context was chosen (for messages when a Dockerfile has several). */
  readonly origin: string;
  /** Paths are read relative to this directory of the context ('' for its root): see within(). */
  private readonly prefix: string;

  private constructor(source: BuildContextSource, prefix = '') {
    this.dir = source.dir;
    this.files = source.files;
    this.origin = source.origin;
    this.ignoreFile = source.ignoreFile?.path ?? null;
    this.ignorer = source.ignoreFile ? matcherFor(source.ignoreFile.content) : null;
    this.source = source;
    this.prefix = prefix;
  }

  private readonly source: BuildContextSource;

  /** The build context of the file a fix run is about (one object per run, shared by the passes). */
  static of(context: TransformContext): BuildContext | null {
    return BuildContext.all(context)[0] ?? null;
  }

  /** Every build context the file is built with (none when unknown), in the order given. */
  static all(context: TransformContext): readonly BuildContext[] {
    let all = opened.get(context);
    if (!all) {
      const sources = context.buildContexts ?? (context.buildContext ? [context.buildContext] : []);
      all = sources.map((s) => new BuildContext(s));
      opened.set(context, all);
    }
    return all;
  }

  /**
   * The same context, with relative paths read from its directory `sub` (the directory an install
   * runs in); null when `sub` leaves the context.
   */
  within(sub: string): BuildContext | null {
    const n = BuildContext.normalize(this.resolve(sub) ?? '..');
    if (n === null) return null;
    return new BuildContext(this.source, n === '.' ? '' : n);
  }

  /** A path relative to this view, as a path relative to the context root (null outside it). */
  resolve(rel: string): string | null {
    return BuildContext.normalize(this.prefix ? `${this.prefix}/${rel}` : rel);
  }

  /** A context-relative path, normalised (`./a//b/` → `a/b`), or null when it leaves the context. */
  static normalize(rel: string): string | null {
    const n = path.posix.normalize(rel.replace(/\\/g, '/')).replace(/\/+$/, '');
    if (n === '..' || n.startsWith('../') || n.startsWith('/')) return null;
    return n === '' ? '.' : n;
  }

  /** The ignore file excludes the path (relative to this view). */
  excluded(rel: string): boolean {
    const n = this.resolve(rel);
    return this.ignorer !== null && n !== null && n !== '.' && this.ignorer.ignores(n);
  }

  /** A regular file of the context that the builder will send. */
  hasFile(rel: string): boolean {
    return this.kind(rel) === 'file';
  }

  /** A directory of the context that the builder will send (not excluded as a whole). */
  hasDir(rel: string): boolean {
    return this.kind(rel) === 'dir';
  }

  /** A path exists in the context, whatever the ignore file says. */
  exists(rel: string): boolean {
    const n = this.resolve(rel);
    return n !== null && this.files.kind(n) !== null;
  }

  private kind(rel: string): 'file' | 'dir' | null {
    const n = this.resolve(rel);
    if (n === null || (this.ignorer !== null && n !== '.' && this.ignorer.ignores(n))) return null;
    return this.files.kind(n);
  }

  read(rel: string): string | null {
    if (!this.hasFile(rel)) return null;
    return this.files.read(this.resolve(rel)!);
  }

  /** Names in a directory that the builder sends (null when it is not a directory sent). */
  list(rel: string): string[] | null {
    if (!this.hasDir(rel)) return null;
    const n = this.resolve(rel)!;
    return (this.files.list(n) ?? [])
      .map((e) => e.name)
      .filter((name) => !this.excluded(rel === '.' ? name : `${rel}/${name}`));
  }

  /** Top-level entries (for choosing .dockerignore entries). */
  entries(): string[] {
    return (this.files.list('.') ?? []).map((e) => e.name);
  }

  /**
   * Names seen in the context (directories by name, Python files as `*.py`, `.DS_Store`), by a
   * walk bounded in depth and entries.
   */
  seen(): Set<string> {
    let s = walks.get(this.files);
    if (!s) {
      s = scan(this.files);
      walks.set(this.files, s);
    }
    return s;
  }
}

function scan(files: FileTree): Set<string> {
  const seen = new Set<string>();
  let budget = 5000;
  const walk = (dir: string, depth: number) => {
    const entries = files.list(dir);
    if (!entries) return;
    for (const e of entries) {
      if (--budget < 0) return;
      if (e.name === '.DS_Store') seen.add('.DS_Store');
      if (e.type === 'file' && e.name.endsWith('.py')) seen.add('*.py');
      if (e.type !== 'dir') continue;
      if (e.name === 'node_modules' || e.name === '__pycache__') {
        seen.add(e.name);
        continue;
      }
      if (e.name === '.git' || depth >= 6) continue;
      walk(dir === '.' ? e.name : `${dir}/${e.name}`, depth + 1);
    }
  };
  walk('.', 0);
  return seen;
}
