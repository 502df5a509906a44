/**
 * Running over many repositories: which files discovery takes (names, git's file list, templates),
 * which it leaves alone (generated, vendored, test data, --exclude), diff paths relative to the
 * repository root from any directory, and the per-repository summary.
 */
import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generatedMarker } from '../src/dockerfile/generated.js';
import { isDockerfileName, nameSkip } from '../src/cli/names.js';
import { APT, APT_FIXED, git, gitRepository, read, runCli, tempDir, tree } from './helpers.js';

const CLEAN = 'FROM debian:bookworm-slim\nRUN echo hello\n';
const GENERATED = '#\n# NOTE: THIS DOCKERFILE IS GENERATED VIA "apply-templates.sh"\n#\n' + APT;

const repository = (files: Record<string, string>, at?: string) => gitRepository(files, { at });

/** `--check` lists the files that would change: those discovery took and did not leave alone. */
const checked = (args: string[], cwd: string) =>
  runCli(['--check', ...args], cwd)
    .stdout.split('\n')
    .filter(Boolean);

describe('discovery by name', () => {
  test.each([
    'Dockerfile',
    'dockerfile',
    'DockerFile',
    'Dockerfile.prod',
    'Dockerfile-base',
    'Dockerfile_5_2_12',
    'api.Dockerfile',
    'api.dockerfile',
    'Containerfile',
    'Containerfile.arm64',
    'Containerfile-pypi',
    'build.Containerfile',
  ])('%s is a Dockerfile name', (name) => expect(isDockerfileName(name)).toBe(true));

  test.each([
    'Dockerfiles',
    'Dockerfile2',
    'DockerfileHelper.cs',
    'Dockerfile.dockerignore',
    '.dockerignore',
    'x.txt',
  ])('%s is not', (name) => expect(isDockerfileName(name)).toBe(false));

  test.each([
    ['Dockerfile.template', 'template'],
    ['Dockerfile-alpine.template', 'template'],
    ['Dockerfile.j2', 'template'],
    ['alpine.Dockerfile.jinja2', 'template'],
    ['Dockerfile.tmpl', 'template'],
    ['Dockerfile.erb', 'template'],
    ['Dockerfile.in', 'template'],
    ['Dockerfile.py', 'not-a-dockerfile'],
    ['dockerfile_test.go', 'not-a-dockerfile'],
    ['dockerfile_test.sh', 'not-a-dockerfile'],
    ['dockerfile-readiness.md', 'not-a-dockerfile'],
    ['Dockerfile.orig', 'not-a-dockerfile'],
    ['Dockerfile~', 'not-a-dockerfile'],
  ])('%s is left alone by its name (%s)', (name, reason) => expect(nameSkip(name)?.reason).toBe(reason));

  test.each(['Dockerfile', 'Dockerfile.bash', 'Dockerfile.python', 'Dockerfile.alpine', 'Dockerfile.dev'])(
    '%s is not left alone by its name',
    (name) => expect(nameSkip(name)).toBeNull(),
  );

  test('the names people use are found; templates and other files are reported as skipped, never as errors', () => {
    const root = tree({
      'a/dockerfile': APT,
      'b/Dockerfile-worker': APT,
      'c/Dockerfile_5_2': APT,
      'd/Containerfile-pypi': APT,
      'e/Dockerfile.template': '{{ .Base }}\n',
      'e/Dockerfile.jinja2': APT,
      'f/dockerfile_test.go': 'package x\n',
      'g/Dockerfile.python': APT,
    });
    expect(checked([], root)).toEqual([
      'a/dockerfile',
      'b/Dockerfile-worker',
      'c/Dockerfile_5_2',
      'd/Containerfile-pypi',
      'g/Dockerfile.python',
    ]);
    const r = runCli(['--dry-run', '--verbose'], root);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      'e/Dockerfile.jinja2: left alone: a template (.jinja2): fix what renders it, or name the file to fix it anyway',
    );
    expect(r.stderr).toContain('f/dockerfile_test.go: left alone: not a Dockerfile (a .go file)');
    expect(r.stderr).toContain(
      '8 files: 5 changed, 0 unchanged, 3 left alone (2 templates, 1 not a Dockerfile)',
    );
    // Named on the command line, a template is what the user asked for: fixed when it parses.
    expect(checked(['e/Dockerfile.jinja2'], root)).toEqual(['e/Dockerfile.jinja2']);
    expect(runCli(['--check', 'f/dockerfile_test.go'], root).status).toBe(2);
  });

  test("a config's names add file names; a listed name is a Dockerfile whatever its extension", () => {
    const root = tree({
      '.dockerfixrc.json': JSON.stringify({ names: ['Dockerfile[0-9]*', '*.df'] }),
      Dockerfile2: APT,
      'svc/app.df': APT,
      'svc/Dockerfile.in': APT,
    });
    expect(checked([], root)).toEqual(['Dockerfile2', 'svc/app.df']);
    fs.writeFileSync(path.join(root, '.dockerfixrc.json'), JSON.stringify({ names: ['Dockerfile.in'] }));
    expect(checked([], root)).toEqual(['svc/Dockerfile.in']);
    fs.writeFileSync(path.join(root, '.dockerfixrc.json'), JSON.stringify({ names: 'Dockerfile*' }));
    expect(runCli(['--check'], root).stderr).toContain('names must be a list of patterns');
  });
});

