/**
 * `npm run corpus [DIR]`: run the whole pipeline, in every mode, over every file of a folder of
 * Dockerfiles (default ../shared/corpus/files, or $DOCKERFIX_CORPUS) and prove the invariants:
 * no crash or hang, output valid for BuildKit wherever the input was (bkcheck), idempotent,
 * minimal, deterministic, and the plain-script shell reader agrees with tree-sitter. Prints a
 * table, writes docs/RELIABILITY.md, exits 1 on any violation.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Mode } from '../src/core/transform.js';
import type { FileReport, WorkerMessage } from './corpus-worker.js';
import { SEMANTIC_CHECKS } from './semantic-check.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// Compiled to dist/scripts/: the repository root is two levels up.
const repoRoot = path.resolve(here, '..', '..');
const corpusDir = path.resolve(
  process.argv[2] ?? process.env.DOCKERFIX_CORPUS ?? path.join(repoRoot, '..', 'shared', 'corpus', 'files'),
);
const bkcheck = process.env.BKCHECK ?? path.join(repoRoot, '..', 'shared', 'tools', 'bkcheck', 'bkcheck');
const perFileMs = Number(process.env.DOCKERFIX_CORPUS_TIMEOUT_MS ?? 10_000);
const modes: Mode[] = ['buildkit', 'portable'];
const writeDoc =
  process.env.DOCKERFIX_CORPUS_DOC !== '0' && process.argv[2] === undefined && !process.env.DOCKERFIX_CORPUS;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

interface BkVerdict {
  ok: boolean;
  error?: string;
}

function runBkcheck(files: string[]): Map<string, BkVerdict> {
  const verdicts = new Map<string, BkVerdict>();
  for (let i = 0; i < files.length; i += 400) {
    const r = spawnSync(bkcheck, files.slice(i, i + 400), { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.error) throw new Error(`cannot run bkcheck at ${bkcheck}: ${r.error.message}`);
    for (const line of r.stdout.split('\n')) {
      if (!line.trim()) continue;
      const j = JSON.parse(line) as { file: string; ok: boolean; error?: string };
      verdicts.set(j.file, { ok: j.ok, error: j.error });
    }
  }
  return verdicts;
}

/** Run the worker over the files; restart it after a file that exceeds the time limit. */
async function runWorkers(
  files: string[],
  outDir: string,
): Promise<{ reports: FileReport[]; violations: string[] }> {
  const reports: FileReport[] = [];
  const violations: string[] = [];
  let startAt = 0;
  const workerFile = path.join(here, 'corpus-worker.js');
  while (startAt < files.length) {
    const next = await new Promise<number>((resolve, reject) => {
      const worker = new Worker(workerFile, { workerData: { files, modes, outDir, startAt } });
      let current = startAt;
      let timer: NodeJS.Timeout | null = null;
      const arm = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          violations.push(`${files[current]}: hang: no result within ${perFileMs} ms`);
          void worker.terminate();
          resolve(current + 1);
        }, perFileMs);
      };
      arm();
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'start') {
          current = m.index;
          arm();
        } else if (m.type === 'report') {
          reports.push(m.report);
          for (const v of m.report.violations)
            violations.push(`${files[m.report.index]} [${m.report.mode}]: ${v}`);
        } else if (m.type === 'violation') {
          violations.push(`${files[m.index]} [${m.mode}]: ${m.message}`);
        } else {
          if (timer) clearTimeout(timer);
          void worker.terminate();
          resolve(files.length);
        }
      });
      worker.on('error', (err) => {
        if (timer) clearTimeout(timer);
        violations.push(`${files[current]}: crash: ${err.message}`);
        resolve(current + 1);
      });
      worker.on('exit', () => undefined);
      void reject;
    });
    startAt = next;
  }
  return { reports, violations };
}

function table(rows: [string, string | number][]): string {
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `| ${k.padEnd(w)} | ${v} |`).join('\n');
}

function top(counts: Map<string, number>, n: number): [string, number][] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
}

