/** The executable, run as a subprocess on temporary trees. */
import { describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { APT, APT_FIXED, cliPath, git, repoRoot, runCli, tempDir, read, tree } from './helpers.js';

const CLEAN = 'FROM debian:bookworm-slim\nRUN echo hello\n';

describe('--dry-run (the default)', () => {
  test('prints a diff that git apply applies cleanly, and writes nothing', () => {
    const root = tree({
      'svc/a/Dockerfile': APT,
      'svc/b/Dockerfile.prod': APT.replace(/\n/g, '\r\n'),
      'c.Dockerfile': CLEAN,
    });
    const r = runCli([], root);
    expect(r.status).toBe(0);
    expect(read(root, 'svc/a/Dockerfile')).toBe(APT);
    expect(r.stdout).toContain('--- a/svc/a/Dockerfile\n+++ b/svc/a/Dockerfile\n');
    expect(r.stdout).toContain('--- a/svc/b/Dockerfile.prod');
    expect(r.stderr).toContain('3 files: 2 changed, 1 unchanged, 0 skipped edits, 0 errors');
    expect(r.stderr).toMatch(/svc\/a\/Dockerfile:3: fold-cleanup: Moved `rm -rf \/var\/lib\/apt\/lists\/\*`/);

    // Apply the printed patch and compare with what --write produces.
    const applied = tree({
      'svc/a/Dockerfile': APT,
      'svc/b/Dockerfile.prod': APT.replace(/\n/g, '\r\n'),
      'c.Dockerfile': CLEAN,
    });
    fs.writeFileSync(path.join(applied, 'fix.patch'), r.stdout);
    execFileSync('git', ['apply', '--check', 'fix.patch'], { cwd: applied });
    execFileSync('git', ['apply', 'fix.patch'], { cwd: applied });
    expect(runCli(['--write'], root).status).toBe(0);
    for (const f of ['svc/a/Dockerfile', 'svc/b/Dockerfile.prod', 'c.Dockerfile']) {
      expect(fs.readFileSync(path.join(applied, f))).toEqual(fs.readFileSync(path.join(root, f)));
    }
    expect(read(root, 'svc/b/Dockerfile.prod')).toBe(APT_FIXED.replace(/\n/g, '\r\n'));
  });

  test('a reader that stops early (| head) ends the run quietly, status 141 as for SIGPIPE', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`svc${i}/Dockerfile`] = APT;
    const root = tree(files);
    const r = execFileSync(
      'bash',
      ['-c', `node ${JSON.stringify(cliPath)} --dry-run 2>err.txt | head -1; echo "\${PIPESTATUS[0]}"`],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    );
    expect(r).toBe('--- a/svc0/Dockerfile\n141\n');
    expect(read(root, 'err.txt')).not.toContain('EPIPE');
  });

  test('diffs (stdout) and fix lines (stderr) stay in file order when both go to one file', () => {
    const root = tree({ 'a/Dockerfile': APT, 'b/Dockerfile': APT, 'c/Dockerfile': APT });
    execFileSync('bash', ['-c', `node ${JSON.stringify(cliPath)} --dry-run >out.txt 2>&1 || true`], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const lines = read(root, 'out.txt').split('\n');
    // Each file's diff, then its fix lines, then the next file; the summary last.
    const owners = lines.flatMap((l) => {
      const m = /^--- a\/(\w)\/Dockerfile$/.exec(l) ?? /^(\w)\/Dockerfile:\d+: /.exec(l);
      return m ? [`${m[1]}${l.startsWith('---') ? ' diff' : ' fix'}`] : [];
    });
    expect(owners.filter((x, i) => x !== owners[i - 1])).toEqual([
      'a diff',
      'a fix',
      'b diff',
      'b fix',
      'c diff',
      'c fix',
    ]);
    expect(lines.filter((l) => l !== '').pop()).toMatch(/^3 files: 3 changed/);
  });

  test('patch -p1 applies a diff of a file without a final newline', () => {
    const input = APT.slice(0, -1);
    const root = tree({ Dockerfile: input });
    const r = runCli(['Dockerfile'], root);
    fs.writeFileSync(path.join(root, 'fix.patch'), r.stdout);
    execFileSync('patch', ['-p1', '-s', '-i', 'fix.patch'], { cwd: root });
    expect(read(root, 'Dockerfile')).toBe(APT_FIXED.slice(0, -1));
  });

  test('patch -p1 and git apply take a diff of a path with a blank (its header name ends with a tab)', () => {
    const root = tree({ 'my service/Dockerfile': APT });
    const r = runCli(['my service/Dockerfile'], root);
    expect(r.stdout).toContain('--- a/my service/Dockerfile\t\n+++ b/my service/Dockerfile\t\n');
    fs.writeFileSync(path.join(root, 'fix.patch'), r.stdout);
    execFileSync('patch', ['-p1', '-s', '-i', 'fix.patch'], { cwd: root });
    expect(read(root, 'my service/Dockerfile')).toBe(APT_FIXED);
  });
});