describe('discovery in a git work tree', () => {
  test('tracked files are candidates even when a .gitignore pattern matches them; ignored untracked files are not', () => {
    const root = repository({
      '.gitignore': 'build/\n*.local.Dockerfile\n',
      'build/Dockerfile': APT,
      'svc/Dockerfile': APT,
    });
    fs.writeFileSync(path.join(root, 'dev.local.Dockerfile'), APT); // untracked and ignored
    fs.mkdirSync(path.join(root, 'new'));
    fs.writeFileSync(path.join(root, 'new', 'Dockerfile'), APT); // untracked, not ignored
    expect(checked([], root)).toEqual(['build/Dockerfile', 'new/Dockerfile', 'svc/Dockerfile']);
    // From a subdirectory: its files only.
    expect(checked(['.'], path.join(root, 'svc'))).toEqual(['Dockerfile']);
  });

  test('nested repositories and files deleted from the work tree are not listed; without git, the tree is walked', () => {
    const root = repository({ 'svc/Dockerfile': APT, 'gone/Dockerfile': APT });
    fs.rmSync(path.join(root, 'gone'), { recursive: true });
    repository({ Dockerfile: APT }, path.join(root, 'nested'));
    expect(checked([], root)).toEqual(['svc/Dockerfile']);
    // A git that cannot run (here: none on PATH) means walking the tree, .gitignore honoured.
    fs.writeFileSync(path.join(root, '.gitignore'), 'svc/\n');
    const r = runCli(['--check'], root, { PATH: tempDir() });
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['nested/Dockerfile']);
  });
});

