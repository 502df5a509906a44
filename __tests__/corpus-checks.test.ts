/**
 * The checks `npm run corpus` makes on every file: each semantic invariant fires on an output that
 * breaks it (the kind of output earlier versions wrote), and not on one that keeps it or on a
 * finding the input already had; the minimality rule and the line diff agree on blank lines.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { fixText } from '../src/api.js';
import { initShellParser } from '../src/shell/index.js';
import { minimalityViolations } from '../scripts/corpus-worker.js';
import { semanticViolations, type SemanticCheck } from '../scripts/semantic-check.js';

beforeAll(() => initShellParser());

const checks = (input: string, output: string): SemanticCheck[] => semanticViolations(input, output).map((f) => f.check);

describe('semantic invariants', () => {
  const cases: [SemanticCheck, string, string][] = [
    [
      'mount-removed',
      'FROM python:3.12\nRUN pip install flask && rm -rf /usr/src/python ~/.cache\n',
      'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install flask && rm -rf /usr/src/python ~/.cache\n',
    ],
    [
      'mount-removed',
      'FROM debian\nRUN apt-get update && apt-get install -y x && rm -rf /tmp/* /var/cache/*\n',
      'FROM debian\nRUN --mount=type=cache,target=/var/cache/apt \\\n    apt-get update && apt-get install -y x && rm -rf /tmp/* /var/cache/*\n',
    ],
    [
      'comment-lost',
      'FROM debian\nRUN apt-get update \\\n    && rm -rf /var/lib/apt/lists/* \\\n# re-create the data directory\n    && mkdir -p /data\n',
      'FROM debian\nRUN apt-get update \\\n    && mkdir -p /data\n',
    ],
    [
      'windows-mount',
      'FROM python:3.13-windowsservercore\nRUN pip install flask\n',
      'FROM python:3.13-windowsservercore\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n',
    ],
    [
      'later-fails',
      'FROM alpine\nRUN apk update && apk add curl && rm /var/cache/apk/*\n',
      'FROM alpine\nRUN apk add --no-cache curl && rm /var/cache/apk/*\n',
    ],
    [
      'read-later',
      'FROM python:3.12\nRUN poetry install --no-root\nCMD ["poetry", "run", "app"]\n',
      'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pypoetry \\\n    poetry install --no-root\nCMD ["poetry", "run", "app"]\n',
    ],
    [
      'apt-state-cached',
      'FROM debian\nRUN apt-get update && apt-get install -y x\n',
      'FROM debian\nRUN --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install -y x\n',
    ],
    [
      'apt-config-shipped',
      'FROM debian\nRUN apt-get update && apt-get install -y x\n',
      'FROM debian\nRUN rm -f /etc/apt/apt.conf.d/docker-clean; \\\n    echo \'Binary::apt::APT::Keep-Downloaded-Packages "true";\' > /etc/apt/apt.conf.d/keep-cache\nRUN apt-get update && apt-get install -y x\n',
    ],
    [
      'mount-parent-mkdir',
      'FROM golang:1.22\nENV GOPATH=/go\nRUN mkdir ${GOPATH} && go mod download\n',
      'FROM golang:1.22\nENV GOPATH=/go\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    mkdir ${GOPATH} && go mod download\n',
    ],
    [
      // An offline build under its own mount: what a COPY or an earlier RUN put there is hidden.
      'read-later',
      'FROM maven:3.9\nCOPY --from=deps /root/.m2 /root/.m2\nRUN mvn -o package\n',
      'FROM maven:3.9\nCOPY --from=deps /root/.m2 /root/.m2\nRUN --mount=type=cache,target=/root/.m2/repository \\\n    mvn -o package\n',
    ],
    [
      // A later build without the mount reads the repository the first RUN left in the mount.
      'read-later',
      'FROM maven:3.9\nRUN mvn dependency:go-offline\nRUN mvn -o package\n',
      'FROM maven:3.9\nRUN --mount=type=cache,target=/root/.m2/repository \\\n    mvn dependency:go-offline\nRUN mvn -o package\n',
    ],
    [
      // A COPY --from of a directory that holds a mount takes the empty mount point.
      'read-later',
      'FROM rust:1.80 AS deps\nRUN cargo fetch\nFROM rust:1.80\nCOPY --from=deps /usr/local/cargo /usr/local/cargo\n',
      'FROM rust:1.80 AS deps\nRUN --mount=type=cache,target=/usr/local/cargo/registry \\\n    cargo fetch\nFROM rust:1.80\nCOPY --from=deps /usr/local/cargo /usr/local/cargo\n',
    ],
    [
      // The installed gems are the product.
      'read-later',
      'FROM ruby:3.3\nRUN bundle install\n',
      'FROM ruby:3.3\nRUN --mount=type=cache,target=/usr/local/bundle \\\n    bundle install\n',
    ],
  ];
  test.each(cases)('%s fires on an output that breaks it', (check, input, output) => {
    expect(checks(input, output)).toContain(check);
  });

  test('a finding the input already had does not count', () => {
    const broken = cases[0][2];
    expect(checks(broken, broken)).toEqual([]);
  });

  test('none fires on what dockerfix writes for these inputs', async () => {
    for (const [, input] of cases) {
      for (const mode of ['buildkit', 'portable'] as const) {
        const r = await fixText(input, { mode, unsafe: true });
        expect([input, mode, checks(input, r.output)]).toEqual([input, mode, []]);
      }
    }
  });

  test('a glob skips dot-names, and a variable set from mktemp holds no mount', () => {
    const input = 'FROM python:3.12\nRUN t="$(mktemp -d)" && pip install flask && rm -rf /root/* "$t"\n';
    const output =
      'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip \\\n    t="$(mktemp -d)" && pip install flask && rm -rf /root/* "$t"\n';
    expect(checks(input, output)).toEqual([]);
  });
});

describe('minimality', () => {
  test('a removed RUN and a blank line beside it are inside the fix that removed it', async () => {
    const input =
      'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n\nRUN rm -rf /var/lib/apt/lists/*\n\nCMD ["curl"]\n';
    const result = await fixText(input, { only: ['fold-cleanup'] });
    expect(result.changed).toBe(true);
    expect(minimalityViolations(input, result.output, result)).toEqual([]);
  });

  test('a line changed outside every reported fix is a violation', async () => {
    const input = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n';
    const result = await fixText(input, { only: ['fold-cleanup'] });
    const tampered = result.output.replace('FROM debian:bookworm-slim', 'FROM debian:bookworm');
    expect(minimalityViolations(input, tampered, result)).toEqual(['line 1 changed outside every reported edit']);
  });
});