async function main(): Promise<void> {
  if (!fs.existsSync(corpusDir)) {
    console.error(`corpus: no such directory: ${corpusDir}`);
    process.exit(2);
  }
  const t0 = performance.now();
  const files = listFiles(corpusDir);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-corpus-'));
  for (const m of modes) fs.mkdirSync(path.join(outDir, m));
  const { reports, violations } = await runWorkers(files, outDir);
  const tFix = performance.now() - t0;

  // Validity: every output must pass bkcheck wherever its input did.
  const inputVerdicts = runBkcheck(files);
  const outputs = reports.filter((r) => r.outputPath).map((r) => r.outputPath!);
  const outputVerdicts = runBkcheck(outputs);
  for (const r of reports) {
    if (!r.outputPath) continue;
    const before = inputVerdicts.get(files[r.index]);
    const after = outputVerdicts.get(r.outputPath);
    if (before?.ok && !after?.ok) {
      violations.push(
        `${files[r.index]} [${r.mode}]: output rejected by BuildKit: ${after?.error ?? 'no verdict'}`,
      );
    }
  }
  const tTotal = performance.now() - t0;
  fs.rmSync(outDir, { recursive: true, force: true });

  const sections: string[] = [];
  const bkRejected = files.filter((f) => inputVerdicts.get(f)?.ok === false).length;
  for (const mode of modes) {
    const rs = reports.filter((r) => r.mode === mode);
    const edits = new Map<string, number>();
    const skips = new Map<string, number>();
    const errorKinds = new Map<string, number>();
    const semantic = new Map<string, { findings: number; files: number }>(
      SEMANTIC_CHECKS.map((c) => [c, { findings: 0, files: 0 }]),
    );
    let changed = 0;
    let errorsValid = 0;
    let slowest = 0;
    for (const r of rs) {
      if (r.status === 'changed') changed++;
      for (const c of new Set(r.semantic)) semantic.get(c)!.files++;
      for (const c of r.semantic) semantic.get(c)!.findings++;
      for (const f of r.fixes) edits.set(f, (edits.get(f) ?? 0) + 1);
      for (const s of r.skips) skips.set(s, (skips.get(s) ?? 0) + 1);
      if (r.status === 'error') {
        errorKinds.set(r.errorKind!, (errorKinds.get(r.errorKind!) ?? 0) + 1);
        if (inputVerdicts.get(files[r.index])?.ok) errorsValid++;
      }
      slowest = Math.max(slowest, r.ms);
    }
    const errors = rs.filter((r) => r.status === 'error').length;
    sections.push(
      [
        `### mode: ${mode}`,
        '',
        '| figure | value |',
        '| --- | --- |',
        table([
          ['files', rs.length],
          ['files changed', changed],
          ['files unchanged', rs.length - changed - errors],
          ['files reported as errors (not handled, never written)', errors],
          ['… of which BuildKit also rejects the input', errors - errorsValid],
          ['… of which BuildKit accepts the input', errorsValid],
          ['slowest file (ms)', slowest.toFixed(1)],
        ]),
        '',
        '| edits per transform | count |',
        '| --- | --- |',
        edits.size ? table(top(edits, 50).map(([k, v]) => [`\`${k}\``, v])) : '| (none) | 0 |',
        '',
        '| top skip reasons | count |',
        '| --- | --- |',
        skips.size ? table(top(skips, 12).map(([k, v]) => [k.replace(/\|/g, '\\|'), v])) : '| (none) | 0 |',
        '',
        '| semantic invariant (semantic-check.ts): violations in outputs | findings | files |',
        '| --- | --- | --- |',
        ...[...semantic].map(([c, v]) => `| \`${c}\` | ${v.findings} | ${v.files} |`),
        '',
        '| errors by kind | count |',
        '| --- | --- |',
        errorKinds.size ? table(top(errorKinds, 20).map(([k, v]) => [k, v])) : '| (none) | 0 |',
      ].join('\n'),
    );
  }
  const header = [
    `Corpus: ${files.length} files in \`${path.relative(repoRoot, corpusDir) || corpusDir}\`; BuildKit (bkcheck) rejects ${bkRejected} inputs.`,
    `Checked per file and mode: no crash or hang (limit ${perFileMs} ms), output valid for BuildKit wherever the input was, idempotent, minimal (every changed line inside a reported edit), deterministic (second run in reverse order); every RUN script of input and output that the plain-script reader accepts is read exactly as tree-sitter reads it; and the semantic invariants (scripts/semantic-check.ts): no cache mount on a path its RUN removes, no comment lost from a kept instruction, no mount in a Windows stage, no later command that reads or strictly removes what a RUN now leaves empty, no cache mount over what something later reads, no cache on apt's state, no apt configuration change in the shipped stage, no \`mkdir\` of a mount's parent.`,
    `Time: ${(tFix / 1000).toFixed(1)} s for ${modes.length} modes with the checks, ${(tTotal / 1000).toFixed(1)} s with bkcheck.`,
    `Violations: ${violations.length}.`,
  ].join('\n\n');
  const report = `${header}\n\n${sections.join('\n\n')}\n`;
  process.stdout.write(report);
  if (violations.length > 0) {
    process.stdout.write(
      `\nVIOLATIONS (${violations.length}):\n${violations.map((v) => '  ' + v.replace(corpusDir + '/', '')).join('\n')}\n`,
    );
  }
  if (writeDoc) {
    const doc = [
      '# Reliability',
      '',
      'Generated by `npm run corpus` (do not edit by hand). It runs every transform in every mode over the',
      'shared corpus of real Dockerfiles and proves the invariants of DESIGN.md on each file.',
      '',
      `Last run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores.`,
      '',
      'The semantic invariants (scripts/semantic-check.ts) were added with issue 16. On the output of the',
      'release before them (3f09190) the same checks found, in buildkit mode: `apt-config-shipped` 892',
      '(892 files), `apt-state-cached` 1,132 (913), `comment-lost` 73 (42), `mount-removed` 12 (8),',
      '`windows-mount` 1, `mount-parent-mkdir` 1, `read-later` 1, `later-fails` 1; in portable mode:',
      '`later-fails` 1. Today\'s counts are in the tables below.',
      '',
      report,
    ].join('\n');
    fs.writeFileSync(path.join(repoRoot, 'docs', 'RELIABILITY.md'), doc);
  }
  process.exitCode = violations.length > 0 ? 1 : 0;
}

void main();
