/** Formats, config files, inline ignores, explanations, stdin, custom transforms, color and progress. */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { explain } from '../src/cli/explain.js';
import {
  defaultExclusion,
  isDockerfileName,
  nameSkip,
  OTHER_EXTENSIONS,
  TEMPLATE_EXTENSIONS,
  TEST_DATA_DIRS,
  VENDORED_DIRS,
} from '../src/cli/names.js';
import { builtinTransforms } from '../transforms/index.js';
import { APT, APT_FIXED, cliPath, repoRoot, runCli, read, tree } from './helpers.js';

const require = createRequire(import.meta.url);
const PIP = 'FROM python:3.12\nRUN pip install flask\n';
const PIP_PORTABLE = 'FROM python:3.12\nRUN pip install --no-cache-dir flask\n';
const PIP_BUILDKIT =
  'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install flask\n';

describe('--format', () => {
  test('json: one documented object per file per line, errors included', () => {
    const root = tree({
      'a/Dockerfile': APT,
      'b/Dockerfile': 'FROM x\nRUN echo\n',
      'c/Dockerfile': 'FROM x\nRUN <<EOF\nnever closed\n',
      'd/Dockerfile.template': APT,
    });
    const r = runCli(['--format', 'json'], root);
    expect(r.status).toBe(2);
    const objects = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects.map((o) => [o.path, o.status, o.repository])).toEqual([
      ['a/Dockerfile', 'changed', '.'],
      ['b/Dockerfile', 'unchanged', '.'],
      ['c/Dockerfile', 'error', '.'],
      ['d/Dockerfile.template', 'skipped', '.'],
    ]);
    expect(objects[3].skip).toEqual({
      reason: 'template',
      message: 'a template (.template): fix what renders it, or name the file to fix it anyway',
    });
    const a = objects[0] as {
      edits: { transform: string; safety: string; applied: boolean }[];
      diff: string;
    };
    expect(a.edits.map((e) => e.transform).sort()).toEqual(['apt-cache', 'apt-no-install-recommends', 'fold-cleanup']);
    // Safe fixes applied; the size fix is a review fix, reported and not applied.
    expect(a.edits.every((e) => (e.safety === 'safe') === e.applied)).toBe(true);
    expect(a.edits.find((e) => e.transform === 'apt-no-install-recommends')?.safety).toBe('review');
    expect(a.diff).toContain('+++ b/a/Dockerfile');
    expect(objects[2].error).toBe("line 2: heredoc 'EOF' is never terminated");
    expect(Object.keys(objects[1]).sort()).toEqual([
      'contexts',
      'diff',
      'edits',
      'error',
      'path',
      'repository',
      'skip',
      'skips',
      'status',
      'written',
    ]);
    // A build context is read (and reported) only for files whose rewrite depends on it.
    expect(objects[1].contexts).toEqual([]);
    expect(r.stderr).toContain("dockerfix: c/Dockerfile: line 2: heredoc 'EOF' is never terminated");
  });

  test('sarif: validates against the official SARIF 2.1.0 schema', () => {
    const root = tree({
      'a/Dockerfile': APT,
      'b/Dockerfile':
        'FROM python:3.12\nRUN groupadd -g 1000 app && useradd -m -u 1000 -g app app\nUSER app\nRUN pip install x\n',
      'c/Dockerfile': 'FROM x\nRUN <<EOF\nnever closed\n',
    });
    const r = runCli(['--format', 'sarif'], root);
    expect(r.status).toBe(2);
    const log = JSON.parse(r.stdout) as {
      version: string;
      runs: { results: { ruleId: string; level: string }[]; tool: { driver: { rules: { id: string }[] } } }[];
    };
    const Ajv = require('ajv-draft-04') as new (o: object) => {
      compile(s: object): ((d: unknown) => boolean) & { errors?: unknown };
    };
    const addFormats = require('ajv-formats') as (a: unknown) => void;
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
    const validate = ajv.compile(schema);
    expect([validate(log), validate.errors ?? null]).toEqual([true, null]);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((x) => x.id)).toContain('apt-cache');
    expect(run.results.map((x) => [x.ruleId, x.level])).toEqual(
      expect.arrayContaining([
        ['fold-cleanup', 'warning'],
        ['pip-cache', 'note'],
      ]),
    );
  });

  test('summary: a line per changed file and counts per transform', () => {
    const root = tree({ 'a/Dockerfile': APT, 'b/Dockerfile': PIP });
    const r = runCli(['--format', 'summary'], root);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('a/Dockerfile: would change (3 edits: apt-cache, apt-no-install-recommends, fold-cleanup)');
    expect(r.stdout).toContain('b/Dockerfile: would change (1 edit: pip-cache)');
    expect(r.stdout).toMatch(/apt-cache +1 +0 +0/);
  });
});

