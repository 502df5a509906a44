/**
 * The README's migration recipe, run as written over local git repositories made here: a branch
 * each, --write, a commit whose message is the --format markdown report. The diffs must be clean
 * (only the fixable files, exactly what a dry run showed), generated, vendored, test-data and
 * template files untouched, and the exit codes as documented.
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { APT, APT_FIXED, cliPath, git, gitRepository, read, repoRoot, runCli, tempDir } from './helpers.js';

const PIP = 'FROM python:3.12\nRUN pip install --no-cache-dir flask\n';
const GENERATED = '# DO NOT EDIT: created by update.sh from Dockerfile.template\n' + APT;

/** The shell block between the README's recipe markers. */
function recipe(): string {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const m = /<!-- recipe:start -->\n```sh\n([\s\S]*?)```\n<!-- recipe:end -->/.exec(readme);
  if (!m) throw new Error('README.md has no recipe block');
  return m[1];
}

describe('the migration recipe', () => {
  test('branch, --write, commit with the markdown report: clean diffs, the rest untouched', () => {
    const work = tempDir();
    const repos = path.join(work, 'repos');
    const untouched: Record<string, string | Buffer> = {
      'docker/Dockerfile': GENERATED,
      'vendor/github.com/x/Dockerfile': APT,
      'pkg/testdata/Dockerfile': APT,
      'docker/Dockerfile.template': '{{ .Base }}\n',
      'docker/Dockerfile.jinja2': APT,
      'tools/dockerfile_test.go': 'package tools\n',
    };
    gitRepository(
      { 'api/Dockerfile': APT, 'build/Dockerfile': PIP, ...untouched },
      // build/Dockerfile is tracked although .gitignore matches it: it is still a candidate.
      { at: path.join(repos, 'shop'), gitignore: 'build/\n' },
    );
    gitRepository({ Dockerfile: 'FROM alpine:3.20\nCMD ["true"]\n' }, { at: path.join(repos, 'clean') });
    const latin1 = Buffer.from('FROM x\nLABEL a="caf\xe9"\n', 'latin1');
    gitRepository({ Dockerfile: APT, 'legacy/Dockerfile': latin1 }, { at: path.join(repos, 'broken') });
    fs.writeFileSync(path.join(work, 'repos.txt'), 'repos/shop\nrepos/clean\nrepos/broken\n');

    // What a review would have seen first: the dry-run diff, made from elsewhere.
    const preview = runCli(['--dry-run', path.join(repos, 'shop')], '/');

    // `dockerfix` on PATH, as after `npm install -g dockerfix`.
    const bin = path.join(work, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(
      path.join(bin, 'dockerfix'),
      `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`,
      {
        mode: 0o755,
      },
    );
    const env = {
      ...process.env,
      NODE_OPTIONS: '',
      PATH: `${bin}:${process.env.PATH}`,
      GIT_AUTHOR_NAME: 'Migrator',
      GIT_AUTHOR_EMAIL: 'migrator@example.com',
      GIT_COMMITTER_NAME: 'Migrator',
      GIT_COMMITTER_EMAIL: 'migrator@example.com',
    };
    const run = spawnSync('bash', ['-c', recipe()], { cwd: work, encoding: 'utf8', env });
    expect(run.status).toBe(0);
    // Exit 2 only where a real Dockerfile could not be fixed, and the loop says so.
    expect(run.stderr).toContain(
      `repos/broken: some files could not be fixed; see ${work}/reports/broken.md`,
    );
    expect(run.stderr).not.toContain('repos/shop: some files');
    expect(run.stderr).not.toContain('repos/clean: some files');

    const g = (repo: string, ...args: string[]) => git(path.join(repos, repo), ...args);
    // shop: one commit on the branch, touching exactly the two fixable files.
    expect(g('shop', 'branch', '--show-current').trim()).toBe('dockerfix-cache-fixes');
    expect(g('shop', 'rev-list', '--count', 'main..HEAD').trim()).toBe('1');
    expect(g('shop', 'diff', '--name-only', 'main', 'HEAD').split('\n').filter(Boolean)).toEqual([
      'api/Dockerfile',
      'build/Dockerfile',
    ]);
    expect(g('shop', 'status', '--porcelain')).toBe('');
    expect(read(path.join(repos, 'shop'), 'api/Dockerfile')).toBe(APT_FIXED);
    for (const [rel, content] of Object.entries(untouched)) {
      expect([rel, fs.readFileSync(path.join(repos, 'shop', rel), 'utf8')]).toEqual([rel, content]);
    }
    // The commit is what the dry run showed, and its message is the report.
    expect(g('shop', 'diff', 'main', 'HEAD', '--', 'api/Dockerfile')).toContain(
      preview.stdout.slice(
        preview.stdout.indexOf('--- a/api/Dockerfile'),
        preview.stdout.indexOf('--- a/build/'),
      ),
    );
    const message = g('shop', 'log', '-1', '--format=%B');
    const report = fs.readFileSync(path.join(work, 'reports', 'shop.md'), 'utf8');
    expect(message.trim()).toBe(report.trim());
    expect(g('shop', 'log', '-1', '--format=%s').trim()).toBe(
      'dockerfix: fold-cleanup, apt-cache, pip-cache in 2 Dockerfiles',
    );
    expect(message).toContain(
      '## Changes\n\n### `api/Dockerfile`\n\n- line 2, `apt-cache`: Added cache mounts',
    );
    expect(message).toContain('\n- line 3, `fold-cleanup`: Moved `rm -rf /var/lib/apt/lists/*` into');
    expect(message).toContain('### `build/Dockerfile`\n\n- line 2, `pip-cache`: Added a cache mount');
    expect(message).toContain('- `docker/Dockerfile`: generated (line 1: “DO NOT EDIT: created by update.sh');
    expect(message).toContain(
      '- `vendor/github.com/x/Dockerfile`: in vendor/ (vendored code, excluded by default;',
    );
    expect(message).toContain('- `pkg/testdata/Dockerfile`: in pkg/testdata/ (test data');
    expect(message).toContain('- `docker/Dockerfile.jinja2`: a template (.jinja2)');
    expect(message).toContain('### `apt-cache` — ');
    expect(message).toContain('https://docs.docker.com/build/cache/optimize/#use-cache-mounts');

    // clean: a branch, no commit, nothing changed.
    expect(g('clean', 'rev-list', '--count', 'main..HEAD').trim()).toBe('0');
    expect(fs.readFileSync(path.join(work, 'reports', 'clean.md'), 'utf8')).toMatch(
      /^dockerfix: no changes\n/,
    );

    // broken: the fixable file committed; the one that is not, named in the report, unchanged.
    expect(g('broken', 'diff', '--name-only', 'main', 'HEAD').trim()).toBe('Dockerfile');
    expect(fs.readFileSync(path.join(repos, 'broken', 'legacy/Dockerfile'))).toEqual(latin1);
    expect(g('broken', 'log', '-1', '--format=%B')).toContain(
      'Not handled (1 error):\n\n- `legacy/Dockerfile`: not valid UTF-8 text',
    );

    // Run again: every branch exists, so every repository is passed over and nothing changes.
    const again = spawnSync('bash', ['-c', recipe()], { cwd: work, encoding: 'utf8', env });
    expect(again.status).toBe(0);
    expect(g('shop', 'rev-list', '--count', 'main..HEAD').trim()).toBe('1');
  });
});
