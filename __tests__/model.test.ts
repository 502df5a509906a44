import { beforeAll, describe, expect, test } from '@jest/globals';
import { findHeredocs, joinContinuations, parseDockerfile, toSource } from '../src/core/model.js';
import { initShellParser, shellStateChanges, soleCommand } from '../src/shell/index.js';
import { InputError } from '../src/core/text.js';
import { alpineRelease } from '../src/dockerfile/base-images.js';
import { random } from './helpers.js';

beforeAll(() => initShellParser());

describe('stages and instructions', () => {
  const text = [
    'ARG BASE=debian:bookworm-slim',
    'FROM ${BASE} AS Build',
    'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
    '    apt-get update',
    'FROM build AS test',
    'COPY --chown=app:app --from=build /src /dst',
    'FROM scratch',
    '',
  ].join('\n');
  const m = parseDockerfile(text);

  test('stages carry base, lower-cased alias and parent stage', () => {
    expect(m.stages.map((s) => [s.name, s.base, s.parent])).toEqual([
      ['build', '${BASE}', null],
      ['test', 'build', 0],
      [null, 'scratch', null],
    ]);
    expect(m.instructions[0].stage).toBe(-1);
  });

  test('instructions have exact offsets and lines', () => {
    for (const i of m.instructions) expect(text.slice(i.start, i.end)).toBe(i.text);
    const run = m.instructions[2];
    expect(run.text).toBe(
      'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n    apt-get update',
    );
    expect([run.startLine, run.endLine]).toEqual([2, 3]);
  });

  test('flags keep their --mount options and ranges', () => {
    const [mount] = m.instructions[2].flags;
    expect(mount.name).toBe('mount');
    expect(mount.options).toEqual([
      { name: 'type', value: 'cache' },
      { name: 'target', value: '/var/cache/apt' },
      { name: 'sharing', value: 'locked' },
    ]);
    expect(text.slice(mount.start, mount.end)).toBe(
      '--mount=type=cache,target=/var/cache/apt,sharing=locked',
    );
    expect(m.instructions[4].flags.map((f) => [f.name, f.value])).toEqual([
      ['chown', 'app:app'],
      ['from', 'build'],
    ]);
  });
});

