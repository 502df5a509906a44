/**
 * The npm package: it ships what the command line and the API need (not the build scripts, tests or
 * sources), and it runs without tree-sitter-bash installed (only its WebAssembly grammar is used,
 * and the package carries it in dist/grammar).
 */
import { describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { APT, APT_FIXED, repoRoot, tempDir } from './helpers.js';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The files `npm pack` would put in the package (the build has run: jest's pretest). */
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
}

describe('npm package', () => {
  const files = packedFiles();

  test('ships the command line, the API with its types, and the grammar with its license', () => {
    for (const f of [
      'bin/dockerfix.js',
      'dist/bundle/cli.cjs',
      'dist/bundle/pool-worker.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/cli/format.d.ts',
      'dist/transforms/index.js',
      'dist/grammar/tree-sitter-bash.wasm',
      'dist/grammar/LICENSE.tree-sitter-bash',
      'README.md',
      'package.json',
    ]) {
      expect(files).toContain(f);
    }
  });

  test('ships no build scripts, tests, fixtures or sources', () => {
    const extra = files.filter((f) =>
      /^(dist\/scripts|dist\/__tests__|__tests__|__testfixtures__|src|transforms|scripts|e2e|docs)\//.test(f),
    );
    expect(extra).toEqual([]);
  });

  test('tree-sitter-bash is a development dependency only', () => {
    expect(manifest.dependencies['tree-sitter-bash']).toBeUndefined();
    expect(manifest.devDependencies['tree-sitter-bash']).toBeDefined();
  });

  test('the packed files run without tree-sitter-bash: the command line and the API', () => {
    // An installed package: the packed files, beside every dependency but tree-sitter-bash.
    const root = tempDir();
    const pkg = path.join(root, 'node_modules', 'dockerfix');
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(pkg, f)), { recursive: true });
      fs.copyFileSync(path.join(repoRoot, f), path.join(pkg, f));
    }
    for (const dep of fs.readdirSync(path.join(repoRoot, 'node_modules'))) {
      if (dep === 'tree-sitter-bash' || dep.startsWith('.')) continue;
      fs.symlinkSync(path.join(repoRoot, 'node_modules', dep), path.join(root, 'node_modules', dep));
    }
    fs.writeFileSync(path.join(root, 'Dockerfile'), APT);
    const cli = spawnSync(
      process.execPath,
      [path.join(pkg, 'bin', 'dockerfix.js'), '--write', 'Dockerfile'],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      },
    );
    expect(cli.stderr).toContain('1 file: 1 changed');
    expect(cli.status).toBe(0);
    expect(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toBe(APT_FIXED);
    const api = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { fix } from 'dockerfix'; process.stdout.write((await fix(${JSON.stringify(APT)})).output);`,
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    );
    expect(api.stderr).toBe('');
    expect(api.stdout).toBe(APT_FIXED);
  });
});
