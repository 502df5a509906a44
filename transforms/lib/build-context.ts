/**
 * The build context as the builder will see it: files that exist and that `.dockerignore` (or the
 * Dockerfile's own `<name>.dockerignore`) does not exclude, matched with Docker's own rules
 * (@balena/dockerignore is a port of Docker's Go implementation).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { TransformContext } from '../../src/transform.js';

export interface DockerIgnore {
  add(patterns: string): DockerIgnore;
  ignores(path: string): boolean;
}
// A CommonJS module whose typings declare an ES default export: load it as what it is at runtime.
export const dockerignore = createRequire(import.meta.url)('@balena/dockerignore') as (o?: {
  ignorecase?: boolean;
}) => DockerIgnore;

const opened = new WeakMap<TransformContext, BuildContext | null>();

export class BuildContext {
  private readonly ignorer: DockerIgnore | null;
  readonly ignoreFile: string | null;

  private constructor(
    readonly dir: string,
    dockerfile: string | null,
  ) {
    const own = dockerfile ? `${dockerfile}.dockerignore` : null;
    const shared = path.join(dir, '.dockerignore');
    this.ignoreFile = own && fs.existsSync(own) ? own : fs.existsSync(shared) ? shared : null;
    this.ignorer = this.ignoreFile
      ? dockerignore({ ignorecase: false }).add(fs.readFileSync(this.ignoreFile, 'utf8'))
      : null;
  }

  /**
   * The build context of the file a fix run is about, read once per run (the context object lives
   * for one `fixText` call) and shared by the transforms and passes that need it.
   */
  static of(context: TransformContext): BuildContext | null {
    if (!opened.has(context))
      opened.set(context, BuildContext.open(context.contextDir ?? null, context.filePath));
    return opened.get(context)!;
  }

  /** The context of a Dockerfile, or null when it cannot be read (not a directory, no access). */
  static open(dir: string | null, dockerfile: string | null): BuildContext | null {
    if (!dir) return null;
    try {
      if (!fs.statSync(dir).isDirectory()) return null;
      fs.readdirSync(dir);
      return new BuildContext(path.resolve(dir), dockerfile);
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
    try {
      return fs.readdirSync(this.dir);
    } catch {
      return [];
    }
  }
}
