/**
 * `npm run repos [DIR]`: the real-repository check. Every repository of ../shared/repos (or DIR,
 * or $DOCKERFIX_REPOS) is laid out as a checkout (../shared/tools/materialize-repo.sh: build files
 * with their content, every other path an empty stand-in) and every Dockerfile in it is fixed as
 * `dockerfix` would fix it there, with the build contexts its compose, bake, CI, Makefile and
 * script files give it. Prints and writes (docs/REPOS.md) the candidates of copy-manifests-first (a
 * `COPY . .` with a dependency install after it in its stage), how many were rewritten, the others
 * by reason, the contexts inferred by source, and errors. Fails on: a candidate with no reason, an
 * output BuildKit rejects where it accepted the input, an output that is not a fixed point, a
 * manifest COPY of a file its build context does not send.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixTextSync, type FixOptions } from '../src/api.js';
import { discover } from '../src/cli/discover.js';
import { inferContexts } from '../src/cli/contexts.js';
import type { RunCache } from '../src/disk/build-context.js';
import { openBuildContext } from '../src/disk/build-context.js';
import { parseDockerfile, type DockerfileModel } from '../src/core/model.js';
import { decodeDockerfile, InputError } from '../src/core/text.js';
import { BuildContext } from '../src/dockerfile/build-context.js';
import { copyArgs } from '../src/dockerfile/copy-args.js';
import { initShellParser } from '../src/shell/index.js';
import { invocations } from '../src/tools/command.js';
import { isDependencyInstall } from '../src/tools/installs.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const reposDir = path.resolve(
  process.argv[2] ?? process.env.DOCKERFIX_REPOS ?? path.join(repoRoot, '..', 'shared', 'repos'),
);
const materialize = path.join(repoRoot, '..', 'shared', 'tools', 'materialize-repo.sh');
const bkcheck = process.env.BKCHECK ?? path.join(repoRoot, '..', 'shared', 'tools', 'bkcheck', 'bkcheck');
const writeDoc =
  process.argv[2] === undefined && !process.env.DOCKERFIX_REPOS && process.env.DOCKERFIX_REPOS_DOC !== '0';
const TRANSFORM = 'copy-manifests-first';

interface Candidate {
  file: string;
  line: number;
  outcome: string;
  message: string;
}

const tally = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);

/** `COPY . X` / `ADD . X` from the context followed, in its stage, by a RUN that installs dependencies. */
function candidateLines(model: DockerfileModel): number[] {
  const out: number[] = [];
  for (const stage of model.stages) {
    stage.instructions.forEach((instr, k) => {
      const args = copyArgs(model, instr);
      if (!args || !args.fromContext || args.json || args.sources.length !== 1) return;
      if (args.sources[0] !== '.' && args.sources[0] !== './') return;
      if (instr.flags.some((f) => f.name === 'parents' || f.name === 'exclude')) return;
      const installs = stage.instructions.slice(k + 1).some((i) => {
        const script = i.keyword === 'RUN' ? i.script() : null;
        return script !== null && invocations(script).some(isDependencyInstall);
      });
      if (installs) out.push(instr.startLine + 1);
    });
  }
  return out;
}

/** The source kind of an inferred context's origin (`docker-compose.yml: service api` → compose). */
function sourceKind(origin: string): string {
  const file = origin.split(':')[0];
  const name = file.split('/').pop() ?? '';
  if (/compose/i.test(name)) return 'compose';
  if (/^docker-bake/.test(name)) return 'bake';
  if (file.includes('.github/workflows/')) return 'GitHub workflow';
  if (name === '.gitlab-ci.yml') return 'GitLab CI';
  if (/^skaffold/.test(name)) return 'skaffold';
  if (/akefile|\.mk$/.test(name)) return 'Makefile';
  return 'script';
}