describe('RUN forms', () => {
  test('exec form is read as JSON', () => {
    const m = parseDockerfile('FROM x\nRUN ["apt-get", "update"]\n');
    expect(m.instructions[1].run).toMatchObject({ form: 'exec', argv: ['apt-get', 'update'] });
    expect(m.instructions[1].script()).toBeNull();
  });

  test('malformed JSON is shell form, as in BuildKit', () => {
    const m = parseDockerfile('FROM x\nRUN ["apt-get", "update"\n');
    expect(m.instructions[1].run?.form).toBe('shell');
  });

  test('heredocs, including quoted and numbered delimiters that dockerfile-ast misses', () => {
    const text = [
      'FROM x',
      "RUN cat >> /etc/profile << 'EOF'",
      'export A=1',
      'RUN not an instruction',
      'EOF',
      'RUN cat /proc/self/fd/5 /proc/self/fd/6 5<<FILE1 6<<FILE2 > out',
      'one',
      'FILE1',
      'two',
      'FILE2',
      'RUN <<-EOT',
      '\techo tabbed',
      '\tEOT',
      'RUN echo "<<NOT"',
      '',
    ].join('\n');
    const m = parseDockerfile(text);
    expect(m.instructions.map((i) => [i.keyword, i.run?.form, i.startLine, i.endLine])).toEqual([
      ['FROM', undefined, 0, 0],
      ['RUN', 'heredoc', 1, 4],
      ['RUN', 'heredoc', 5, 9],
      ['RUN', 'heredoc', 10, 12],
      ['RUN', 'shell', 13, 13],
    ]);
    const bodies = m.instructions[2].run!.heredocs.map((h) => [h.name, text.slice(h.bodyStart, h.bodyEnd)]);
    expect(bodies).toEqual([
      ['FILE1', 'one\n'],
      ['FILE2', 'two\n'],
    ]);
  });

  test('findHeredocs reads words the way BuildKit does', () => {
    expect(findHeredocs('cat <<EOF')).toEqual([{ name: 'EOF', chomp: false }]);
    expect(findHeredocs('cat <<-"END" | sh')).toEqual([{ name: 'END', chomp: true }]);
    expect(findHeredocs("echo '<<EOF'")).toEqual([]);
    expect(findHeredocs('echo a<<b')).toEqual([]);
  });

  test('an escaped `\\<<EOF` is a word, not a heredoc: its "body" lines are instructions (BuildKit agrees)', () => {
    expect(() => parseDockerfile('FROM x\nCOPY \\<<EOF /a\nhello\nEOF\n')).toThrow(
      "line 3: unknown instruction 'HELLO'",
    );
  });

  test('an unterminated heredoc is an error', () => {
    expect(() => parseDockerfile('FROM x\nRUN <<EOF\necho\n')).toThrow("heredoc 'EOF' is never terminated");
  });

  test('a non-POSIX SHELL or a Windows base makes RUNs opaque to the shell parser', () => {
    const m = parseDockerfile(
      'FROM x\nSHELL ["powershell", "-Command"]\nRUN Get-Item\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN dir\n',
    );
    expect(m.instructions[2].run?.posixShell).toBe(false);
    expect(m.instructions[4].run?.posixShell).toBe(false);
    expect(m.instructions[2].script()).toBeNull();
  });

  test('SHELL with bash keeps RUNs parseable; a child stage inherits its parent SHELL', () => {
    const m = parseDockerfile('FROM x AS a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM a\nRUN echo\n');
    expect(m.instructions[3].run?.posixShell).toBe(true);
  });
});

describe('outline', () => {
  test('directives: only at the top, before any blank line; a valid `# escape=` sets the escape', () => {
    const m = parseDockerfile('# syntax=docker/dockerfile:1\n# escape=`\nFROM x\nRUN a `\n  b\n');
    expect([...m.directives]).toEqual([
      ['syntax', 'docker/dockerfile:1'],
      ['escape', '`'],
    ]);
    expect(m.escape).toBe('`');
    expect(m.lineKinds.slice(0, 3)).toEqual(['directive', 'directive', 'instruction']);
    expect(m.instructions[1].endLine).toBe(4);
    const late = parseDockerfile('\n# escape=`\nFROM x\n');
    expect([late.escape, late.directives.size, late.lineKinds[1]]).toEqual(['\\', 0, 'comment']);
  });

  test('flags after a continuation with a comment line inside it; HEALTHCHECK flags stop at CMD', () => {
    const text =
      'FROM x\nRUN \\\n# note\n  --mount=type=cache,target=/x \\\n  --network=none true\nHEALTHCHECK --interval=5s CMD curl --fail x\n';
    const m = parseDockerfile(text);
    const run = m.instructions[1];
    expect(run.flags.map((f) => [f.name, f.value, text.slice(f.start, f.end)])).toEqual([
      ['mount', 'type=cache,target=/x', '--mount=type=cache,target=/x'],
      ['network', 'none', '--network=none'],
    ]);
    expect(text.slice(run.argsStart, run.end)).toBe('true');
    expect(m.instructions[2].flags.map((f) => f.name)).toEqual(['interval']);
  });

  test('a BOM before the first instruction; CR-only line breaks; FROM with --platform and AS', () => {
    const m = parseDockerfile('\ufeffFROM --platform=$BUILDPLATFORM golang:1.22 AS Build\rRUN go version\r');
    expect(m.stages[0]).toMatchObject({ base: 'golang:1.22', name: 'build' });
    expect(m.instructions.map((i) => [i.keyword, i.startLine, i.text])).toEqual([
      ['FROM', 0, 'FROM --platform=$BUILDPLATFORM golang:1.22 AS Build'],
      ['RUN', 1, 'RUN go version'],
    ]);
  });
});

