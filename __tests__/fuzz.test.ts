/**
 * Property test: mutate fixture and corpus files (delete/duplicate/swap lines, add or remove `\`,
 * flip CRLF, insert random text, Unicode and bytes, very long lines, very deep continuations) and
 * check that the pipeline never throws anything but a reported InputError, never hangs, and never
 * emits output that is not a fixed point or that BuildKit rejects when it accepted the input.
 *
 * `npm test` runs a small budget; `npm run fuzz` runs FUZZ_RUNS (default there 10,000) and writes
 * the figures to docs/FUZZ.md.
 */
import { expect, test } from '@jest/globals';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixText, type FixOptions } from '../src/api.js';
import { decodeDockerfile, InputError } from '../src/core/text.js';
import { bkcheck, repoRoot, tempDir } from './helpers.js';

const runs = Number(process.env.FUZZ_RUNS ?? 300);
/**
 * `npm test` (and so CI) runs fixed seeds: a test that passes once passes every time. `npm run fuzz`
 * (FUZZ_FRESH=1) draws a new seed to look for new finds; a run is reproducible from the seed it prints
 * (FUZZ_SEED=… npm run fuzz). Every find becomes a fixture (`__testfixtures__/pipeline/fuzz-*`).
 */
const FIXED_SEEDS = [20261130, 1736251, 424242];
const fuzzSeeds = process.env.FUZZ_SEED
  ? [Number(process.env.FUZZ_SEED)]
  : process.env.FUZZ_FRESH === '1'
    ? [Date.now() % 2 ** 31]
    : FIXED_SEEDS;

let seedTextsRead: string[] | null = null;
function seedTexts(): string[] {
  if (seedTextsRead) return seedTextsRead;
  const out: string[] = (seedTextsRead = []);
  const fixtures = path.join(repoRoot, '__testfixtures__');
  for (const group of fs.readdirSync(fixtures)) {
    for (const f of fs.readdirSync(path.join(fixtures, group))) {
      if (f.endsWith('.input.Dockerfile')) out.push(fs.readFileSync(path.join(fixtures, group, f), 'utf8'));
    }
  }
  const corpus = process.env.DOCKERFIX_CORPUS ?? path.join(repoRoot, '..', 'shared', 'corpus', 'files');
  if (fs.existsSync(corpus)) {
    const files: string[] = [];
    for (const d of fs.readdirSync(corpus).sort())
      for (const f of fs.readdirSync(path.join(corpus, d)).sort()) files.push(path.join(corpus, d, f));
    for (let i = 0; i < files.length; i += 17) out.push(fs.readFileSync(files[i], 'latin1'));
  }
  return out;
}

type Mutation =
  | { op: 'delete' | 'duplicate' | 'backslash' | 'unbackslash' | 'crlf'; at: number }
  | { op: 'swap'; at: number; to: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'splice'; at: number; column: number; text: string }
  | { op: 'bytes'; at: number; bytes: number[] }
  | { op: 'long'; at: number; char: string; length: number }
  | { op: 'deep'; at: number; depth: number; line: string }
  | { op: 'crlfAll' };

const lineText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    'RUN rm -rf /var/lib/apt/lists/*',
    'RUN apt-get update && apt-get install -y curl',
    'RUN curl -O https://example.com/a.tar.gz',
    'RUN tar -xzf a.tar.gz',
    'RUN rm a.tar.gz',
    'ENV A=1',
    'WORKDIR /app',
    '# comment',
    '',
    '\\',
    'RUN <<EOF',
    'EOF',
    'FROM x AS y',
    '    && echo "unterminated',
    'RUN cd /tmp && pip install x; export HOME=/ ||',
  ),
);

/** Line positions: uniform over the file rather than biased to the first lines (which hold FROM). */
const position = fc.integer({ min: 0, max: 1_000_000 });