describe('config files', () => {
  test('found upward from each file; overrides by glob; flags win; package.json key', () => {
    const root = tree({
      '.dockerfixrc.json': JSON.stringify({
        mode: 'portable',
        overrides: [{ files: ['legacy/**'], transforms: { 'pip-cache': false } }],
      }),
      'svc/Dockerfile': PIP,
      'legacy/old/Dockerfile': PIP,
      'pkg/package.json': JSON.stringify({ name: 'x', dockerfix: { mode: 'buildkit' } }),
      'pkg/Dockerfile': PIP,
    });
    expect(runCli(['--write'], root).status).toBe(0);
    expect(read(root, 'svc/Dockerfile')).toBe(PIP_PORTABLE);
    expect(read(root, 'legacy/old/Dockerfile')).toBe(PIP);
    expect(read(root, 'pkg/Dockerfile')).toBe(PIP_BUILDKIT);
    fs.writeFileSync(path.join(root, 'svc/Dockerfile'), PIP);
    expect(runCli(['--write', '--mode', 'buildkit', 'svc'], root).status).toBe(0);
    expect(read(root, 'svc/Dockerfile')).toBe(PIP_BUILDKIT);
  });

  test('a bad config is one clear error for the files under it; the others are processed', () => {
    const root = tree({
      'bad/dockerfix.config.json': JSON.stringify({ transforms: { 'no-such-thing': false } }),
      'bad/Dockerfile': PIP,
      'good/Dockerfile': PIP,
    });
    const r = runCli(['--write'], root);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /dockerfix: bad\/Dockerfile: config .*dockerfix\.config\.json: unknown transform 'no-such-thing' in the config\.transforms/,
    );
    expect(read(root, 'bad/Dockerfile')).toBe(PIP);
    expect(read(root, 'good/Dockerfile')).toBe(PIP_BUILDKIT);
  });
});

describe('inline ignores', () => {
  test('# dockerfix-ignore leaves the whole file alone', () => {
    const root = tree({ Dockerfile: '# dockerfix-ignore\n' + APT });
    expect(runCli(['--check'], root).status).toBe(0);
  });

  test('# dockerfix-ignore-next-line [ids] protects the next instruction, from those transforms only', () => {
    const text =
      'FROM python:3.12\n# dockerfix-ignore-next-line pip-cache\nRUN pip install a\nRUN pip install b\n';
    const root = tree({ Dockerfile: text, 'x/Dockerfile': text.replace(' pip-cache', ' npm-cache') });
    const r = runCli(['--write', '--verbose'], root);
    expect(r.status).toBe(0);
    expect(read(root, 'Dockerfile')).toBe(
      'FROM python:3.12\n# dockerfix-ignore-next-line pip-cache\nRUN pip install a\n' +
        'RUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install b\n',
    );
    expect(r.stderr).toMatch(
      /Dockerfile:3: pip-cache: skipped: .*not applied: `# dockerfix-ignore-next-line` \(line 2\)/,
    );
    expect(read(root, 'x/Dockerfile')).toContain(
      'RUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install a\n',
    );
  });
});

