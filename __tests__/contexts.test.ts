/**
 * Build-context inference: the readers of compose, bake, workflow, GitLab, Makefile, script and
 * skaffold files, and the command line choosing each Dockerfile's contexts from them (with
 * `--context` and the config mapping winning, several contexts checked together, the origin in
 * `--verbose` and JSON, and the proposed .dockerignore in the inferred context).
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import {
  bakeBuilds,
  buildCommandArgs,
  composeBuilds,
  gitlabBuilds,
  makefileBuilds,
  scriptBuilds,
  skaffoldBuilds,
  workflowBuilds,
} from '../src/tools/docker-build.js';
import { initShellParser } from '../src/shell/index.js';
import { runCli, tree } from './helpers.js';

beforeAll(() => initShellParser());

const PIP_FILE =
  'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n';
const PIP_FIXED =
  'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n';

describe('readers', () => {
  test('docker build, buildx, podman and buildah arguments', () => {
    expect(buildCommandArgs('docker', ['build', '-f', 'docker/Dockerfile', '-t', 'x', '.'])).toEqual({
      file: 'docker/Dockerfile',
      context: '.',
    });
    expect(
      buildCommandArgs('docker', ['buildx', 'build', '--platform', 'linux/amd64', '--file=a/D', 'ctx']),
    ).toEqual({
      file: 'a/D',
      context: 'ctx',
    });
    expect(buildCommandArgs('podman', ['build', '--build-arg', 'A=1', 'app'])).toEqual({
      file: null,
      context: 'app',
    });
    expect(buildCommandArgs('buildah', ['bud', '-f', 'Containerfile', '.'])).toEqual({
      file: 'Containerfile',
      context: '.',
    });
    expect(buildCommandArgs('docker', ['build', 'https://example.com/repo.git'])).toBeNull();
    expect(buildCommandArgs('docker', ['build', '-'])).toBeNull();
    expect(buildCommandArgs('docker', ['run', 'x'])).toBeNull();
    expect(buildCommandArgs('docker', ['build', null])).toBeNull();
  });

  test('compose: build as a string or an object; interpolation defaults; remote contexts left out', () => {
    const refs = composeBuilds(
      [
        'services:',
        '  a:',
        '    build: ./a',
        '  b:',
        '    build:',
        '      context: ${ROOT:-..}',
        '      dockerfile: docker/Dockerfile',
        '  c:',
        '    build:',
        '      context: https://example.com/x.git',
        '  d:',
        '    build:',
        '      context: ${UNSET}',
        '  e:',
        '    image: x',
      ].join('\n'),
    );
    expect(refs.map((r) => [r.what, r.context, r.dockerfile, r.dockerfileFrom])).toEqual([
      ['service a', './a', null, 'context'],
      ['service b', '..', 'docker/Dockerfile', 'context'],
    ]);
    expect(composeBuilds('not: [valid')).toEqual([]);
  });

  test('bake: HCL targets with inherits, and JSON', () => {
    const hcl = [
      'variable "TAG" { default = "x" }',
      'target "base" {',
      '  context = "."',
      '  args = { A = "1" }',
      '}',
      'target "app" {',
      '  inherits = ["base"]',
      '  dockerfile = "docker/app.Dockerfile" # a comment',
      '}',
      'target "dyn" {',
      '  context = "${TAG}"',
      '}',
    ].join('\n');
    expect(bakeBuilds(hcl, false).map((r) => [r.what, r.context, r.dockerfile])).toEqual([
      ['target base', '.', null],
      ['target app', '.', 'docker/app.Dockerfile'],
    ]);
    const json = JSON.stringify({ target: { api: { context: 'services', dockerfile: 'api/Dockerfile' } } });
    expect(bakeBuilds(json, true).map((r) => [r.context, r.dockerfile])).toEqual([
      ['services', 'api/Dockerfile'],
    ]);
  });

  test('workflows: build-push-action (file from the repository root) and docker build in run steps', () => {
    const yml = [
      'jobs:',
      '  build:',
      '    steps:',
      '      - uses: docker/build-push-action@v6',
      '        with:',
      '          context: .',
      '          file: docker/Dockerfile',
      '      - uses: docker/build-push-action@v6',
      '        with:',
      '          context: ${{ matrix.dir }}',
      '      - uses: docker/build-push-action@v6',
      '      - run: |',
      '          cd services/api && docker build -t api .',
      '        working-directory: src',
    ].join('\n');
    const refs = workflowBuilds(yml);
    expect(
      refs.map((r) => [r.what, r.base.from, r.base.dir, r.context, r.dockerfile, r.dockerfileFrom]),
    ).toEqual([
      ['docker/build-push-action', 'root', '.', '.', 'docker/Dockerfile', 'base'],
      ['docker/build-push-action', 'root', '.', '.', null, 'context'],
      ['docker build', 'root', 'src/services/api', '.', null, 'context'],
    ]);
  });

  test('GitLab CI, Makefiles (with their variables), scripts and skaffold', () => {
    expect(
      gitlabBuilds('build:\n  script:\n    - docker build -f ci/Dockerfile .\n').map((r) => r.dockerfile),
    ).toEqual(['ci/Dockerfile']);
    const make =
      'DOCKERFILE ?= build/Dockerfile\nCTX := ..\nimage:\n\t@docker build \\\n\t  -f $(DOCKERFILE) $(CTX)\nother:\n\tdocker build -f $(UNKNOWN) .\n';
    expect(makefileBuilds(make).map((r) => [r.context, r.dockerfile, r.base.from])).toEqual([
      ['..', 'build/Dockerfile', 'file'],
    ]);
    expect(
      scriptBuilds('#!/bin/sh\nset -e\ndocker build -f "$1" .\ndocker build -t x app\n').map(
        (r) => r.context,
      ),
    ).toEqual(['app']);
    const skaffold =
      'apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n    - image: web\n      context: web\n      docker:\n        dockerfile: Dockerfile.prod\n';
    expect(skaffoldBuilds(skaffold).map((r) => [r.context, r.dockerfile])).toEqual([
      ['web', 'Dockerfile.prod'],
    ]);
  });
});

describe('the command line', () => {
  const repo = (extra: Record<string, string> = {}) =>
    tree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'docker/Dockerfile': PIP_FILE,
      'requirements.txt': 'flask\n',
      'app.py': 'print(1)\n',
      'compose.yaml':
        'services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n',
      ...extra,
    });

  test('a compose file gives the context: manifests found there, the origin in --verbose and JSON', () => {
    const root = repo();
    const r = runCli(['--only', 'copy-manifests-first', '--write', '--verbose', 'docker/Dockerfile'], root);
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(root, 'docker/Dockerfile'), 'utf8')).toBe(PIP_FIXED);
    expect(r.stderr).toContain(
      `docker/Dockerfile: build context: ${fs.realpathSync(root)} (compose.yaml: service app)`,
    );
    const j = runCli(['--only', 'copy-manifests-first', '--format', 'json', 'docker/Dockerfile'], repo());
    expect(
      (JSON.parse(j.stdout) as { contexts: { origin: string }[] }).contexts.map((c) => c.origin),
    ).toEqual(['compose.yaml: service app']);
  });

  test('--context and the config mapping win over inference', () => {
    const root = repo();
    const r = runCli(
      ['--only', 'copy-manifests-first', '--verbose', '--context', 'docker', 'docker/Dockerfile'],
      root,
    );
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('(--context)');
    expect(r.stderr).toContain('`requirements.txt` is not in the build context');
    const mapped = repo({
      '.dockerfixrc.json': JSON.stringify({ context: { 'docker/Dockerfile': 'docker' } }),
    });
    const m = runCli(['--only', 'copy-manifests-first', '--verbose', 'docker/Dockerfile'], mapped);
    expect(m.stdout).toBe('');
    expect(m.stderr).toContain('the context mapping of');
  });

  test('several contexts: the rewrite only when it holds for every one', () => {
    // The Makefile builds it from its own directory, which has no requirements.txt.
    const both = repo({ 'docker/Makefile': 'image:\n\tdocker build -t app .\n' });
    const r = runCli(['--only', 'copy-manifests-first', '--verbose', 'docker/Dockerfile'], both);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('docker/Makefile: docker build');
    expect(r.stderr).toMatch(
      /`requirements.txt` is not in the build context .*docker \(build context .*docker, from docker\/Makefile: docker build\)/,
    );
    const same = repo({
      'docker/Makefile': 'image:\n\tdocker build -t app .\n',
      'docker/requirements.txt': 'flask\n',
    });
    const s = runCli(['--only', 'copy-manifests-first', '--write', '--verbose', 'docker/Dockerfile'], same);
    expect(fs.readFileSync(path.join(same, 'docker/Dockerfile'), 'utf8')).toBe(PIP_FIXED);
    expect(s.stderr).toContain('(the same in all 2 build contexts)');
  });

  test('outside git, build files are looked for under the directory the run is given', () => {
    const root = tree({
      'docker/Dockerfile': PIP_FILE,
      'requirements.txt': 'flask\n',
      'docker-bake.hcl': 'target "app" {\n  context = "."\n  dockerfile = "docker/Dockerfile"\n}\n',
    });
    const r = runCli(['--only', 'copy-manifests-first', '--verbose', '.'], root);
    expect(r.stderr).toContain('(docker-bake.hcl: target app)');
    expect(r.stdout).toContain('+COPY requirements.txt .');
  });

  test('the proposed .dockerignore goes to the inferred context', () => {
    const root = repo({ 'node_modules/x/index.js': '', 'package.json': '{}' });
    // A dry run shows the new file only where --write would create it: with --unsafe.
    const r = runCli(['--dry-run', '--unsafe', 'docker/Dockerfile'], root);
    expect(r.stdout).toContain('+++ b/.dockerignore');
    expect(r.stdout).not.toContain('docker/.dockerignore');
  });
});
