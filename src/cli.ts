/** The `dockerfix` command line. */
import yargs from 'yargs';
import { discover } from './discover.js';
import { fixTextSync, selectTransforms, type FixOptions, type FixResult } from './engine.js';
import { readDockerfile, writeFileAtomic } from './io.js';
import { summaryLine, unifiedDiff, type Totals } from './report.js';
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

type Action = 'dry-run' | 'write' | 'check';

interface CliOptions {
  paths: string[];
  action: Action;
  fix: FixOptions;
  verbose: boolean;
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
  return { paths: ((args._ as unknown[]) ?? []).map(String), action, fix, verbose: Boolean(args.verbose) };
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
  if (found.files.length > 0) await initShellParser();

  for (const file of found.files) {
    let read;
    let result: FixResult;
    try {
      read = await readDockerfile(file.path);
      result = fixTextSync(read.text, { ...options.fix, filePath: file.path });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      error(file.display, err.message);
      continue;
    }
    totals.skipped += result.skips.length;
    if (!result.changed) {
      totals.unchanged++;
    } else if (options.action === 'write') {
      try {
        await writeFileAtomic(file.path, result.output, read.bytes);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        error(file.display, err.message);
        continue;
      }
      totals.changed++;
    } else {
      totals.changed++;
      if (options.action === 'dry-run') io.stdout(unifiedDiff(file.display, result.input, result.output));
      else io.stdout(file.display + '\n');
    }
    for (const f of result.fixes) {
      const note = f.applied ? '' : ' (review: not applied without --unsafe)';
      io.stderr(`${file.display}:${f.line}: ${f.transform}: ${f.message}${note}\n`);
    }
    if (options.verbose) {
      for (const s of result.skips)
        io.stderr(`${file.display}:${s.line}: ${s.transform}: skipped: ${s.message}\n`);
    }
  }

  io.stderr(summaryLine(totals) + '\n');
  if (totals.errors > 0) return 2;
  if (options.action === 'check' && totals.changed > 0) return 1;
  return 0;
}
