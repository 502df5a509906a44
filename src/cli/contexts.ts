/**
 * Build-context inference: which directory each Dockerfile is built from, read from the files the
 * repository already has — compose files, bake files, CI workflows (GitHub, GitLab), Makefiles,
 * shell scripts and skaffold configs. `--context` and the config's `context` mapping win over it
 * (config.ts); a Dockerfile no file names keeps its own directory.
 *
 * The repository is the nearest directory above the Dockerfile that holds `.git`, else the
 * directory the run was given. Its build files are found by one bounded walk per run (shared
 * through the run cache) and every build they name is resolved on disk: a reference counts only
 * when its Dockerfile and its context directory exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunCache } from '../disk/build-context.js';
import {
  bakeBuilds,
  composeBuilds,
  gitlabBuilds,
  makefileBuilds,
  scriptBuilds,
  skaffoldBuilds,
  workflowBuilds,
  type BuildReference,
} from '../tools/docker-build.js';

export interface InferredContext {
  /** The context directory (absolute). */
  dir: string;
  /** Where it was found: `docker-compose.yml: service api` (paths relative to the repository). */
  origin: string;
}

/** Directories never searched for build files (dependencies, caches, version control). */
const SKIPPED = new Set([
  'node_modules',
  'vendor',
  '.git',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  'target',
  'dist',
]);
/** Hidden directories that hold build files. */
const HIDDEN_KEPT = new Set(['.github', '.gitlab', '.devcontainer', '.circleci', '.docker']);
const MAX_DEPTH = 10;
const MAX_ENTRIES = 200_000;
const MAX_FILE_BYTES = 512 * 1024;

type Reader = (text: string) => BuildReference[];

/** The reader for a build file, by its name and place; null for other files. */
function readerFor(rel: string): Reader | null {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  if (/^(docker-)?compose([.-].*)?\.ya?ml$/i.test(name)) return composeBuilds;
  if (/^docker-bake.*\.hcl$/.test(name)) return (t) => bakeBuilds(t, false);
  if (/^docker-bake.*\.json$/.test(name)) return (t) => bakeBuilds(t, true);
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(rel)) return workflowBuilds;
  if (name === '.gitlab-ci.yml') return gitlabBuilds;
  if (/^skaffold.*\.ya?ml$/.test(name)) return skaffoldBuilds;
  if (/^(GNUmakefile|[Mm]akefile|.*\.mk)$/.test(name)) return makefileBuilds;
  if (/\.(sh|bash)$/.test(name)) return scriptBuilds;
  return null;
}

/** Run-cache entries that stay valid for a whole run (build files are not written by it). */
export const isRunWide = (key: string): boolean => key.startsWith('contexts:') || key.startsWith('git-root:');

/** The repository a Dockerfile belongs to: the nearest directory above it with `.git`, else `fallback`. */
export function repositoryRoot(dockerfile: string, fallback: string | null, cache: RunCache | null): string {
  const start = path.dirname(path.resolve(dockerfile));
  const key = `git-root:${start}`;
  const known = cache?.get(key) as string | null | undefined;
  let root: string | null | undefined = known;
  if (root === undefined) {
    root = null;
    for (let d = start; ; d = path.dirname(d)) {
      if (fs.existsSync(path.join(d, '.git'))) {
        root = d;
        break;
      }
      if (path.dirname(d) === d) break;
    }
    cache?.set(key, root);
  }
  if (root !== null) return root;
  const hint = fallback ? path.resolve(fallback) : null;
  return hint && (start === hint || start.startsWith(hint + path.sep)) ? hint : start;
}

/** Every build file under the root, by a bounded walk. */
function buildFiles(root: string): string[] {
  const out: string[] = [];
  let budget = MAX_ENTRIES;
  const walk = (rel: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (--budget < 0) return;
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (depth >= MAX_DEPTH || SKIPPED.has(e.name) || (e.name.startsWith('.') && !HIDDEN_KEPT.has(e.name)))
          continue;
        walk(child, depth + 1);
      } else if (e.isFile() && readerFor(child)) out.push(child);
    }
  };
  walk('', 0);
  return out;
}

const isDir = (p: string) => {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** Dockerfile (absolute, real) → the contexts the repository's build files give it. */
function buildIndex(root: string): Map<string, InferredContext[]> {
  const index = new Map<string, InferredContext[]>();
  const add = (dockerfile: string, dir: string, origin: string) => {
    let real: string;
    try {
      if (!fs.statSync(dockerfile).isFile() || !isDir(dir)) return;
      real = fs.realpathSync(dockerfile);
    } catch {
      return;
    }
    const list = index.get(real) ?? [];
    const same = list.find((c) => c.dir === dir);
    if (same) {
      if (!same.origin.split('; ').includes(origin)) same.origin += `; ${origin}`;
    } else list.push({ dir, origin });
    index.set(real, list);
  };
  for (const rel of buildFiles(root)) {
    const file = path.join(root, rel);
    let text: string;
    try {
      if (fs.statSync(file).size > MAX_FILE_BYTES) continue;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    let refs: BuildReference[];
    try {
      refs = readerFor(rel)!(text);
    } catch {
      continue;
    }
    const isScript = /\.(sh|bash)$/.test(rel);
    for (const ref of refs) {
      // A script may be run from its own directory or from the repository root: both are tried,
      // and only a build whose Dockerfile and context exist counts.
      const bases =
        ref.base.from === 'root'
          ? [path.resolve(root, ref.base.dir)]
          : [
              path.resolve(path.dirname(file), ref.base.dir),
              ...(isScript ? [path.resolve(root, ref.base.dir)] : []),
            ];
      for (const base of new Set(bases)) {
        const context = path.resolve(base, ref.context);
        const dockerfile =
          ref.dockerfile === null
            ? path.join(context, 'Dockerfile')
            : path.resolve(ref.dockerfileFrom === 'base' ? base : context, ref.dockerfile);
        add(dockerfile, context, `${rel}: ${ref.what}`);
      }
    }
  }
  return index;
}

/**
 * The build contexts a Dockerfile is built with, as its repository's build files say (in the
 * order found); empty when no file names it.
 */
export function inferContexts(
  dockerfile: string,
  fallbackRoot: string | null,
  cache: RunCache | null,
): InferredContext[] {
  const root = repositoryRoot(dockerfile, fallbackRoot, cache);
  const key = `contexts:${root}`;
  let index = cache?.get(key) as Map<string, InferredContext[]> | undefined;
  if (!index) {
    index = buildIndex(root);
    cache?.set(key, index);
  }
  let real: string;
  try {
    real = fs.realpathSync(dockerfile);
  } catch {
    return [];
  }
  return (index.get(real) ?? []).map((c) => ({ ...c }));
}