describe('explanations', () => {
  test('--explain prints what, why, an example and pages to read more; an unknown id is an error', () => {
    const r = runCli(['--explain', 'apt-cache'], repoRoot);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^apt-cache — Cache apt package lists/);
    expect(r.stdout).toContain('Why:');
    expect(r.stdout).toContain('Before:\n');
    expect(r.stdout).toContain('--mount=type=cache,target=/var/cache/apt,sharing=locked');
    // What a user can open: Docker's documentation and the README section, not internal file names.
    expect(r.stdout).toMatch(
      /\nRead more:\n {2}Docker docs: Optimize cache usage in builds › Use cache mounts\n {4}https:\/\/docs\.docker\.com\/build\/cache\/optimize\/#use-cache-mounts\n/,
    );
    expect(r.stdout).toContain('dockerfix README › Transforms › Cache transforms');
    expect(r.stdout).not.toMatch(/\d{3}_[0-9a-f]{16}\.txt/);
    // Every built-in transform names a page of Docker's documentation and a README section that exists.
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    for (const t of builtinTransforms) {
      expect(explain(builtinTransforms, t.meta.id)).toMatch(/\n {4}https:\/\/docs\.docker\.com\/\S+\n/);
      const [section, heading] = t.meta.readme!.split(' › ');
      expect(readme).toMatch(new RegExp(`^## ${section}$`, 'm'));
      expect(readme.split('\n').some((l) => l.startsWith(`### ${heading}`))).toBe(true);
    }
    const bad = runCli(['--explain', 'nope'], repoRoot);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown transform 'nope'");
  });
});

describe('--stdin', () => {
  const stdin = (args: string[], input: string, cwd: string) =>
    spawnSync(process.execPath, [cliPath, ...args], {
      cwd,
      input,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });

  test('prints the fixed file, uses the config of --stdin-filepath, names it in messages', () => {
    const root = tree({ 'svc/.dockerfixrc.json': JSON.stringify({ mode: 'portable' }) });
    const r = stdin(['--stdin', '--stdin-filepath', 'svc/Dockerfile'], PIP, root);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(PIP_PORTABLE);
    expect(r.stderr).toContain('svc/Dockerfile:2: pip-cache:');
    const same = stdin(['--stdin'], 'FROM x\nRUN echo\n', root);
    expect(same.stdout).toBe('FROM x\nRUN echo\n');
    const bad = stdin(['--stdin'], 'not a dockerfile\n', root);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('a generated file comes back as it was, unless --include-generated', () => {
    const root = tree({});
    const generated = '# Code generated by gen.go. DO NOT EDIT.\n' + PIP;
    const r = stdin(['--stdin', '--stdin-filepath', 'Dockerfile'], generated, root);
    expect([r.status, r.stdout]).toEqual([0, generated]);
    expect(r.stderr).toBe(
      'Dockerfile: left alone: generated (line 1: “Code generated by gen.go. DO NOT EDIT.”): fix what generates it, or use --include-generated\n',
    );
    const anyway = stdin(['--stdin', '--include-generated'], generated, root);
    expect(anyway.stdout).toBe('# Code generated by gen.go. DO NOT EDIT.\n' + PIP_BUILDKIT);
  });
});

describe('custom transforms', () => {
  const example = path.join(repoRoot, 'examples', 'custom-transform', 'apt-no-recommends.js');

  test('--transform loads a module with the built-in contract; its review fixes need --unsafe', () => {
    const root = tree({ Dockerfile: 'FROM debian\nRUN apt-get install -y curl\n' });
    const listed = runCli(['--transform', example, '--list-transforms'], root);
    expect(listed.stdout).toMatch(/apt-no-recommends +review +buildkit,portable/);
    const dry = runCli(['--transform', example, '--only', 'apt-no-recommends', '--check'], root);
    expect(dry.status).toBe(0);
    expect(dry.stderr).toContain('(review: not applied without --unsafe)');
    expect(
      runCli(['--transform', example, '--only', 'apt-no-recommends', '--write', '--unsafe'], root).status,
    ).toBe(0);
    expect(read(root, 'Dockerfile')).toBe(
      'FROM debian\nRUN apt-get install --no-install-recommends -y curl\n',
    );
  });

  test('a module that is not a transform is a usage error', () => {
    const root = tree({ 'bad.js': 'export default { meta: { id: "Bad Id" } };\n', Dockerfile: APT });
    const r = runCli(['--transform', 'bad.js'], root);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--transform bad.js: `run(model, context)` is missing');
  });
});

describe('color and progress', () => {
  test('--color colors the diff; pipes and NO_COLOR get plain text; no progress bar in pipes', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`s${i}/Dockerfile`] = APT;
    const root = tree(files);
    const colored = runCli(['--color', 's0'], root);
    expect(colored.stdout).toContain('\x1b[32m+');
    const plain = runCli([], root);
    expect(plain.stdout).not.toContain('\x1b[');
    expect(plain.stderr).not.toContain('\r');
    expect(runCli(['s0'], root, { NO_COLOR: '1' }).stdout).not.toContain('\x1b[');
    expect(plain.stdout).toContain(APT_FIXED.split('\n')[1]);
  });
});

