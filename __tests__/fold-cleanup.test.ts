/**
 * fold-cleanup reads only the RUNs whose text may hold a cleanup it can move: that pre-filter must
 * never pass over a RUN in which the full reading finds one.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { initShellParser, parseShell } from '../src/shell/index.js';
import { findCleanup, mayHaveCleanup } from '../transforms/fold-cleanup.js';
import { random } from './helpers.js';

beforeAll(() => initShellParser());

const COMMANDS = [
  'rm -rf /var/lib/apt/lists/*',
  'rm x.tgz',
  'rm -f /tmp/x.tgz y.zip',
  'sudo rm -rf /tmp/a',
  '/bin/rm a',
  'rm "a;b"',
  'rm a\\;b',
  'rm $HOME/.cache/pip',
  'rm ${HOME}/x',
  'rm -- -x',
  'rm x.tgz 2>/dev/null',
  'rm x.tgz > /var/cache/apt/log',
  'apt-get clean',
  'apt-get -o "a;b" clean',
  'apt-get 2>&1 clean',
  'pip cache purge',
  'pip cache remove x',
  'npm cache clean --force',
  'yum clean all',
  'apk cache clean',
  'curl -o x.tgz https://e/x.tgz',
  'tar -xzf x.tgz',
  'tar -xzf /tmp/x.tgz',
  'apt-get update',
  'echo "rm x; y"',
  'A=1 rm x',
  '(rm x)',
  '{ rm x; }',
  'rm x | cat',
  'true # rm x; y',
  'set -ex',
  'cd /tmp',
];
const SEPARATORS = [' && ', '; ', ' || ', ' | ', ' & ', '\n', ' &&\n  ', ';'];

describe('fold-cleanup pre-filter', () => {
  test('passes every RUN in which findCleanup finds a cleanup (random RUN bodies)', () => {
    const next = random(41);
    const missed: string[] = [];
    let found = 0;
    for (let k = 0; k < 20000; k++) {
      let body = next(4) === 0 ? ' '.repeat(1 + next(2)) : '';
      for (let n = 1 + next(4); n > 0; n--) {
        body += COMMANDS[next(COMMANDS.length)];
        if (n > 1) body += SEPARATORS[next(SEPARATORS.length)];
      }
      if (next(4) === 0) body += [';', ' &', ' ', '\n'][next(4)];
      const script = parseShell(body);
      if (script.hasError || findCleanup(script) === null) continue;
      found++;
      if (!mayHaveCleanup(body)) missed.push(body);
    }
    expect(missed).toEqual([]);
    expect(found).toBeGreaterThan(3000);
  });

  test('passes over RUNs that only mention rm in the middle or remove caches at the end', () => {
    expect(mayHaveCleanup('apt-get update && rm -f /etc/x && apt-get install -y curl')).toBe(false);
    expect(mayHaveCleanup('apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*')).toBe(
      false,
    );
    expect(mayHaveCleanup('curl -o x.tgz https://e/x.tgz && tar -xzf x.tgz && rm x.tgz')).toBe(true);
    expect(mayHaveCleanup('rm -rf /var/lib/apt/lists/* && apt-get update')).toBe(true);
  });
});