// Weighted so that most mutants stay Dockerfiles worth fixing; a few break them outright.
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constantFrom('delete', 'duplicate', 'backslash', 'unbackslash', 'crlf'),
      at: position,
    }) as fc.Arbitrary<Mutation>,
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('swap'), at: position, to: position }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('insert'), at: position, text: lineText }) },
  {
    weight: 6,
    arbitrary: fc.record({ op: fc.constant('splice'), at: position, column: position, text: lineText }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('bytes'),
      at: position,
      bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('long'),
      at: position,
      char: fc.constantFrom('x', '\\', '&', '"', "'", ' ', '$('),
      length: fc.integer({ min: 1000, max: 100_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('deep'),
      at: position,
      depth: fc.integer({ min: 100, max: 5_000 }),
      line: fc.constantFrom('  && echo x \\', '  # c \\', '\\', ''),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'crlfAll' as const }) },
);

/** Apply mutations to the text's lines; returns the bytes to feed in (bytes mutations may break UTF-8). */
function mutate(text: string, mutations: Mutation[]): Buffer {
  const lines = text.split('\n');
  const rawInserts: { at: number; bytes: number[] }[] = [];
  for (const m of mutations) {
    const at = m.op === 'crlfAll' ? 0 : m.at % (lines.length + 1);
    switch (m.op) {
      case 'delete':
        lines.splice(at, 1);
        break;
      case 'duplicate':
        if (at < lines.length) lines.splice(at, 0, lines[at]);
        break;
      case 'swap': {
        const to = m.to % Math.max(1, lines.length);
        if (at < lines.length) [lines[at], lines[to]] = [lines[to], lines[at]];
        break;
      }
      case 'backslash':
        if (at < lines.length) lines[at] += ' \\';
        break;
      case 'unbackslash':
        if (at < lines.length) lines[at] = lines[at].replace(/\\\s*$/, '');
        break;
      case 'crlf':
        if (at < lines.length)
          lines[at] = lines[at].endsWith('\r') ? lines[at].slice(0, -1) : lines[at] + '\r';
        break;
      case 'crlfAll':
        for (let i = 0; i < lines.length; i++)
          lines[i] = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i] + '\r';
        break;
      case 'insert':
        lines.splice(at, 0, m.text);
        break;
      case 'splice':
        // Inside an existing line, so that most mutants are still Dockerfiles worth fixing.
        if (at < lines.length) {
          const col = m.column % (lines[at].length + 1);
          lines[at] = lines[at].slice(0, col) + m.text + lines[at].slice(col);
        }
        break;
      case 'long':
        lines.splice(at, 0, 'RUN echo ' + m.char.repeat(Math.ceil(m.length / m.char.length)));
        break;
      case 'deep':
        lines.splice(at, 0, 'RUN echo start \\', ...Array<string>(m.depth).fill(m.line), '  && echo end');
        break;
      case 'bytes':
        rawInserts.push({ at, bytes: m.bytes });
        break;
    }
  }
  const buf = Buffer.from(lines.join('\n'), 'utf8');
  if (rawInserts.length === 0) return buf;
  const parts: Buffer[] = [];
  let pos = 0;
  for (const r of rawInserts
    .map((r) => ({ ...r, at: Math.floor((r.at / (lines.length + 1)) * buf.length) }))
    .sort((a, b) => a.at - b.at)) {
    parts.push(buf.subarray(pos, r.at), Buffer.from(r.bytes));
    pos = r.at;
  }
  parts.push(buf.subarray(pos));
  return Buffer.concat(parts);
}