describe('files left alone', () => {
  test('generated files: detected by their header, reported with the line; --include-generated and the config fix them', () => {
    const root = tree({ 'gen/Dockerfile': GENERATED, 'own/Dockerfile': APT });
    const r = runCli(['--write', '--verbose'], root);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      'gen/Dockerfile: left alone: generated (line 2: “NOTE: THIS DOCKERFILE IS GENERATED VIA "apply-templates.sh"”): fix what generates it, or use --include-generated',
    );
    expect(read(root, 'gen/Dockerfile')).toBe(GENERATED);
    expect(read(root, 'own/Dockerfile')).toBe(APT_FIXED);
    // Named on the command line it is still generated: the header says where to fix it.
    expect(runCli(['--check', 'gen/Dockerfile'], root).status).toBe(0);
    expect(runCli(['--check', '--include-generated', 'gen/Dockerfile'], root).status).toBe(1);
    fs.writeFileSync(path.join(root, 'gen', '.dockerfixrc.json'), '{ "includeGenerated": true }');
    expect(checked([], root)).toEqual(['gen/Dockerfile']);
    expect(runCli(['--check', '--no-include-generated'], root).status).toBe(0);
  });

  test('Dockerfiles in version directories beside a root Dockerfile template are rendered from it: left alone unless named', () => {
    const root = tree({
      'Dockerfile-debian.template': APT,
      '22/bookworm/Dockerfile': APT,
      'stable/alpine3.21/Dockerfile': APT,
      'tools/Dockerfile': APT,
    });
    const r = runCli(['--write', '--verbose'], root);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      '22/bookworm/Dockerfile: left alone: generated (rendered from `Dockerfile-debian.template`: a version directory beside a Dockerfile template): fix the template, or use --include-generated',
    );
    expect(read(root, '22/bookworm/Dockerfile')).toBe(APT);
    expect(read(root, 'stable/alpine3.21/Dockerfile')).toBe(APT);
    expect(read(root, 'tools/Dockerfile')).toBe(APT_FIXED);
    // Named on the command line, the user chose the file: it is fixed.
    expect(runCli(['--check', '22/bookworm/Dockerfile'], root).status).toBe(1);
    expect(checked(['--include-generated'], root)).toEqual(['22/bookworm/Dockerfile', 'stable/alpine3.21/Dockerfile']);
    // Without a template at the root, a version directory is just a directory.
    const plain = tree({ '22/Dockerfile': APT });
    expect(checked([], plain)).toEqual(['22/Dockerfile']);
  });

  test('vendored and test-data directories are excluded by default, below the directory searched', () => {
    const root = tree({
      'vendor/github.com/x/Dockerfile': APT,
      'third_party/lib/Dockerfile': APT,
      'pkg/testdata/Dockerfile': APT,
      'test/fixtures/Dockerfile': APT,
      'tests/e2e/Dockerfile': APT,
      '__testfixtures__/a/Dockerfile': APT,
      'svc/Dockerfile': APT,
    });
    expect(checked([], root)).toEqual(['svc/Dockerfile']);
    const r = runCli(['--check', '--verbose'], root);
    expect(r.stderr).toContain(
      'vendor/github.com/x/Dockerfile: left alone: in vendor/ (vendored code, excluded by default; --no-default-excludes to include it)',
    );
    expect(r.stderr).toContain(
      'pkg/testdata/Dockerfile: left alone: in pkg/testdata/ (test data, excluded by default;',
    );
    expect(r.stderr).toContain('7 files: 1 changed, 0 unchanged, 6 left alone (6 excluded)');
    expect(checked(['--no-default-excludes'], root)).toHaveLength(7);
    // Searching inside such a directory, or naming a file, is asking for it.
    expect(checked(['vendor'], root)).toEqual(['vendor/github.com/x/Dockerfile']);
    expect(checked(['tests/e2e/Dockerfile'], root)).toEqual(['tests/e2e/Dockerfile']);
    fs.writeFileSync(path.join(root, '.dockerfixrc.json'), '{ "defaultExcludes": false }');
    expect(checked([], root)).toHaveLength(7);
  });

  test('--exclude (relative to each directory searched) and the config exclude (relative to the config)', () => {
    const root = tree({
      'legacy/Dockerfile': APT,
      'svc/a/Dockerfile': APT,
      'svc/a/x.gen.Dockerfile': APT,
      'svc/b/Dockerfile': APT,
    });
    expect(checked(['--exclude', 'legacy/', '--exclude', '*.gen.Dockerfile'], root)).toEqual([
      'svc/a/Dockerfile',
      'svc/b/Dockerfile',
    ]);
    expect(checked(['--exclude', 'b/', 'svc'], root)).toEqual(['svc/a/Dockerfile', 'svc/a/x.gen.Dockerfile']);
    expect(runCli(['--check', '--verbose', '--exclude', 'legacy/'], root).stderr).toContain(
      'legacy/Dockerfile: left alone: excluded by --exclude',
    );
    fs.writeFileSync(path.join(root, 'svc', '.dockerfixrc.json'), '{ "exclude": ["/a/"] }');
    expect(checked([], root)).toEqual(['legacy/Dockerfile', 'svc/b/Dockerfile']);
    // A file named on the command line is never excluded.
    expect(checked(['--exclude', 'legacy/', 'legacy/Dockerfile', 'svc/a/Dockerfile'], root)).toEqual([
      'legacy/Dockerfile',
      'svc/a/Dockerfile',
    ]);
  });
});

describe('generated-file markers', () => {
  test.each([
    ['# NOTE: THIS DOCKERFILE IS GENERATED VIA "apply-templates.sh"', 1],
    ['# ---\n#             NOTE: THIS FILE IS GENERATED VIA "generate_dockerfiles.py"', 2],
    ['# DO NOT EDIT: created by update.sh from Dockerfile-debian.template', 1],
    ['# Code generated by gen.go. DO NOT EDIT.', 1],
    ['# DO NOT MODIFY THIS FILE.  THIS FILE HAS BEEN AUTOGENERATED', 1],
    ['# @generated by tools/dockerfiles', 1],
    ['# Generated by hack/update-dockerfiles.sh', 1],
    ['# This file is auto-generated; edit the template instead', 1],
    ['\ufeff# syntax=docker/dockerfile:1\n\n# Automatically generated from images.yaml', 3],
  ])('%j is generated (line %d)', (header, line) => {
    expect(generatedMarker(header + '\nFROM x\n')?.line).toBe(line);
  });

  test.each([
    '# Do not generate certificate\nFROM x\n',
    '# The generated documentation will be copied to ./docs\nFROM x\n',
    '# Generate the RPM manifest\nFROM x\n',
    'FROM x\nRUN echo "DO NOT EDIT"\n',
    'FROM x\n' + '\n'.repeat(10) + '# DO NOT EDIT\n',
    '# Internal setting do NOT change! Signals that it runs in a container\nFROM x\n',
  ])('%j is not', (text) => expect(generatedMarker(text)).toBeNull());
});