describe('continuations', () => {
  test('are joined like BuildKit: escape removed, comment and blank lines dropped, offsets mapped back', () => {
    const text = 'RUN apt-get update \\\n    # a comment \\\n\n    && apt-get install -y \\  \n    curl';
    const body = joinContinuations(text, 4, text.length, '\\');
    expect(body.text).toBe('apt-get update     && apt-get install -y     curl');
    const at = body.text.indexOf('curl');
    expect(text.slice(toSource(body, at, at + 4).start, toSource(body, at, at + 4).end)).toBe('curl');
    // Every joined character maps to the same character in the source; the end maps to the end.
    for (let i = 0; i < body.text.length; i++) expect(text[body.sourceAt(i)]).toBe(body.text[i]);
    expect(body.sourceAt(body.text.length)).toBe(text.length);
    // The offset table custom transforms read agrees.
    expect([...body.map]).toEqual([...Array(body.text.length + 1).keys()].map((i) => body.sourceAt(i)));
  });

  test('the backtick escape of `# escape=`', () => {
    const m = parseDockerfile('# escape=`\nFROM x\nRUN echo a `\n    b\n');
    expect(m.escape).toBe('`');
    expect(m.instructions[1].run?.body?.text).toBe('echo a     b');
  });

  test('CRLF continuations', () => {
    const m = parseDockerfile('FROM x\r\nRUN a \\\r\n  && b\r\n');
    expect(m.instructions[1].run?.body?.text).toBe('a   && b');
    expect(m.eol).toBe('\r\n');
  });
});

describe('shell model', () => {
  const script = (cmd: string) => parseDockerfile(`FROM x\nRUN ${cmd}\n`).instructions[1].script()!;

  test('flattens && / || / ; / & into steps and keeps pipelines and subshells', () => {
    const s = script('a && b || c; (cd /x && d) | e & f');
    expect(s.steps.map((st) => st.before)).toEqual([null, '&&', '||', ';', '&']);
    expect(s.steps[3].pipeline.units.map((u) => u.type)).toEqual(['subshell', 'command']);
    expect(s.trailing).toBeNull();
    expect(soleCommand(s.steps[0])?.name).toBe('a');
  });

  test('literal argument values resolve quotes; expansions are dynamic', () => {
    const s = script(`rm -rf "/var/lib/apt/lists/"* '/tmp/a b' $HOME/x`);
    expect(soleCommand(s.steps[0])!.args.map((a) => a.value)).toEqual([
      '-rf',
      '/var/lib/apt/lists/*',
      '/tmp/a b',
      null,
    ]);
  });

  test('state changes: top-level only, harmless set options ignored', () => {
    const s = script('set -eux; cd /src && (cd /tmp) && export A=1 && B=2 && echo $(cd /y) | cat && set -f');
    expect(shellStateChanges(s).map((c) => c.what)).toEqual(['cd', 'export', 'B=', 'set']);
  });

  test('syntax errors and trailing operators are reported', () => {
    expect(script('if then fi').hasError).toBe(true);
    expect(script('a;').trailing).toBe(';');
    expect(script('a # note').hasComment).toBe(true);
  });
});

describe('not a Dockerfile', () => {
  test.each([
    ['# only a comment\n', 'no Dockerfile instructions'],
    ['{{ template }}\nFROM x\n', "line 1: unknown instruction '{{'"],
    ['RUN echo\n', 'line 1: RUN before the first FROM'],
  ])('%j', (text, message) => {
    expect(() => parseDockerfile(text)).toThrow(InputError);
    expect(() => parseDockerfile(text)).toThrow(message);
  });
});

test('a declaration with several names records no bare assignments', () => {
  const s = parseDockerfile('FROM x\nRUN export A=1 B C=$(cd /x)\n').instructions[1].script()!;
  expect(shellStateChanges(s).map((c) => c.what)).toEqual(['export']);
});

