/**
 * Bad input and faults: every bad file is one clear line on stderr (naming it and the reason),
 * exit 2, and every other file is still processed. A killed --write leaves each file either as it
 * was or fully fixed. Inputs built to be slow finish in about linear time.
 */
import { describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fixText } from '../src/api.js';
import { InputError } from '../src/core/text.js';
import { cliPath, runCli, tempDir, APT, APT_FIXED } from './helpers.js';

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('dockerfix: '));
}

describe('bad input', () => {
  test('each bad file is one line naming it and the reason; the good file is still fixed', () => {
    const root = tempDir();
    const w = (rel: string, data: string | Buffer) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), data);
    };
    w('empty/Dockerfile', '');
    w('binary/Dockerfile', Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x00, 0xff, 0x10]));
    w('latin1/Dockerfile', Buffer.from('FROM x\nLABEL a="caf\xe9"\n', 'latin1'));
    w('huge/Dockerfile', 'FROM x\nRUN echo ' + 'a'.repeat(10 * 1024 * 1024 - 17) + '\n');
    w('template/Dockerfile', 'FROM {{ .Base }}\n{% if x %}\nRUN echo\n');
    w('good/Dockerfile', APT);
    fs.mkdirSync(path.join(root, 'dir', 'Dockerfile'), { recursive: true });
    fs.symlinkSync(path.join(root, 'nowhere'), path.join(root, 'Dockerfile.broken'));
    fs.symlinkSync('Dockerfile.loop2', path.join(root, 'Dockerfile.loop1'));
    fs.symlinkSync('Dockerfile.loop1', path.join(root, 'Dockerfile.loop2'));
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'Dockerfile'), APT);
    fs.symlinkSync(path.join(outside, 'Dockerfile'), path.join(root, 'Dockerfile.outside'));

    const r = runCli(['--write', '--verbose'], root);
    expect(r.status).toBe(2);
    expect(errorLines(r.stderr)).toEqual([
      'dockerfix: Dockerfile.broken: broken symlink (its target does not exist)',
      'dockerfix: Dockerfile.loop1: symlink loop',
      'dockerfix: Dockerfile.loop2: symlink loop',
      expect.stringMatching(
        /^dockerfix: Dockerfile\.outside: symlink points outside the tree \(.*\); not followed$/,
      ),
      'dockerfix: huge/Dockerfile: file too large (10.0 MiB; the limit is 2.0 MiB)',
      'dockerfix: latin1/Dockerfile: not valid UTF-8 text',
    ]);
    // Found in a directory, what is not a Dockerfile at all is left alone (a directory is no file).
    expect(r.stderr.split('\n').filter((l) => l.includes(': left alone: '))).toEqual([
      'binary/Dockerfile: left alone: not a Dockerfile: binary file (contains NUL bytes)',
      'empty/Dockerfile: left alone: not a Dockerfile: empty file',
      "template/Dockerfile: left alone: not a Dockerfile: line 2: unknown instruction '{%'",
    ]);
    expect(fs.readFileSync(path.join(root, 'good/Dockerfile'), 'utf8')).toBe(APT_FIXED);
    expect(fs.readFileSync(path.join(outside, 'Dockerfile'), 'utf8')).toBe(APT);
    expect(r.stderr).toContain(
      '6 files: 1 changed, 0 unchanged, 3 left alone (3 not Dockerfiles), 0 skipped edits, 6 errors',
    );
    // Named on the command line, each is an error.
    const named = runCli(['--write', 'empty/Dockerfile', 'template/Dockerfile'], root);
    expect(named.status).toBe(2);
    expect(errorLines(named.stderr)).toEqual([
      'dockerfix: empty/Dockerfile: empty file',
      "dockerfix: template/Dockerfile: line 2: unknown instruction '{%'",
    ]);
  });

  test('an unreadable file is an error; the others are processed', () => {
    const root = tempDir();
    for (const d of ['a', 'b']) {
      fs.mkdirSync(path.join(root, d));
      fs.writeFileSync(path.join(root, d, 'Dockerfile'), APT);
    }
    fs.chmodSync(path.join(root, 'a', 'Dockerfile'), 0o000);
    // Root reads anything: run the CLI as root without the capabilities that bypass file
    // permissions (not as another user, who may not be able to reach a checkout under a private
    // directory such as a root user's home).
    const asRoot = process.getuid?.() === 0;
    const noOverride = [
      '--inh-caps=-dac_override,-dac_read_search',
      '--bounding-set=-dac_override,-dac_read_search',
    ];
    const cmd = asRoot ? 'setpriv' : process.execPath;
    const args = asRoot ? [...noOverride, process.execPath, cliPath, '--write'] : [cliPath, '--write'];
    const r = spawnSync(cmd, args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(errorLines(r.stderr)).toEqual(['dockerfix: a/Dockerfile: permission denied']);
    expect(r.status).toBe(2);
    expect(fs.readFileSync(path.join(root, 'b/Dockerfile'), 'utf8')).toBe(APT_FIXED);
  });

  test.each([
    ['', 'empty'],
    ['# just a comment\n\n', 'not-a-dockerfile'],
    ['RUN echo before any FROM\n', 'no-from'],
    ['FROM x\nRUN <<EOF\nnever closed\n', 'heredoc'],
  ])('the API throws InputError for %j', async (text, kind) => {
    const err = await fixText(text).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    if (kind !== 'empty') expect((err as InputError).kind).toBe(kind);
  });
});