describe('diff paths', () => {
  test('relative to the repository root from any directory: git apply and patch -p1 apply them there', () => {
    const files = { 'svc/api/Dockerfile': APT, 'svc/web/Dockerfile': APT, Dockerfile: CLEAN };
    const root = repository(files);
    const outside = path.dirname(root);
    for (const [cwd, arg] of [
      [root, '.'],
      [path.join(root, 'svc', 'api'), '.'],
      [path.join(root, 'svc', 'api'), '../web'],
      [outside, path.basename(root)],
      ['/', root],
    ]) {
      const r = runCli([arg], cwd);
      expect(r.stdout).not.toMatch(/^(---|\+\+\+) [ab]\/(\.\.|\/)/m);
      expect(r.stdout).toMatch(/^\+\+\+ b\/svc\/(api|web)\/Dockerfile$/m);
      fs.writeFileSync(path.join(outside, 'fix.patch'), r.stdout);
      execFileSync('git', ['apply', '--check', path.join(outside, 'fix.patch')], { cwd: root });
      execFileSync('patch', ['-p1', '--dry-run', '-s', '-i', path.join(outside, 'fix.patch')], { cwd: root });
    }
    // What it applies is what --write writes.
    const patch = runCli([], path.join(root, 'svc'));
    execFileSync('git', ['apply', '-'], { cwd: root, input: patch.stdout });
    const applied = Object.keys(files).map((f) => read(root, f));
    git(root, 'checkout', '-q', '.');
    expect(runCli(['--write'], path.join(root, 'svc')).status).toBe(0);
    expect(Object.keys(files).map((f) => read(root, f))).toEqual(applied);
  });

  test('outside git: relative to the directory given', () => {
    const root = tree({ 'a/Dockerfile': APT });
    const r = runCli([path.join(root, 'a')], '/');
    expect(r.stdout).toContain('--- a/Dockerfile\n+++ b/Dockerfile\n');
    execFileSync('patch', ['-p1', '-s'], { cwd: path.join(root, 'a'), input: r.stdout });
    expect(read(root, 'a/Dockerfile')).toBe(APT_FIXED);
  });
});

describe('--format summary', () => {
  test('a line per repository: its files, what was left alone and why, its fixes', () => {
    const parent = tempDir();
    repository({ 'svc/Dockerfile': APT, 'docker/Dockerfile': GENERATED }, path.join(parent, 'one'));
    repository({ Dockerfile: CLEAN, 'vendor/x/Dockerfile': APT }, path.join(parent, 'two'));
    const r = runCli(['--format', 'summary', 'one', 'two'], parent);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('one/svc/Dockerfile: would change (3 edits: apt-cache, apt-no-install-recommends, fold-cleanup)\n');
    expect(r.stdout).toContain(
      '\nBy repository:\n' +
        'one: 2 files: 1 changed, 0 unchanged, 1 left alone (1 generated), 0 skipped edits, 0 errors; 2 fixes (and 1 review fix not applied)\n' +
        'two: 2 files: 0 changed, 1 unchanged, 1 left alone (1 excluded), 0 skipped edits, 0 errors; 0 fixes\n',
    );
    expect(r.stderr).toBe(
      '4 files: 1 changed, 1 unchanged, 2 left alone (1 generated, 1 excluded), 0 skipped edits, 0 errors\n',
    );
  });
});