describe('integrations', () => {
  test('the pre-commit hooks run dockerfix on the files discovery would pick, and leave alone the rest', () => {
    const yaml = fs.readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8');
    const ids = [...yaml.matchAll(/^- id: (\S+)$/gm)].map((m) => m[1]);
    expect(ids).toEqual(['dockerfix', 'dockerfix-check']);
    expect([...yaml.matchAll(/^ {2}entry: (.*)$/gm)].map((m) => m[1])).toEqual([
      'dockerfix --write',
      'dockerfix --check',
    ]);
    // pre-commit's patterns are Python's; `(?i)` is JavaScript's `i` flag.
    const patterns = (key: string) =>
      [...yaml.matchAll(new RegExp(`^ {2}${key}: (.*)$`, 'gm'))].map(
        (m) => new RegExp(m[1].replace(/^\(\?i\)/, ''), 'i'),
      );
    const files = patterns('files');
    const excludes = patterns('exclude');
    expect([files.length, excludes.length]).toEqual([2, 2]);
    const names = [
      'Dockerfile',
      'dockerfile',
      'svc/Dockerfile.prod',
      'svc/Dockerfile-base',
      'svc/Dockerfile_5_2',
      'a/b/api.Dockerfile',
      'x.dockerfile',
      'Containerfile',
      'Containerfile-pypi',
      'README.md',
      'docker-compose.yml',
      'Dockerfiles/readme.txt',
      'Dockerfile.dockerignore',
      'Dockerfile2',
      'Dockerfile~',
      ...[...TEMPLATE_EXTENSIONS, ...OTHER_EXTENSIONS].map((ext) => `svc/Dockerfile.${ext}`),
      ...[...VENDORED_DIRS, ...TEST_DATA_DIRS].map((dir) => `svc/${dir}/x/Dockerfile`),
      'svc/vendors/Dockerfile',
      'svc/latest/Dockerfile',
    ];
    for (const name of names) {
      const base = name.slice(name.lastIndexOf('/') + 1);
      const discovery = isDockerfileName(base) && !nameSkip(base) && !defaultExclusion(name);
      for (let i = 0; i < 2; i++) {
        expect([name, files[i].test(name) && !excludes[i].test(name)]).toEqual([name, discovery]);
      }
    }
  });
});