describe('faults', () => {
  test.each([
    ['one thread', [] as string[]],
    ['worker pool', ['--jobs', '2']],
  ])('SIGKILL during --write leaves every file either original or fully fixed (%s)', async (_name, extra) => {
    const root = tempDir();
    const variants = [APT, APT.replace(/\n/g, '\r\n'), 'FROM x\nRUN echo unchanged\n'];
    const fixedOf = new Map([
      [APT, APT_FIXED],
      [APT.replace(/\n/g, '\r\n'), APT_FIXED.replace(/\n/g, '\r\n')],
      ['FROM x\nRUN echo unchanged\n', 'FROM x\nRUN echo unchanged\n'],
    ]);
    const original: string[] = [];
    for (let i = 0; i < 500; i++) {
      const dir = path.join(root, `svc${String(i).padStart(3, '0')}`);
      fs.mkdirSync(dir);
      const v = variants[i % variants.length];
      original.push(v);
      fs.writeFileSync(path.join(dir, 'Dockerfile'), v);
    }
    const child = spawn(process.execPath, [cliPath, '--write', ...extra, '.'], {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    // Kill it somewhere in the middle of the writes (start-up takes ~100 ms, the run a few hundred).
    const delay = 150 + Math.floor(Math.random() * 250);
    await new Promise((r) => setTimeout(r, delay));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    let fixed = 0;
    for (let i = 0; i < 500; i++) {
      const now = fs.readFileSync(path.join(root, `svc${String(i).padStart(3, '0')}`, 'Dockerfile'), 'utf8');
      const ok = now === original[i] || now === fixedOf.get(original[i]);
      if (!ok) throw new Error(`svc${i}: half-written content after SIGKILL at ${delay} ms`);
      if (now !== original[i]) fixed++;
    }
    // A second run finishes the job.
    const r = runCli(['--write', '.'], root);
    expect(r.status).toBe(0);
    for (let i = 0; i < 500; i++) {
      expect(fs.readFileSync(path.join(root, `svc${String(i).padStart(3, '0')}`, 'Dockerfile'), 'utf8')).toBe(
        fixedOf.get(original[i]),
      );
    }
    expect(fixed).toBeLessThanOrEqual(334);
  });
});

describe('inputs built to be slow finish in about linear time', () => {
  const cases: [string, (n: number) => string][] = [
    [
      'a long run of continuations',
      (n) => 'FROM x\nRUN echo a \\\n' + '  && echo b \\\n'.repeat(n) + '  && echo c\n',
    ],
    ['a long run of backslashes', (n) => 'FROM x\nRUN echo ' + '\\'.repeat(n) + '\n'],
    [
      'a long run of &&',
      (n) => 'FROM x\nRUN true' + ' && true'.repeat(n) + '\nRUN rm -rf /var/lib/apt/lists/*\n',
    ],
    ['unbalanced quotes', (n) => 'FROM x\nRUN echo "' + '\'"'.repeat(n) + '\n'],
    [
      'many instructions',
      (n) => 'FROM x\n' + 'RUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\n'.repeat(n),
    ],
    ['a very long line', (n) => 'FROM x\nRUN echo ' + 'x'.repeat(n * 50) + '\n'],
  ];
  test.each(cases)('%s', async (_name, make) => {
    const time = async (n: number) => {
      const t0 = performance.now();
      await fixText(make(n)).catch((e: unknown) => {
        if (!(e instanceof InputError)) throw e;
      });
      return performance.now() - t0;
    };
    await time(200); // warm up
    const small = await time(1_000);
    const large = await time(8_000);
    // Quadratic work would take 64x as long for 8x the input; allow generous noise above 8x.
    expect(large).toBeLessThan(Math.max(small, 5) * 30);
  });
});
