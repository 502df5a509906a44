/** The `dockerfix` command line. */
import yargs from 'yargs';
import { discover } from './discover.js';
import { selectTransforms, type FixOptions } from './engine.js';
import { prefetch } from './prefetch.js';
import { readDockerfile } from './io.js';
import { poolSize, runPool } from './pool.js';
import { processFile, type Action, type FileJob, type FileOutcome } from './process-file.js';
import { summaryLine, type Totals } from './report.js';
import { initShellParser } from './shell.js';
import { InputError } from './text.js';
import { builtinTransforms } from '../transforms/index.js';
import type { Mode } from './transform.js';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

const defaultIO: CliIO = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
};

interface CliOptions {
  paths: string[];
  action: Action;
  fix: FixOptions;
  verbose: boolean;
  /** Worker threads, or null for automatic. */
  jobs: number | null;
}

class UsageError extends Error {}

const ids = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v])
    .flatMap((x) => String(x ?? '').split(','))
    .map((s) => s.trim())
    .filter(Boolean);

function parseArgs(argv: string[], io: CliIO): CliOptions | 'done' {
  let helpOrVersion: string | null = null;
  const parser = yargs(argv)
    .scriptName('dockerfix')
    .usage(
      '$0 [paths..]\n\n' +
        'Fix the Dockerfile antipatterns that make images big and rebuilds slow.\n\n' +
        'Paths are files, directories or globs (default: the current directory). Directories are\n' +
        'searched for Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile and Containerfile,\n' +
        'honouring .gitignore and skipping node_modules and .git.',
    )
    .wrap(100)
    .option('dry-run', {
      type: 'boolean',
      describe: 'Print a unified diff of the fixes; write nothing (the default)',
    })
    .option('write', { type: 'boolean', describe: 'Write the fixes in place (atomically)' })
    .option('check', { type: 'boolean', describe: 'Print the files that would change; exit 1 if any would' })
    .option('only', { type: 'string', describe: 'Run only these transforms (comma-separated ids)' })
    .option('skip', { type: 'string', describe: 'Do not run these transforms (comma-separated ids)' })
    .option('mode', {
      choices: ['buildkit', 'portable'] as const,
      default: 'buildkit' as const,
      describe: 'buildkit: BuildKit features allowed; portable: for builders without RUN --mount',
    })
    .option('unsafe', {
      type: 'boolean',
      describe: 'Also apply `review` fixes (shown, but not applied, without it)',
    })
    .option('add-syntax', {
      type: 'boolean',
      describe:
        'Add `# syntax=docker/dockerfile:1` to files given RUN --mount (pulls that frontend at build time)',
    })
    .option('jobs', {
      type: 'number',
      describe: 'Worker threads for large runs (default: one per core from 400 files up; 1 = no workers)',
    })
    .option('list-transforms', { type: 'boolean', describe: 'List the transforms and exit' })
    .option('verbose', {
      type: 'boolean',
      describe: 'Also report the candidates left alone, with the reason',
    })
    .conflicts('write', 'check')
    .conflicts('write', 'dry-run')
    .conflicts('check', 'dry-run')
    .strictOptions()
    .help()
    .version()
    .exitProcess(false)
    .fail((msg, err) => {
      throw new UsageError(msg ?? err?.message ?? 'invalid arguments');
    })
    .parserConfiguration({ 'boolean-negation': true });
  parser.showHelpOnFail(false);
  const args = parser.parseSync(argv, {}, (_err, _argv, output) => {
    if (output) helpOrVersion = output;
  }) as Record<string, unknown>;
  if (helpOrVersion !== null) {
    io.stdout(helpOrVersion + '\n');
    return 'done';
  }
  if (args['list-transforms']) {
    io.stdout(listTransforms());
    return 'done';
  }
  const action: Action = args.write ? 'write' : args.check ? 'check' : 'dry-run';
  const fix: FixOptions = {
    only: ids(args.only),
    skip: ids(args.skip),
    mode: args.mode as Mode,
    unsafe: args.unsafe === true,
    addSyntax: args['add-syntax'] === true,
  };
  try {
    selectTransforms(fix);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const jobs = args.jobs === undefined ? null : Number(args.jobs);
  if (jobs !== null && (!Number.isInteger(jobs) || jobs < 1))
    throw new UsageError('--jobs must be a whole number ≥ 1');
  return {
    paths: ((args._ as unknown[]) ?? []).map(String),
    action,
    fix,
    verbose: Boolean(args.verbose),
    jobs,
  };
}

function listTransforms(): string {
  const rows = builtinTransforms.map((t) => [t.meta.id, t.meta.safety, t.meta.modes.join(','), t.meta.title]);
  const widths = [0, 1, 2].map((i) =>
    Math.max(...rows.map((r) => r[i].length), ['id', 'safety', 'modes'][i].length),
  );
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c))
      .join('  ')
      .trimEnd() + '\n';
  return fmt(['id', 'safety', 'modes', 'title']) + rows.map(fmt).join('');
}

export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  let options: CliOptions | 'done';
  try {
    options = parseArgs(argv, io);
  } catch (err) {
    io.stderr(`dockerfix: ${(err as Error).message}\nRun 'dockerfix --help' for usage.\n`);
    return 2;
  }
  if (options === 'done') return 0;
  return run(options, io);
}

async function run(options: CliOptions, io: CliIO): Promise<number> {
  const totals: Totals = { files: 0, changed: 0, unchanged: 0, skipped: 0, errors: 0 };
  const error = (display: string, message: string) => {
    totals.errors++;
    io.stderr(`dockerfix: ${display}: ${message}\n`);
  };

  const found = await discover(options.paths, io.cwd);
  for (const e of found.errors) error(e.display, e.message);
  totals.files = found.files.length;
  const emit = (file: FileJob, outcome: FileOutcome) => {
    if (outcome.error !== null) return error(file.display, outcome.error);
    totals.skipped += outcome.skipped;
    if (outcome.status === 'changed') totals.changed++;
    else totals.unchanged++;
    if (outcome.stdout) io.stdout(outcome.stdout);
    for (const line of outcome.notes) io.stderr(line + '\n');
  };
  const workers = options.fix.transforms ? 1 : (options.jobs ?? poolSize(found.files.length));
  if (workers > 1) {
    await runPool(
      found.files,
      workers,
      { action: options.action, fix: options.fix, verbose: options.verbose },
      emit,
    );
  } else if (found.files.length > 0) {
    await initShellParser();
    // Reads run ahead of the (CPU-bound) fixing, a bounded window at a time.
    for await (const { item, result } of prefetch(found.files, 16, (f) => readDockerfile(f.path))) {
      emit(item, await processFile(item, result, options.action, options.fix, options.verbose));
    }
  }

  io.stderr(summaryLine(totals) + '\n');
  if (totals.errors > 0) return 2;
  if (options.action === 'check' && totals.changed > 0) return 1;
  return 0;
}