describe('--format markdown', () => {
  test('one document per repository: subject, changes per file, what needs review, why', () => {
    const parent = tempDir();
    repository(
      {
        'svc/Dockerfile': APT,
        // A review fix (a .dockerignore proposal), not applied without --unsafe.
        'py/Dockerfile': 'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n',
        'py/requirements.txt': 'flask\n',
        'py/x/__pycache__/a.pyc': '',
      },
      path.join(parent, 'one'),
    );
    repository({ Dockerfile: CLEAN, 'docker/Dockerfile': GENERATED }, path.join(parent, 'two'));
    const r = runCli(['--format', 'markdown', 'one', 'two'], parent);
    expect(r.status).toBe(0);
    const [one, two] = r.stdout.split('\n---\n\n');
    // The subject names the transforms when they fit in 72 characters, else counts the fixes.
    expect(one).toMatch(/^dockerfix: 4 fixes in 2 Dockerfiles\n\n/);
    expect(one).toContain(
      'dockerfix 0.1.0 would rewrite 2 Dockerfiles of this repository (2 Dockerfiles found)',
    );
    expect(one).toContain(
      '\n### `py/Dockerfile`\n\n- line 2, `copy-manifests-first`: Copied `requirements.txt` before `RUN pip install -r requirements.txt` and moved `COPY . .` after it,',
    );
    // Characters Markdown would read as formatting are escaped outside code spans.
    expect(one).toContain(
      '## Needs review\n\n- `py/Dockerfile` line 3, `dockerignore` (not applied: a review fix): Proposed a .dockerignore (\\*\\*/\\_\\_pycache\\_\\_): `COPY . .` sends',
    );
    expect(one).toContain('\n## Why\n\n### `fold-cleanup` — ');
    expect(one).toContain('\nBefore:\n\n```dockerfile\n');
    expect(one).toContain(
      'Read more: [Docker docs: Optimize cache usage in builds › Use cache mounts](https://docs.docker.com/build/cache/optimize/#use-cache-mounts)',
    );
    expect(one).not.toContain('### `dockerignore` — '); // not applied: not among the transforms used
    expect(two).toBe(
      'dockerfix: no changes\n\n' +
        'dockerfix 0.1.0 changed nothing here (2 Dockerfiles found).\n\n' +
        '## Needs review\n\n' +
        'Left alone (1: 1 generated):\n\n' +
        '- `docker/Dockerfile`: generated (line 2: “NOTE: THIS DOCKERFILE IS GENERATED VIA "apply-templates.sh"”): fix what generates it, or use --include-generated\n',
    );
  });
});

describe('stderr', () => {
  test('one short line per fix: its first clause, quoting the input; --verbose gives the whole message', () => {
    const root = tree({
      Dockerfile:
        'FROM python:3.12\n' +
        'RUN --mount=type=secret,id=token pip install --no-cache-dir -r requirements.txt && pip install --no-cache-dir gunicorn\n',
    });
    const short = runCli([], root).stderr.split('\n')[0];
    expect(short).toBe(
      'Dockerfile:2: pip-cache: Added a cache mount for /root/.cache/pip to `RUN pip install --no-cache-dir -r …`',
    );
    const full = runCli(['--verbose'], root).stderr.split('\n')[0];
    expect(full).toBe(short + '; removed `--no-cache-dir` (×2), which would defeat the mount');
    // JSON keeps the whole message.
    const json = JSON.parse(runCli(['--format', 'json'], root).stdout) as { edits: { message: string }[] };
    expect(json.edits[0].message).toBe(full.slice('Dockerfile:2: pip-cache: '.length));
  });

  test('quotes keep the flags that tell instructions apart (--from, --network), not --mount', () => {
    const root = tree({
      Dockerfile: 'FROM debian\nRUN apt-get update\nRUN --network=none apt-get install -y curl\n',
    });
    expect(runCli(['--verbose'], root).stderr).toContain(
      '`RUN apt-get update` and `RUN --network=none apt-get install -y curl` have different flags',
    );
  });
});

describe('--format markdown, many files left alone', () => {
  test('files left alone for the same reason are one line from four on', () => {
    const files: Record<string, string> = { Dockerfile: APT, 'vendor/a/Dockerfile': APT };
    for (const n of [1, 2, 3, 4, 5]) files[`tests/case${n}/Dockerfile`] = APT;
    const r = runCli(['--format', 'markdown'], repository(files));
    expect(r.stdout).toContain(
      'Left alone (6: 6 excluded):\n\n' +
        '- 5 files (`tests/case1/Dockerfile`, `tests/case2/Dockerfile`, …): in tests/ (test data, excluded by default; --no-default-excludes to include it)\n' +
        '- `vendor/a/Dockerfile`: in vendor/ (vendored code, excluded by default; --no-default-excludes to include it)\n',
    );
  });
});

describe('globs', () => {
  test('are searches: templates and other files left alone, exclusions below their fixed directories', () => {
    const root = tree({
      'svc/Dockerfile': APT,
      'svc/README.md': '# svc\n',
      'svc/Dockerfile.template': '{{ .Base }}\n',
      'svc/vendor/x/Dockerfile': APT,
      'vendor/y/Dockerfile': APT,
    });
    const r = runCli(['--check', '--verbose', 'svc/*', 'svc/**/Dockerfile'], root);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('svc/Dockerfile\n');
    expect(r.stderr).toContain('svc/README.md: left alone: not a Dockerfile (a .md file)');
    expect(r.stderr).toContain('svc/vendor/x/Dockerfile: left alone: in vendor/ (vendored code');
    // A glob that starts inside vendor/ asks for it.
    expect(checked(['vendor/**/Dockerfile'], root)).toEqual(['vendor/y/Dockerfile']);
  });
});
