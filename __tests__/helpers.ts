import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** BuildKit's own parser and flag validation (shared/tools/bkcheck), the validity oracle. */
export function bkcheckPath(): string {
  const p = process.env.BKCHECK ?? path.resolve(repoRoot, '..', 'shared', 'tools', 'bkcheck', 'bkcheck');
  if (!fs.existsSync(p))
    throw new Error(`bkcheck not found at ${p}: put shared/ beside the repo or set BKCHECK`);
  return p;
}

export interface BkResult {
  file: string;
  ok: boolean;
  error?: string;
}

/** Check many files in one bkcheck process. */
export function bkcheck(files: string[]): Map<string, BkResult> {
  const out = new Map<string, BkResult>();
  for (let i = 0; i < files.length; i += 500) {
    const batch = files.slice(i, i + 500);
    const r = spawnSync(bkcheckPath(), batch, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    for (const line of r.stdout.split('\n')) {
      if (!line.trim()) continue;
      const j = JSON.parse(line) as BkResult;
      out.set(j.file, j);
    }
  }
  return out;
}

export function tempDir(prefix = 'dockerfix-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const cliPath = path.join(repoRoot, 'bin', 'dockerfix.js');

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Run the real executable as a subprocess (it needs `npm run build`; jest's globalSetup does it). */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', ...env },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

/** A Dockerfile with a cleanup in its own RUN, and what the default pipeline makes of it. */
export const APT =
  'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n';
// The default (buildkit) pipeline: fold-cleanup moves the cleanup, then apt-cache replaces it with cache mounts.
export const APT_FIXED =
  'FROM debian:bookworm-slim\n' +
  'RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\\n' +
  '    --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n' +
  '    apt-get update && apt-get -o Dir::Cache::Archives=/var/cache/apt/dockerfix-archives/ -o APT::Keep-Downloaded-Packages=true install -y curl\n';

/** Write these files under `root` (paths relative to it). */
export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}

/** A temporary tree with these files (paths relative to its root). */
export function tree(files: Record<string, string>): string {
  const root = tempDir();
  writeFiles(root, files);
  return root;
}

/**
 * A git repository (branch `main`) with these files committed, in a new directory or at `at`. A
 * `.gitignore` given apart is committed with them, after them: the files it matches are tracked.
 */
export function gitRepository(
  files: Record<string, string | Buffer>,
  options: { at?: string; gitignore?: string } = {},
): string {
  const root = options.at ?? tempDir();
  writeFiles(root, files);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A', '-f');
  if (options.gitignore !== undefined) {
    fs.writeFileSync(path.join(root, '.gitignore'), options.gitignore);
    git(root, 'add', '.gitignore');
  }
  git(root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'start');
  return root;
}

export const read = (root: string, rel: string): string => fs.readFileSync(path.join(root, rel), 'utf8');

/** A seeded generator of integers in [0, n) (mulberry32: every bit varies, unlike a float LCG). */
export function random(seed: number): (n: number) => number {
  let state = seed | 0;
  return (n) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}
