/**
 * The fixture runner: every `__testfixtures__/<transform>/<case>.input.Dockerfile` is fixed with
 * that transform alone (the `pipeline` folder runs every transform) and compared byte for byte
 * with `<case>.output.Dockerfile` (no output file: the case must not change). For every pair it
 * also asserts that the output is a fixed point and that BuildKit's parser accepts it. Optional
 * sidecars: `<case>.options.json` (FixOptions), `<case>.skips.txt` (one substring per line that
 * some reported skip reason must contain), `<case>.review.txt` (one substring per line that some
 * review fix left unapplied must contain). A case runs in buildkit mode (the default); with a
 * `<case>.portable.output.Dockerfile` (or `<case>.portable.same` for "no change") it also runs in
 * portable mode against that file. A `<case>.context/` directory is the case's build context.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixText, type FixOptions } from '../src/api.js';
import { builtinTransforms } from '../transforms/index.js';
import { decodeDockerfile } from '../src/core/text.js';
import { bkcheck, repoRoot, type BkResult } from './helpers.js';

const fixturesDir = path.join(repoRoot, '__testfixtures__');

interface Case {
  group: string;
  name: string;
  input: string;
  output: string | null;
  options: FixOptions;
  skips: string[];
  /** Substrings of review fixes that must be reported and not applied. */
  reviews: string[];
  /** `<case>.new-files/`: the files the fix must create, relative to the build context. */
  newFiles: string | null;
}

function loadCases(): Case[] {
  const cases: Case[] = [];
  for (const group of fs.readdirSync(fixturesDir).sort()) {
    const dir = path.join(fixturesDir, group);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      const m = /^(.*)\.input\.Dockerfile$/.exec(f);
      if (!m) continue;
      const base = path.join(dir, m[1]);
      const outFile = `${base}.output.Dockerfile`;
      const optFile = `${base}.options.json`;
      const skipFile = `${base}.skips.txt`;
      const options = fs.existsSync(optFile)
        ? (JSON.parse(fs.readFileSync(optFile, 'utf8')) as FixOptions)
        : {};
      if (group !== 'pipeline') options.only = [group];
      // A case may carry its build context: `<case>.context/`.
      if (fs.existsSync(`${base}.context`)) options.contextDir = `${base}.context`;
      const newFiles = fs.existsSync(`${base}.new-files`) ? `${base}.new-files` : null;
      const skips = fs.existsSync(skipFile)
        ? fs
            .readFileSync(skipFile, 'utf8')
            .split('\n')
            .filter((l) => l.trim())
        : [];
      const reviewFile = `${base}.review.txt`;
      const reviews = fs.existsSync(reviewFile)
        ? fs
            .readFileSync(reviewFile, 'utf8')
            .split('\n')
            .filter((l) => l.trim())
        : [];
      const portableOut = `${base}.portable.output.Dockerfile`;
      if (fs.existsSync(portableOut) || fs.existsSync(`${base}.portable.same`)) {
        cases.push({
          group,
          name: `${m[1]} [portable]`,
          input: path.join(dir, f),
          output: fs.existsSync(portableOut) ? portableOut : null,
          options: { ...options, mode: 'portable' },
          skips: [],
          reviews: [],
          newFiles,
        });
      }
      cases.push({
        group,
        name: m[1],
        input: path.join(dir, f),
        output: fs.existsSync(outFile) ? outFile : null,
        options,
        skips,
        reviews,
        newFiles,
      });
    }
  }
  return cases;
}

const cases = loadCases();
const read = (f: string) => decodeDockerfile(fs.readFileSync(f));
let verdicts: Map<string, BkResult>;

beforeAll(() => {
  verdicts = bkcheck(cases.map((c) => c.output ?? c.input));
});

test('fixtures exist for every transform, in each of its modes', () => {
  for (const t of builtinTransforms) {
    const mine = cases.filter((c) => c.group === t.meta.id && (c.output !== null || c.newFiles !== null));
    expect([t.meta.id, mine.filter((c) => c.options.mode !== 'portable').length > 0]).toEqual([
      t.meta.id,
      t.meta.modes.includes('buildkit'),
    ]);
    expect([t.meta.id, mine.filter((c) => c.options.mode === 'portable').length > 0]).toEqual([
      t.meta.id,
      t.meta.modes.includes('portable'),
    ]);
  }
});

describe.each([...new Set(cases.map((c) => c.group))])('%s', (group) => {
  test.each(cases.filter((c) => c.group === group).map((c) => [c.name, c] as const))(
    '%s',
    async (_name, c) => {
      const input = read(c.input);
      const expected = c.output ? read(c.output) : input;
      const result = await fixText(input, c.options);
      expect(result.output).toBe(expected);
      expect(result.changed).toBe(c.output !== null || c.newFiles !== null);
      if (c.output || c.newFiles) expect(result.fixes.filter((f) => f.applied).length).toBeGreaterThan(0);
      const created = Object.fromEntries(
        result.newFiles.map((f) => [path.relative(c.options.contextDir ?? '', f.path), f.content]),
      );
      const wanted = c.newFiles
        ? Object.fromEntries(
            fs.readdirSync(c.newFiles).map((n) => [n, fs.readFileSync(path.join(c.newFiles!, n), 'utf8')]),
          )
        : {};
      expect(created).toEqual(wanted);

      // The fixed point includes the files the fix created: fix again in a context that has them.
      let againOptions = c.options;
      if (result.newFiles.length > 0 && c.options.contextDir) {
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-ctx-'));
        fs.cpSync(c.options.contextDir, copy, { recursive: true });
        for (const f of result.newFiles) {
          fs.writeFileSync(path.join(copy, path.relative(c.options.contextDir, f.path)), f.content);
        }
        againOptions = { ...c.options, contextDir: copy };
      }
      const again = await fixText(result.output, againOptions);
      expect(again.output).toBe(result.output);
      expect(again.fixes.filter((f) => f.applied)).toEqual([]);

      for (const want of c.reviews) {
        expect(result.fixes.filter((f) => f.safety === 'review' && !f.applied).map((f) => f.message)).toEqual(
          expect.arrayContaining([expect.stringContaining(want)]),
        );
      }
      for (const want of c.skips) {
        expect(result.skips.map((s) => s.message)).toEqual(
          expect.arrayContaining([expect.stringContaining(want)]),
        );
      }

      const verdict = verdicts.get(c.output ?? c.input);
      expect(verdict?.error ?? null).toBeNull();
      expect(verdict?.ok).toBe(true);
    },
  );
});
