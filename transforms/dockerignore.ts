/**
 * dockerignore: a stage that copies the whole build context, with no .dockerignore, sends and
 * copies everything: .git, node_modules, virtualenvs, caches. Every change to any of them
 * invalidates the COPY layer and everything after it, and they bloat the image.
 *
 * Proposes a new `.dockerignore` (a review fix: a new file is shown in --dry-run and written only
 * with --write --unsafe) with the entries the context actually holds, never one that would exclude
 * a file the Dockerfile copies by name or an install reads.
 */
import path from 'node:path';
import type { DockerfileModel, Instruction } from '../src/core/model.js';
import { copyArgs } from '../src/dockerfile/copy-args.js';
import type { Report, Transform } from '../src/core/transform.js';
import { BuildContext, dockerignore } from '../src/dockerfile/build-context.js';
import { quote } from '../src/rewrite/edit.js';
import { DOCKER_DOCS } from '../src/core/references.js';

/** Candidate entries: [pattern, is it worth proposing for this context?] */
const CANDIDATES: [string, (ctx: BuildContext, top: Set<string>, deep: Set<string>) => boolean][] = [
  ['.git', (_c, top) => top.has('.git')],
  ['node_modules', (_c, top) => top.has('node_modules') || top.has('package.json')],
  ['**/node_modules', (_c, _t, deep) => deep.has('node_modules')],
  ['**/__pycache__', (_c, _t, deep) => deep.has('__pycache__') || deep.has('*.py')],
  ['**/*.py[cod]', (_c, _t, deep) => deep.has('*.py')],
  ['.venv', (_c, top) => top.has('.venv')],
  ['venv', (c, top) => top.has('venv') && c.exists('venv/pyvenv.cfg')],
  ['.pytest_cache', (_c, top) => top.has('.pytest_cache')],
  ['.mypy_cache', (_c, top) => top.has('.mypy_cache')],
  ['.tox', (_c, top) => top.has('.tox')],
  ['.idea', (_c, top) => top.has('.idea')],
  ['.vscode', (_c, top) => top.has('.vscode')],
  ['**/.DS_Store', (_c, _t, deep) => deep.has('.DS_Store')],
  ['npm-debug.log*', (_c, top) => [...top].some((n) => n.startsWith('npm-debug.log'))],
];

export const dockerignoreTransform: Transform = {
  meta: {
    id: 'dockerignore',
    title: 'Propose a .dockerignore for a context copied whole',
    description:
      'When a stage copies the whole build context (`COPY . .`) and the context has no .dockerignore, ' +
      'proposes one with the entries the context holds (.git, node_modules, __pycache__ and *.pyc, ' +
      'virtualenvs, tool caches, editor folders), leaving out any entry that would exclude a file the ' +
      'Dockerfile names. A new file: a review fix, written only with --write --unsafe.',
    why:
      'Without .dockerignore every file is sent to the builder and copied: a change to .git or a local ' +
      'node_modules invalidates the COPY layer and all after it, and the image carries them.',
    seeds: ['004_6a644e14f3cd586c.txt'],
    references: [DOCKER_DOCS.dockerignore, DOCKER_DOCS.smallContext],
    readme: 'Transforms › `copy-manifests-first` and `dockerignore`',
    safety: 'review',
    modes: ['buildkit', 'portable'],
    example: {
      before: 'COPY . .\n(no .dockerignore; the context holds .git and node_modules)\n',
      after: '.dockerignore:\n.git\nnode_modules\n',
    },
    skips: {},
    cacheable: true,
  },
  run(model, context, report) {
    const copy = model.instructions.find((i) => copiesWholeContext(model, i));
    if (!copy) return;
    // Each build context the file is built with gets its own proposal, in its own directory.
    for (const ctx of BuildContext.all(context)) proposeFor(model, copy, ctx, report);
  },
};

function proposeFor(model: DockerfileModel, copy: Instruction, ctx: BuildContext, report: Report): void {
  if (ctx.ignoreFile !== null) return;
  const top = new Set(ctx.entries());
  const deep = ctx.seen();
  let entries = CANDIDATES.filter(([, wanted]) => wanted(ctx, top, deep)).map(([p]) => p);
  // Never exclude what the Dockerfile names as a COPY/ADD source.
  const named = namedSources(model);
  entries = entries.filter((e) => {
    const m = dockerignore().add(e);
    return !named.some((n) => m.ignores(n));
  });
  if (entries.length === 0) return;
  const content =
    '# Proposed by dockerfix: files the image build does not need (review before committing).\n' +
    entries.join('\n') +
    '\n';
  report.fix({
    message: `Proposed a .dockerignore (${entries.join(', ')}): ${quote(copy)} sends and copies the whole context`,
    safety: 'review',
    edits: [],
    newFiles: [{ path: path.join(ctx.dir, '.dockerignore'), content }],
    at: copy.start,
  });
}

function copiesWholeContext(model: DockerfileModel, i: Instruction): boolean {
  const args = copyArgs(model, i);
  return args !== null && args.fromContext && args.sources.some((w) => w === '.' || w === './');
}

/** Sources named by COPY/ADD (not `.`), as context-relative paths. */
function namedSources(model: DockerfileModel): string[] {
  const out: string[] = [];
  for (const i of model.instructions) {
    const args = copyArgs(model, i);
    if (!args?.fromContext) continue;
    for (const w of args.sources) {
      const n = BuildContext.normalize(w);
      if (n && n !== '.') out.push(n);
    }
  }
  return out;
}