describe('--write', () => {
  test('writes atomically, keeping the mode, CRLF and BOM, and leaves no temporary file', () => {
    const crlf = '\ufeff' + APT.replace(/\n/g, '\r\n');
    const root = tree({ Dockerfile: crlf, 'sub/Containerfile': APT });
    fs.chmodSync(path.join(root, 'Dockerfile'), 0o640);
    const before = fs.statSync(path.join(root, 'Dockerfile'));
    const r = runCli(['--write', '.'], root);
    expect(r.status).toBe(0);
    expect(read(root, 'Dockerfile')).toBe('\ufeff' + APT_FIXED.replace(/\n/g, '\r\n'));
    expect(read(root, 'sub/Containerfile')).toBe(APT_FIXED);
    const after = fs.statSync(path.join(root, 'Dockerfile'));
    expect(after.mode & 0o7777).toBe(0o640);
    expect(after.ino).not.toBe(before.ino); // replaced by rename, not rewritten in place
    expect(fs.readdirSync(root).sort()).toEqual(['Dockerfile', 'sub']);
    expect(r.stderr).toContain('2 files: 2 changed, 0 unchanged');
  });

  test('a second run changes nothing', () => {
    const root = tree({ Dockerfile: APT });
    runCli(['--write'], root);
    const r = runCli(['--write'], root);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('1 file: 0 changed, 1 unchanged');
  });

  test('a read-only file is an error; the others are written', () => {
    const root = tree({ 'a/Dockerfile': APT, 'b/Dockerfile': APT });
    fs.chmodSync(path.join(root, 'a/Dockerfile'), 0o444);
    const r = runCli(['--write'], root);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('dockerfix: a/Dockerfile: read-only file; not written\n');
    expect(read(root, 'a/Dockerfile')).toBe(APT);
    expect(read(root, 'b/Dockerfile')).toBe(APT_FIXED);
  });
});

describe('--check', () => {
  test('lists the files that would change and exits 1, writing nothing', () => {
    const root = tree({ 'a/Dockerfile': APT, 'b/Dockerfile': CLEAN });
    const r = runCli(['--check'], root);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('a/Dockerfile\n');
    expect(read(root, 'a/Dockerfile')).toBe(APT);
  });

  test('exits 0 when nothing would change', () => {
    const root = tree({ Dockerfile: CLEAN });
    expect(runCli(['--check'], root).status).toBe(0);
  });
});

describe('errors', () => {
  test('found in a directory, a file that is not a Dockerfile is left alone (not an error), with the reason', () => {
    const files = {
      'bad/Dockerfile': '{{ template "base" }}\nRUN echo\n',
      'bin/Dockerfile': 'FROM x\n\u0000\u0001',
      'empty/Dockerfile': '',
      'good/Dockerfile': APT,
    };
    const root = tree(files);
    const r = runCli(['--write', '--verbose'], root);
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes(': left alone: '))).toEqual([
      "bad/Dockerfile: left alone: not a Dockerfile: line 1: unknown instruction '{{'",
      'bin/Dockerfile: left alone: not a Dockerfile: binary file (contains NUL bytes)',
      'empty/Dockerfile: left alone: not a Dockerfile: empty file',
    ]);
    expect(read(root, 'good/Dockerfile')).toBe(APT_FIXED);
    expect(read(root, 'bad/Dockerfile')).toBe(files['bad/Dockerfile']);
    expect(r.stderr).toContain(
      '4 files: 1 changed, 0 unchanged, 3 left alone (3 not Dockerfiles), 0 skipped edits, 0 errors',
    );
  });

  test('named on the command line, a file that is not a Dockerfile is one error line and exit 2', () => {
    const root = tree({
      'bad/Dockerfile': '{{ template "base" }}\nRUN echo\n',
      'bin/Dockerfile': 'FROM x\n\u0000\u0001',
      'empty/Dockerfile': '',
      'good/Dockerfile': APT,
    });
    const r = runCli(
      ['--write', 'bad/Dockerfile', 'bin/Dockerfile', 'empty/Dockerfile', 'good/Dockerfile'],
      root,
    );
    expect(r.status).toBe(2);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('dockerfix: '));
    expect(errors).toEqual([
      "dockerfix: bad/Dockerfile: line 1: unknown instruction '{{'",
      'dockerfix: bin/Dockerfile: binary file (contains NUL bytes)',
      'dockerfix: empty/Dockerfile: empty file',
    ]);
    expect(read(root, 'good/Dockerfile')).toBe(APT_FIXED);
    expect(r.stderr).toContain('4 files: 1 changed, 0 unchanged, 0 skipped edits, 3 errors');
  });

  test('a path that does not exist is an error; the rest is processed', () => {
    const root = tree({ Dockerfile: APT });
    const r = runCli(['--check', 'nope', 'Dockerfile'], root);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('dockerfix: nope: no such file or directory');
    expect(r.stdout).toBe('Dockerfile\n');
  });

  test('unknown transform ids are a usage error', () => {
    const r = runCli(['--only', 'fold-cleanup,nope'], tempDir());
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown transform 'nope'");
  });

  test('--write and --check together are a usage error', () => {
    expect(runCli(['--write', '--check'], tempDir()).status).toBe(2);
  });
});

