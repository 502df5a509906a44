/**
 * syntax-directive (only with `--add-syntax`): a file that uses `RUN --mount` and has no
 * `# syntax=` line builds with whatever Dockerfile frontend the builder embeds. Some teams prefer to
 * pin the current 1.x frontend; it makes every build fetch that frontend image, so it is opt-in.
 */
import type { Transform } from '../src/core/transform.js';
import { DOCKER_DOCS } from '../src/core/references.js';

export const SYNTAX_LINE = '# syntax=docker/dockerfile:1';

export const syntaxDirective: Transform = {
  meta: {
    id: 'syntax-directive',
    title: 'Pin the Dockerfile 1.x frontend in files that use RUN --mount (only with --add-syntax)',
    description:
      'With `--add-syntax`, adds `# syntax=docker/dockerfile:1` as the first line of a file that uses ' +
      '`RUN --mount` and has no `# syntax=` directive. Off by default: the directive makes every build ' +
      'pull the frontend image, which air-gapped builders cannot do.',
    why:
      'Builders older than BuildKit 0.8 (Docker 20.10) embed a frontend without `RUN --mount`; the ' +
      'directive makes them fetch one that has it.',
    seeds: ['002_a22975ebf7ef71db.txt'],
    references: [DOCKER_DOCS.syntax, DOCKER_DOCS.runMountCache],
    readme: 'Transforms › Cache transforms',
    safety: 'safe',
    modes: ['buildkit'],
    example: {
      before: 'FROM python:3.13-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n',
      after:
        '# syntax=docker/dockerfile:1\nFROM python:3.13-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n',
    },
    skips: {},
    cacheable: true,
  },
  run(model, context, report) {
    if (!context.addSyntax || model.directives.has('syntax')) return;
    const run = model.instructions.find((i) => i.keyword === 'RUN' && i.flags.some((f) => f.name === 'mount'));
    if (!run) return;
    const at = model.text.startsWith('\uFEFF') ? 1 : 0;
    report.fix({
      message: `Added \`${SYNTAX_LINE}\`: the file uses RUN --mount`,
      safety: 'safe',
      edits: [{ start: at, end: at, text: SYNTAX_LINE + model.eol }],
      at: run.start,
    });
  },
};
