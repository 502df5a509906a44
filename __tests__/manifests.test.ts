/**
 * Tool knowledge behind copy-manifests-first: what counts as a dependency install, go.mod
 * replacements in every form, what common commands do to files, and redirection targets.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { initShellParser, parseShell, soleCommand } from '../src/shell/index.js';
import { invocation, type Invocation } from '../src/tools/command.js';
import { fileEffects, redirectionTargets } from '../src/tools/file-effects.js';
import { localReplacements } from '../src/tools/go.js';
import { installNeeds, isDependencyInstall } from '../src/tools/installs.js';
import { INSTALL_LIFECYCLE_SCRIPTS } from '../src/tools/node.js';

beforeAll(() => initShellParser());

const inv = (text: string): Invocation => invocation(soleCommand(parseShell(text).steps[0])!)!;

describe('dependency installs', () => {
  test.each([
    ['pip install -r requirements.txt', true],
    ['python3 -m pip install flask', true],
    ['npm ci', true],
    ['yarn', true],
    ['pnpm fetch --prod', true],
    ['uv pip install -r r.txt', true],
    ['go mod download', true],
    ['./mvnw -B dependency:go-offline', true],
    ['bundle install', true],
    ['go build ./...', false],
    ['cargo build --release', false],
    ['npm run build', false],
    ['mvn package', false],
  ])('%s → %s', (text, expected) => {
    expect(isDependencyInstall(inv(text))).toBe(expected);
  });

  test('npm runs these scripts of the project on an install', () => {
    expect(INSTALL_LIFECYCLE_SCRIPTS).toEqual(
      expect.arrayContaining([
        'preinstall',
        'install',
        'postinstall',
        'prepublish',
        'preprepare',
        'prepare',
        'postprepare',
      ]),
    );
  });

  test('global tool installs read nothing of the project; adding a package changes the manifest', () => {
    const none = { files: null, env: new Map() };
    expect(installNeeds(inv('npm i -g pnpm@9'), none)).toEqual({ manifests: [], products: [] });
    expect(installNeeds(inv('pip install poetry==1.8'), none)).toEqual({ manifests: [], products: [] });
    expect(installNeeds(inv('yarn global add serve'), none)).toEqual({ manifests: [], products: [] });
    expect(installNeeds(inv('npm install -D postcss-cli'), none)).toMatchObject({ code: 'writes-manifest' });
    expect(installNeeds(inv('go get example.com/x'), none)).toMatchObject({ code: 'writes-manifest' });
  });
});

test('go.mod replacements: single lines, versions, blocks, comments; modules and remote forks left out', () => {
  const gomod = [
    'module example.com/app',
    'replace example.com/a => ./a',
    'replace example.com/b v1.2.3 => ../b // the fork',
    'replace (',
    '\texample.com/c => ./libs/c',
    '\texample.com/d v0.1.0 => example.com/d-fork v0.2.0',
    '\t// example.com/e => ./e',
    ')',
    'replace example.com/f => /abs/f',
  ].join('\n');
  expect(localReplacements(gomod)).toEqual(['./a', '../b', './libs/c', '/abs/f']);
});

describe('file effects', () => {
  test.each([
    ['mkdir -p /var/log/app logs', { reads: [], writes: ['/var/log/app', 'logs'], removes: [] }],
    ['rm -rf node_modules', { reads: [], writes: [], removes: ['node_modules'] }],
    ['chmod +x entrypoint.sh', { reads: ['entrypoint.sh'], writes: ['entrypoint.sh'], removes: [] }],
    ['python3 -m venv /opt/venv', { reads: [], writes: ['/opt/venv'], removes: [] }],
    ['apt-get install -y ./tool.deb', { reads: ['./tool.deb'], writes: [], removes: [] }],
    ['apt-get install -y curl', { reads: [], writes: [], removes: [] }],
    ['pip check', { reads: [], writes: [], removes: [] }],
  ])('%s', (text, expected) => {
    expect(fileEffects(inv(text))).toEqual(expected);
  });

  test('unknown commands and dynamic arguments may read anything', () => {
    expect(fileEffects(inv('node build.js'))).toBeNull();
    expect(fileEffects(inv('apt-get install -y $(cat packages.txt)'))).toBeNull();
  });

  test('redirection targets, /dev left out; a variable target cannot be told', () => {
    const script = parseShell('echo x >> /etc/apk/repositories 2>/dev/null');
    const cmd = soleCommand(script.steps[0])!;
    expect(redirectionTargets(cmd, script.source)).toEqual({ reads: [], writes: ['/etc/apk/repositories'] });
    const dynamic = parseShell('echo x > "$OUT"');
    expect(redirectionTargets(soleCommand(dynamic.steps[0])!, dynamic.source)).toBeNull();
  });
});