describe('discovery', () => {
  test('never follows a symlink out of the tree, and reports broken links', () => {
    const outside = tree({ Dockerfile: APT });
    const root = tree({ 'svc/Dockerfile': APT });
    fs.symlinkSync(path.join(outside, 'Dockerfile'), path.join(root, 'svc', 'Dockerfile.linked'));
    fs.symlinkSync(path.join(root, 'missing'), path.join(root, 'Dockerfile.broken'));
    fs.symlinkSync(outside, path.join(root, 'linked-dir'));
    const r = runCli(['--write'], root);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /dockerfix: svc\/Dockerfile\.linked: symlink points outside the tree .*; not followed/,
    );
    expect(r.stderr).toContain('dockerfix: Dockerfile.broken: broken symlink');
    expect(read(outside, 'Dockerfile')).toBe(APT);
    expect(read(root, 'svc/Dockerfile')).toBe(APT_FIXED);
  });

  test('a symlink inside the tree is processed once, through its target', () => {
    const root = tree({ 'svc/Dockerfile': APT });
    fs.symlinkSync('svc/Dockerfile', path.join(root, 'Dockerfile'));
    const r = runCli(['--write'], root);
    expect(r.stderr).toContain('1 file: 1 changed');
    expect(fs.lstatSync(path.join(root, 'Dockerfile')).isSymbolicLink()).toBe(true);
    expect(read(root, 'svc/Dockerfile')).toBe(APT_FIXED);
  });

  test('honours .gitignore (nested too), skips node_modules and .git, and matches Dockerfile names only', () => {
    const root = tree({
      '.gitignore': 'build/\n*.generated.Dockerfile\n',
      'build/Dockerfile': APT,
      'x.generated.Dockerfile': APT,
      'node_modules/pkg/Dockerfile': APT,
      'svc/.gitignore': 'skip/\n',
      'svc/skip/Dockerfile': APT,
      'svc/Dockerfile.dockerignore': 'node_modules\n',
      'svc/README.md': 'hi',
      'svc/api.dockerfile': APT,
      'svc/Dockerfile': APT,
      Containerfile: APT,
    });
    git(root, 'init', '-q');
    fs.mkdirSync(path.join(root, '.git', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(root, '.git', 'sub', 'Dockerfile'), APT);
    const r = runCli(['--check'], root);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      'Containerfile',
      'svc/Dockerfile',
      'svc/api.dockerfile',
    ]);
  });

  test('globs and explicit files of any name', () => {
    const root = tree({ 'a/Dockerfile': APT, 'b/Dockerfile': APT, 'c/custom.txt': APT });
    const r = runCli(['--check', 'a/*', 'c/custom.txt'], root);
    expect(r.stdout).toBe('a/Dockerfile\nc/custom.txt\n');
  });

  test('--only and --skip select transforms', () => {
    const root = tree({ Dockerfile: APT });
    expect(runCli(['--check', '--only', 'go-cache'], root).status).toBe(0);
    expect(runCli(['--check', '--skip', 'fold-cleanup,merge-apt-runs,apt-cache'], root).status).toBe(0);
    expect(runCli(['--check', '--only', 'fold-cleanup'], root).status).toBe(1);
  });

  test('--list-transforms names every transform', () => {
    const r = runCli(['--list-transforms'], tempDir());
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^id +safety +modes +title\nfold-cleanup +safe +buildkit,portable +Fold cleanup RUNs/,
    );
  });
});