/** COPY sources of the output that the input did not have must be files the context sends. */
function missingCopySources(input: string, output: string, contexts: BuildContext[]): string[] {
  const before = new Set(parseDockerfile(input).instructions.map((i) => i.text));
  const model = parseDockerfile(output);
  const out: string[] = [];
  for (const i of model.instructions) {
    if (before.has(i.text)) continue;
    const args = copyArgs(model, i);
    if (!args?.fromContext) continue;
    for (const s of args.sources) {
      if (/[*?[]/.test(s) || s === '.' || s === './') continue;
      for (const ctx of contexts)
        if (!ctx.hasFile(s) && !ctx.hasDir(s))
          out.push(`\`${s}\` (line ${i.startLine + 1}) not sent by ${ctx.dir}`);
    }
  }
  return out;
}

function runBkcheck(files: string[]): Map<string, boolean> {
  const verdicts = new Map<string, boolean>();
  for (let i = 0; i < files.length; i += 400) {
    const r = spawnSync(bkcheck, files.slice(i, i + 400), { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.error) throw new Error(`cannot run bkcheck at ${bkcheck}: ${r.error.message}`);
    for (const line of r.stdout.split('\n')) {
      if (!line.trim()) continue;
      const j = JSON.parse(line) as { file: string; ok: boolean };
      verdicts.set(j.file, j.ok);
    }
  }
  return verdicts;
}

/** Materialize a repository (asynchronously, so the next one is laid out while this one is checked). */
function layOut(repo: string, dest: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', [materialize, path.join(reposDir, repo), dest], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`materialize ${repo}: ${err.trim()}`)),
    );
  });
}