describe('build context', () => {
  const SEED = 'FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n';
  const FIXED =
    'FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n';

  test("the context is the Dockerfile's directory, or --context, or the config's mapping", () => {
    const root = tree({
      'svc/Dockerfile': SEED,
      'svc/requirements.txt': 'flask\n',
      'docker/api.Dockerfile': SEED,
      'api/requirements.txt': 'flask\n',
      'docker/.dockerfixrc.json': JSON.stringify({ context: { 'api.Dockerfile': '../api' } }),
      'other/Dockerfile': SEED,
    });
    expect(runCli(['--write', '--only', 'copy-manifests-first'], root).status).toBe(0);
    expect(read(root, 'svc/Dockerfile')).toBe(FIXED);
    expect(read(root, 'docker/api.Dockerfile')).toBe(FIXED);
    // No requirements.txt beside other/Dockerfile: left alone, with the reason.
    const r = runCli(['--check', '--verbose', '--only', 'copy-manifests-first', 'other'], root);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('`requirements.txt` is not in the build context');
    expect(
      runCli(['--write', '--only', 'copy-manifests-first', '--context', 'svc', 'other'], root).status,
    ).toBe(0);
    expect(read(root, 'other/Dockerfile')).toBe(FIXED);
  });
});

describe('dockerignore proposals', () => {
  test('shown in --dry-run as a new file, written only with --write --unsafe, never twice', () => {
    const df = 'FROM node:22\nCOPY package.json ./\nCOPY . .\n';
    const root = tree({ 'app/Dockerfile': df, 'app/package.json': '{}', 'app/node_modules/x/i.js': '' });
    // A dry run shows what --write would do: without --unsafe, no new file (stderr says one is proposed).
    const dry = runCli(['--only', 'dockerignore'], root);
    expect([dry.status, dry.stdout]).toEqual([0, '']);
    expect(dry.stderr).toContain('(review: not applied without --unsafe)');
    expect(dry.stderr).toContain(
      'app/Dockerfile: a review fix proposes a new file, app/.dockerignore: shown and created only with --unsafe',
    );
    const unsafe = runCli(['--only', 'dockerignore', '--unsafe'], root);
    expect(unsafe.stdout).toContain('--- /dev/null\n+++ b/app/.dockerignore\n');
    expect(unsafe.stdout).toContain('+node_modules\n');
    expect(runCli(['--write', '--only', 'dockerignore'], root).status).toBe(0);
    expect(fs.existsSync(path.join(root, 'app/.dockerignore'))).toBe(false);
    expect(runCli(['--write', '--unsafe', '--only', 'dockerignore'], root).status).toBe(0);
    expect(read(root, 'app/.dockerignore')).toContain('\nnode_modules\n');
    expect(read(root, 'app/Dockerfile')).toBe(df);
    const again = runCli(['--check', '--unsafe', '--only', 'dockerignore'], root);
    expect([again.status, again.stdout]).toEqual([0, '']);
  });

  test('Dockerfiles sharing a directory in one run: the second sees the .dockerignore the first created', () => {
    const df = 'FROM node:22\nCOPY . .\n';
    const root = tree({
      'app/Dockerfile': df,
      'app/Dockerfile.dev': df,
      'app/package.json': '{}',
      'app/node_modules/x/i.js': '',
    });
    // A dry run shows what --write does: the second file sees the file the first would create.
    const dry = runCli(['--only', 'dockerignore', '--unsafe'], root);
    expect(dry.stdout.match(/\+\+\+ b\/app\/\.dockerignore/g)).toHaveLength(1);
    expect(dry.stderr).toContain('1 changed, 1 unchanged, 0 skipped edits, 0 errors');
    const write = runCli(['--write', '--unsafe', '--only', 'dockerignore'], root);
    expect(write.status).toBe(0);
    expect(write.stderr).toContain('1 changed, 1 unchanged, 0 skipped edits, 0 errors');
    expect(write.stderr.match(/Proposed a \.dockerignore/g)).toHaveLength(1);
    expect(read(root, 'app/.dockerignore')).toContain('\nnode_modules\n');
  });

  test("a Dockerfile's own <name>.dockerignore counts as one", () => {
    const root = tree({
      'Dockerfile.prod': 'FROM node:22\nCOPY . .\n',
      'Dockerfile.prod.dockerignore': 'node_modules\n',
      'package.json': '{}',
    });
    expect(runCli(['--check', '--unsafe', '--only', 'dockerignore', 'Dockerfile.prod'], root).status).toBe(0);
  });
});