describe('instruction extents match a line-by-line reading (BuildKit’s)', () => {
  /** BuildKit's reader: a line ending in the escape (then blanks) continues; comment and blank lines inside are skipped. */
  function referenceExtents(text: string): [number, number][] {
    const lines = text.split('\n');
    const out: [number, number][] = [];
    let l = 0;
    const continues = (s: string) => /\\[ \t]*$/.test(s);
    while (l < lines.length) {
      if (/^[ \t]*(#|$)/.test(lines[l])) {
        l++;
        continue;
      }
      const start = l;
      let more = continues(lines[l]);
      while (more && l + 1 < lines.length) {
        l++;
        if (/^[ \t]*(#|$)/.test(lines[l])) continue;
        more = continues(lines[l]);
      }
      out.push([start, l]);
      l++;
    }
    return out;
  }

  test('`\\ \\` at a line end continues the line (fuzz find: the next line was read twice)', () => {
    const m = parseDockerfile('FROM x\nRUN a \\ \\\nRUN rm -rf /tmp/x\n');
    expect(m.instructions.map((i) => [i.startLine, i.endLine])).toEqual([
      [0, 0],
      [1, 2],
    ]);
  });

  test('random lines of escapes, escaped blanks, comments and blanks', () => {
    const starts = ['RUN a', 'RUN b \\', 'RUN c \\ \\', 'ENV A=1 \\ ', 'RUN \\ x \\', '# c \\', ''];
    const inside = [' \\ \\', '\\ x \\', 'x \\ ', ' \\\t', '# c \\', '', '  ', 'c \\ \\ \\', 'd'];
    const next = random(20261130);
    for (let n = 0; n < 3000; n++) {
      const lines = ['FROM x'];
      let continued = false;
      for (let k = 0, len = 1 + next(8); k < len; k++) {
        const pool = continued ? inside : starts;
        const line = pool[next(pool.length)];
        lines.push(line);
        if (!/^[ \t]*(#|$)/.test(line)) continued = /\\[ \t]*$/.test(line);
      }
      lines.push(continued ? 'end' : 'RUN end');
      const text = lines.join('\n') + '\n';
      const m = parseDockerfile(text);
      expect([text, m.instructions.map((i) => [i.startLine, i.endLine])]).toEqual([text, referenceExtents(text)]);
    }
  });
});

describe('the Alpine release of an official image tag', () => {
  // Infinity: the image's current Alpine; null: not known to be Alpine 3.8+ (apk without --cache-dir).
  test.each([
    ['alpine:3.7', 7],
    ['python:3.13-alpine3.21', 21],
    ['node:20-alpine', Infinity],
    ['node:lts-alpine', Infinity],
    ['node:8-alpine', Infinity], // a floating tag of a line rebuilt on Alpine 3.8
    ['node:8.12.0-alpine', Infinity],
    ['node:8.9.4-alpine', null], // a release built before the move
    ['node:7-alpine', null], // a line that ended before it
    ['node:10.1.0-alpine', null],
    ['nginx:1.10-alpine', null],
    ['nginx:1.14-alpine', Infinity],
    ['nginx:1.14.0-alpine', null],
    ['nginx:1-alpine', Infinity],
    ['nginx:stable-alpine', Infinity],
    ['python:2-alpine', Infinity],
    ['python:3.3-alpine', null],
    ['python:3.6.5-alpine', null],
    ['golang:1.9-alpine', null],
    ['golang:1.10-alpine', Infinity],
    ['golang:1.24.2-alpine', Infinity],
    ['php:7.3-fpm-alpine', Infinity],
    ['ruby:2.2-alpine', null],
    ['openjdk:8-jre-alpine', Infinity],
    ['openjdk:8u171-jre-alpine', null],
    ['openjdk:7-jre-alpine', null],
    ['java:8-jre-alpine', null], // not a known image
  ])('%s', (image, release) => expect(alpineRelease(image)).toBe(release));
});