describe('safety and options', () => {
  const NON_ROOT =
    'FROM python:3.12\nRUN groupadd -g 1001 app && useradd -m -u 1001 -g app app\nUSER app\nRUN pip install flask\n';

  test('a review fix is reported but applied only with --unsafe', () => {
    const root = tree({ Dockerfile: NON_ROOT });
    const dry = runCli(['--check'], root);
    expect(dry.status).toBe(0);
    expect(dry.stderr).toContain('pip-cache: Added a cache mount for /home/app/.cache/pip');
    expect(dry.stderr).toContain('(review: not applied without --unsafe)');
    const w = runCli(['--write', '--unsafe'], root);
    expect(w.status).toBe(0);
    expect(read(root, 'Dockerfile')).toContain(
      'RUN --mount=type=cache,target=/home/app/.cache/pip,uid=1001,gid=1001 \\\n    pip install flask\n',
    );
  });

  test('--add-syntax pins the frontend only in files given RUN --mount; --mode portable never mounts', () => {
    const root = tree({ 'a/Dockerfile': 'FROM python:3.12\nRUN pip install flask\n', 'b/Dockerfile': CLEAN });
    expect(runCli(['--write', '--add-syntax'], root).status).toBe(0);
    expect(read(root, 'a/Dockerfile').startsWith('# syntax=docker/dockerfile:1\nFROM python:3.12\n')).toBe(
      true,
    );
    expect(read(root, 'b/Dockerfile')).toBe(CLEAN);
    const p = tree({ Dockerfile: 'FROM python:3.12\nRUN pip install flask\n' });
    expect(runCli(['--write', '--mode', 'portable'], p).status).toBe(0);
    expect(read(p, 'Dockerfile')).toBe('FROM python:3.12\nRUN pip install --no-cache-dir flask\n');
  });
});

describe('worker pool', () => {
  test('--jobs 2 prints and writes exactly what a sequential run does', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++)
      files[`s${i}/Dockerfile`] = i % 3 === 0 ? CLEAN : i % 3 === 1 ? APT : 'FROM x\nRUN [\n';
    const a = tree(files);
    const b = tree(files);
    const seq = runCli(['--dry-run', '--verbose', '--jobs', '1'], a);
    const par = runCli(['--dry-run', '--verbose', '--jobs', '2'], a);
    expect(par.status).toBe(seq.status);
    expect(par.stdout).toBe(seq.stdout);
    expect(par.stderr).toBe(seq.stderr);
    expect(runCli(['--write', '--jobs', '2'], b).status).toBe(runCli(['--write', '--jobs', '1'], a).status);
    for (const rel of Object.keys(files)) expect(read(b, rel)).toBe(read(a, rel));
  });
});

describe('start-up code cache', () => {
  const debug = { DOCKERFIX_DEBUG_CODE_CACHE: '1' };

  test('the build records a code cache that this Node accepts', () => {
    const root = tree({ Dockerfile: APT });
    const r = runCli(['--check'], root, debug);
    expect(r.stderr.split('\n')[0]).toBe('dockerfix: code cache accepted');
    expect(r.status).toBe(1);
  });

  test('a cache made for another bundle is not used, and the command works without it', () => {
    // A copy of bin/ and dist/bundle/ inside dist/, so that it still finds node_modules.
    const copy = fs.mkdtempSync(path.join(repoRoot, 'dist', 'cache-test-'));
    try {
      fs.cpSync(path.join(repoRoot, 'bin'), path.join(copy, 'bin'), { recursive: true });
      fs.cpSync(path.join(repoRoot, 'dist', 'bundle'), path.join(copy, 'dist', 'bundle'), {
        recursive: true,
      });
      // Same length, other content: V8 alone would not notice (it checks the source's length).
      const cjs = path.join(copy, 'dist', 'bundle', 'cli.cjs');
      const source = fs.readFileSync(cjs, 'utf8');
      fs.writeFileSync(cjs, source.replace(/\n$/, ' '));
      const root = tree({ Dockerfile: APT });
      const runCopy = (...args: string[]) =>
        spawnSync(process.execPath, [path.join(copy, 'bin', 'dockerfix.js'), ...args], {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, NODE_OPTIONS: '', ...debug },
        });
      const r = runCopy('--write');
      expect(r.stderr.split('\n')[0]).toBe('dockerfix: code cache none');
      expect(r.status).toBe(0);
      expect(read(root, 'Dockerfile')).toBe(APT_FIXED);
      // Without a cache file at all, the same.
      fs.rmSync(path.join(copy, 'dist', 'bundle', 'cli.cache'));
      const again = runCopy('--check');
      expect(again.stderr.split('\n')[0]).toBe('dockerfix: code cache none');
      expect(again.status).toBe(0);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