test.each(fuzzSeeds)(`fuzz (seed %i): ${runs} mutated files never crash, hang or emit unverifiable output`, async (seed) => {
  const seeds = seedTexts();
  const outDir = tempDir('dockerfix-fuzz-');
  const pairs: { input: string; output: string; options: FixOptions }[] = [];
  const stats = { runs: 0, inputErrors: 0, changed: 0, slowestMs: 0 };
  const errorKinds = new Map<string, number>();
  const t0 = performance.now();
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: seeds.length - 1 }),
      fc.array(mutation, { minLength: 1, maxLength: 6 }),
      fc.constantFrom<FixOptions['mode']>('buildkit', 'portable'),
      async (seedIndex, mutations, mode) => {
        stats.runs++;
        const bytes = mutate(seeds[seedIndex], mutations);
        const options: FixOptions = { mode };
        const started = performance.now();
        let text: string;
        let result;
        try {
          text = decodeDockerfile(bytes);
          result = await fixText(text, options);
        } catch (err) {
          if (err instanceof InputError && err.kind === 'internal') {
            // A transform threw: a bug, never an answer. Keep the input for the report.
            const kept = path.join(
              os.tmpdir(),
              `dockerfix-fuzz-internal-${process.pid}-${stats.runs}.Dockerfile`,
            );
            fs.writeFileSync(kept, bytes);
            throw new Error(`${err.message} (input kept in ${kept})`);
          }
          if (err instanceof InputError && err.kind === 'verify') {
            // Refused safely (never written), but worth a look: keep the input.
            fs.writeFileSync(
              path.join(os.tmpdir(), `dockerfix-fuzz-verify-${seed}-${stats.runs}.Dockerfile`),
              bytes,
            );
          }
          if (err instanceof InputError) {
            stats.inputErrors++;
            errorKinds.set(err.kind, (errorKinds.get(err.kind) ?? 0) + 1);
            return;
          }
          throw err;
        } finally {
          stats.slowestMs = Math.max(stats.slowestMs, performance.now() - started);
        }
        expect(performance.now() - started).toBeLessThan(10_000);
        if (!result.changed) return;
        stats.changed++;
        const again = await fixText(result.output, options);
        expect(again.output).toBe(result.output);
        const id = pairs.length;
        fs.writeFileSync(path.join(outDir, `${id}.in`), text);
        fs.writeFileSync(path.join(outDir, `${id}.out`), result.output);
        pairs.push({ input: text, output: result.output, options });
      },
    ),
    { numRuns: runs, seed, endOnFailure: true },
  );
  // Validity of every changed output, in one bkcheck batch.
  const files = pairs.flatMap((_, i) => [path.join(outDir, `${i}.in`), path.join(outDir, `${i}.out`)]);
  const verdicts = bkcheck(files);
  const invalid = pairs
    .map((_, i) => i)
    .filter(
      (i) =>
        verdicts.get(path.join(outDir, `${i}.in`))?.ok && !verdicts.get(path.join(outDir, `${i}.out`))?.ok,
    );
  expect(
    invalid.map((i) => `${outDir}/${i}.in: ${verdicts.get(path.join(outDir, `${i}.out`))?.error}`),
  ).toEqual([]);
  fs.rmSync(outDir, { recursive: true, force: true });

  const seconds = (performance.now() - t0) / 1000;
  const summary =
    `fuzz (seed ${seed}): ${stats.runs} cases from ${seeds.length} seed files in ${seconds.toFixed(1)} s; ` +
    `${stats.changed} changed (all fixed points, all valid for BuildKit where the input was), ` +
    `${stats.inputErrors} reported input errors (${[...errorKinds].map(([k, v]) => `${k} ${v}`).join(', ')}), 0 crashes; ` +
    `slowest case ${stats.slowestMs.toFixed(0)} ms`;
  process.stdout.write(summary + '\n');
  if (process.env.FUZZ_RECORD === '1') {
    fs.writeFileSync(
      path.join(repoRoot, 'docs', 'FUZZ.md'),
      `# Fuzzing\n\nGenerated by \`npm run fuzz\` (do not edit by hand).\n\nLast run: ${new Date().toISOString().slice(0, 10)}, ` +
        `Node ${process.version}, ${os.cpus().length} cores, seed ${seed}.\n\n${summary}.\n`,
    );
  }
});
