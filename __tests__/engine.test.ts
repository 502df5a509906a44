import { describe, expect, test } from '@jest/globals';
import { fixText } from '../src/api.js';
import { VerifyError } from '../src/core/engine.js';
import { InputError } from '../src/core/text.js';
import type { Transform, TransformMeta } from '../src/core/transform.js';
import { foldCleanup } from '../transforms/fold-cleanup.js';
import { builtinTransforms } from '../transforms/index.js';
import { quote } from '../src/rewrite/edit.js';
import { memoryFileTree } from '../src/core/file-tree.js';

const meta = (id: string): TransformMeta => ({
  id,
  title: id,
  description: '',
  why: '',
  seeds: [],
  safety: 'safe',
  modes: ['buildkit', 'portable'],
  example: { before: '', after: '' },
  skips: {},
});

/** Appends a LABEL line every time it runs: never settles. */
const restless: Transform = {
  meta: meta('restless'),
  run: (m) => ({
    fixes: [
      {
        message: 'again',
        safety: 'safe',
        at: 0,
        edits: [{ start: m.text.length, end: m.text.length, text: 'LABEL a=b\n' }],
      },
    ],
    skips: [],
  }),
};

const thrower: Transform = {
  meta: meta('thrower'),
  run: () => {
    throw new Error('boom');
  },
};

/** Replaces the file with something that is not a Dockerfile. */
const breaker: Transform = {
  meta: meta('breaker'),
  run: (m) => ({
    fixes: [
      {
        message: 'break',
        safety: 'safe',
        at: 0,
        edits: [{ start: 0, end: m.text.length, text: 'NOPE x\n' }],
      },
    ],
    skips: [],
  }),
};

/** Turns a RUN into invalid shell. */
const badShell: Transform = {
  meta: meta('bad-shell'),
  run: (m) => {
    const run = m.instructions.find((i) => i.keyword === 'RUN' && !i.text.includes('(('));
    return run
      ? {
          fixes: [
            {
              message: 'x',
              safety: 'safe',
              at: run.start,
              edits: [{ start: run.end, end: run.end, text: ' && ((' }],
            },
          ],
          skips: [],
        }
      : { fixes: [], skips: [] };
  },
};

/** Proposes one `review` fix: add a LABEL unless present. */
const reviewer: Transform = {
  meta: { ...meta('reviewer'), safety: 'review' },
  run: (m) =>
    m.text.includes('LABEL reviewed')
      ? { fixes: [], skips: [] }
      : {
          fixes: [
            {
              message: 'label it',
              safety: 'review',
              at: 0,
              edits: [{ start: m.text.length, end: m.text.length, text: 'LABEL reviewed=1\n' }],
            },
          ],
          skips: [],
        },
};

const SIMPLE = 'FROM x\nRUN echo hi\n';

describe('engine safety', () => {
  test('a transform that never settles is an error for the file', async () => {
    await expect(fixText(SIMPLE, { transforms: [restless] })).rejects.toThrow(
      'transforms did not settle after 10 passes (last change by restless)',
    );
    await expect(fixText(SIMPLE, { transforms: [restless] })).rejects.toBeInstanceOf(VerifyError);
  });

  test('a transform that throws is a reported error, not a crash', async () => {
    await expect(fixText(SIMPLE, { transforms: [thrower] })).rejects.toThrow(
      'internal error in transform thrower: boom',
    );
  });

  test('output that does not parse is rejected', async () => {
    await expect(fixText(SIMPLE, { transforms: [breaker] })).rejects.toThrow(
      'transform breaker produced text that does not parse',
    );
  });

  test('a RUN made invalid shell is rejected', async () => {
    await expect(fixText(SIMPLE, { transforms: [badShell] })).rejects.toThrow(
      'the rewritten RUN is not valid shell',
    );
  });

  test('review fixes are reported but applied only with unsafe', async () => {
    const safe = await fixText(SIMPLE, { transforms: [reviewer] });
    expect(safe.changed).toBe(false);
    expect(safe.fixes).toEqual([
      {
        transform: 'reviewer',
        message: 'label it',
        safety: 'review',
        line: 1,
        applied: false,
        lines: [3, 3],
      },
    ]);
    const unsafe = await fixText(SIMPLE, { transforms: [reviewer], unsafe: true });
    expect(unsafe.output).toBe(SIMPLE + 'LABEL reviewed=1\n');
    expect(unsafe.fixes[0].applied).toBe(true);
  });

  test('bad input throws InputError with a one-line reason', async () => {
    await expect(fixText('', {})).rejects.toBeInstanceOf(InputError);
  });

  test('unknown transform ids are rejected', async () => {
    await expect(fixText(SIMPLE, { only: ['nope'] })).rejects.toThrow("unknown transform 'nope'");
  });
});

describe('reporting', () => {
  test('lines refer to the input even after earlier edits moved the text', async () => {
    const text = [
      'FROM debian:bookworm-slim',
      'RUN apt-get update && apt-get install -y curl',
      'RUN apt-get clean',
      'RUN rm -rf /var/lib/apt/lists/*',
      'RUN curl -fsSLO https://example.com/t.tar.gz',
      'RUN tar -xzf t.tar.gz',
      'RUN rm t.tar.gz',
      '',
    ].join('\n');
    const r = await fixText(text, { transforms: [foldCleanup] });
    expect(r.fixes.map((f) => f.line)).toEqual([3, 4, 7]);
    expect(r.passes).toBe(3);
  });

  test('the same input gives the same bytes and report', async () => {
    const text = 'FROM x\nRUN pip install a\nRUN pip cache purge\n';
    expect(await fixText(text)).toEqual(await fixText(text));
  });
});

describe('quotes in messages', () => {
  test('a fix found after earlier rewrites quotes the instruction as the input file has it', async () => {
    const input =
      'FROM python:3.12\n' +
      'RUN apt-get update && apt-get install -y --no-install-recommends python3-pip && pip install --no-cache-dir flask \\\n' +
      '    && pip install --no-cache-dir gunicorn\n';
    const r = await fixText(input);
    const pip = r.fixes.find((f) => f.transform === 'pip-cache')!;
    // apt-cache rewrote the RUN first (`RUN --mount=type=cache,…`); the quote is the input's RUN,
    // its first words cut at a word boundary, and the removed flag is named once with its count.
    expect(pip.message).toBe(
      'Added a cache mount for /root/.cache/pip to `RUN apt-get update && apt-get install -y …`; ' +
        'removed `--no-cache-dir` (×2), which would defeat the mount',
    );
    expect(r.fixes.map((f) => f.message).join('\n')).not.toContain('--mount=');
  });

  test('an instruction a fix inserted is quoted as it reads now', async () => {
    // copy-manifests-first writes `COPY requirements.txt .` where `COPY . .` began.
    const quoter: Transform = {
      meta: meta('quoter'),
      run: (m) => {
        const first = m.instructions.find((i) => i.keyword === 'COPY')!;
        return { fixes: [], skips: [{ reason: 'x', message: quote(first), at: first.start }] };
      },
    };
    const r = await fixText(
      'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n',
      {
        transforms: [...builtinTransforms, quoter],
        buildContext: {
          dir: '/ctx',
          files: memoryFileTree({ 'requirements.txt': 'flask\n', 'app.py': '' }),
          ignoreFile: null,
          origin: 'test',
        },
      },
    );
    expect(r.output).toContain('COPY requirements.txt .\n');
    expect(r.skips.find((s) => s.transform === 'quoter')!.message).toBe('`COPY requirements.txt .`');
  });
});