async function main(): Promise<void> {
  if (!fs.existsSync(reposDir)) {
    console.error(`repos: no such directory: ${reposDir}`);
    process.exit(2);
  }
  const t0 = performance.now();
  await initShellParser();
  const repos = fs
    .readdirSync(reposDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(reposDir, e.name, 'tree.txt')))
    .map((e) => e.name)
    .sort();
  const scratch = fs.mkdtempSync(
    path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'dockerfix-repos-'),
  );
  const outDir = path.join(scratch, 'out');
  fs.mkdirSync(outDir);
  const violations: string[] = [];
  const candidates: Candidate[] = [];
  const errors = new Map<string, number>();
  const contextKinds = new Map<string, number>();
  let dockerfiles = 0;
  let changed = 0;
  let inferred = 0;
  let inferredElsewhere = 0;
  let several = 0;
  const checked: { input: string; output: string; display: string }[] = [];
  let next = repos.length > 0 ? layOut(repos[0], path.join(scratch, repos[0])) : null;
  for (let r = 0; r < repos.length; r++) {
    const repo = repos[r];
    const root = path.join(scratch, repo);
    await next;
    next = r + 1 < repos.length ? layOut(repos[r + 1], path.join(scratch, repos[r + 1])) : null;
    const found = await discover([root], root);
    const runCache: RunCache = new Map();
    for (const f of found.files) {
      // Templates and other kinds of files that discovery leaves alone by their name.
      if (f.skip) continue;
      dockerfiles++;
      const display = `${repo}/${path.relative(root, f.path)}`;
      let text: string;
      try {
        text = decodeDockerfile(fs.readFileSync(f.path));
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        tally(errors, err.kind);
        continue;
      }
      const options: FixOptions = { filePath: f.path, projectRoot: root, runCache };
      let result;
      try {
        result = fixTextSync(text, options);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        tally(errors, err.kind);
        continue;
      }
      // Counted for every Dockerfile, also those whose rewrite never asks for a context.
      const named = inferContexts(f.path, root, runCache);
      const origins = named.map((c) => c.origin);
      if (origins.length > 0) {
        inferred++;
        if (named.some((c) => c.dir !== path.dirname(f.path))) inferredElsewhere++;
        if (named.length > 1) several++;
        for (const kind of new Set(origins.flatMap((o) => o.split('; ').map(sourceKind))))
          tally(contextKinds, kind);
      }
      let model;
      try {
        model = parseDockerfile(text);
      } catch {
        continue;
      }
      for (const line of candidateLines(model)) {
        const fix = result.fixes.find((x) => x.transform === TRANSFORM && x.line === line);
        const skip = result.skips.find((x) => x.transform === TRANSFORM && x.line === line);
        const outcome = fix
          ? fix.applied
            ? 'rewritten'
            : 'review (not applied)'
          : skip
            ? skip.reason
            : 'NO REASON';
        if (!fix && !skip) violations.push(`${display}:${line}: a candidate with no fix and no reason`);
        const message = (fix?.message ?? skip?.message ?? '').split(scratch + '/').join('');
        candidates.push({ file: display, line, outcome, message });
      }
      if (!result.changed || result.output === text) continue;
      changed++;
      const again = fixTextSync(result.output, options);
      if (again.output !== result.output) violations.push(`${display}: the output is not a fixed point`);
      const contexts = result.contexts.map((c) => openBuildContext(c.dir, f.path, c.origin, runCache));
      const opened = contexts
        .filter((c): c is NonNullable<typeof c> => c !== null)
        .map(
          (c) =>
            BuildContext.all({ mode: 'buildkit', filePath: f.path, buildContext: c, addSyntax: false })[0],
        );
      for (const m of missingCopySources(text, result.output, opened))
        violations.push(`${display}: a new COPY names ${m}`);
      const n = checked.length;
      const input = path.join(outDir, `${n}.in.Dockerfile`);
      const output = path.join(outDir, `${n}.out.Dockerfile`);
      fs.writeFileSync(input, text);
      fs.writeFileSync(output, result.output);
      checked.push({ input, output, display });
    }
    fs.rmSync(root, { recursive: true, force: true });
  }
  const verdicts = runBkcheck(checked.flatMap((c) => [c.input, c.output]));
  for (const c of checked) {
    if (verdicts.get(c.input) && !verdicts.get(c.output))
      violations.push(`${c.display}: output rejected by BuildKit`);
  }
  fs.rmSync(scratch, { recursive: true, force: true });
  const seconds = (performance.now() - t0) / 1000;

  const byOutcome = new Map<string, number>();
  for (const c of candidates) tally(byOutcome, c.outcome);
  const rewritten = byOutcome.get('rewritten') ?? 0;
  const rows = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `| ${k} | ${v} |`);
  const report = [
    `Repositories: ${repos.length} (\`${path.relative(repoRoot, reposDir) || reposDir}\`), ${dockerfiles} Dockerfiles, ${changed} changed by the whole pipeline; ${[...errors.values()].reduce((a, b) => a + b, 0)} reported as errors (not handled, never written). ${seconds.toFixed(0)} s on ${os.cpus().length} cores.`,
    '',
    `copy-manifests-first candidates (a \`COPY . .\` with a dependency install after it in its stage): ${candidates.length}; rewritten: ${rewritten} (${candidates.length ? ((rewritten / candidates.length) * 100).toFixed(0) : 0}%).`,
    '',
    '| outcome | candidates |',
    '| --- | --- |',
    ...rows(byOutcome),
    '',
    `Build contexts inferred for ${inferred} Dockerfiles (${inferredElsewhere} of them built from another directory than their own, ${several} with several contexts), by the kind of file that names them:`,
    '',
    '| source | Dockerfiles |',
    '| --- | --- |',
    ...rows(contextKinds),
    '',
    '| errors by kind | files |',
    '| --- | --- |',
    ...(errors.size ? rows(errors) : ['| (none) | 0 |']),
    '',
    `Violations: ${violations.length}.`,
  ].join('\n');
  process.stdout.write(report + '\n');
  if (violations.length > 0)
    process.stdout.write(`\nVIOLATIONS:\n${violations.map((v) => '  ' + v).join('\n')}\n`);
  if (process.env.DOCKERFIX_REPOS_LIST === '1') {
    for (const c of candidates) process.stdout.write(`${c.outcome}\t${c.file}:${c.line}\t${c.message}\n`);
  }
  if (writeDoc) {
    const doc = [
      '# Real repositories',
      '',
      'Generated by `npm run repos` (do not edit by hand): every repository of `../shared/repos` laid out',
      'as a checkout and fixed as `dockerfix` fixes it there, with the build contexts its own files give.',
      '',
      `Last run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}.`,
      '',
      report,
      '',
      '## Candidates',
      '',
      '| file | outcome | why |',
      '| --- | --- | --- |',
      ...candidates.map(
        (c) => `| \`${c.file}:${c.line}\` | ${c.outcome} | ${c.message.replace(/\|/g, '\\|')} |`,
      ),
      '',
    ].join('\n');
    fs.writeFileSync(path.join(repoRoot, 'docs', 'REPOS.md'), doc);
  }
  process.exitCode = violations.length > 0 ? 1 : 0;
}

void main();
