/** A run over files (discover, settle each file's settings, fix, report) and the --stdin run. */
import path from 'node:path';
import { ConfigResolver, type FileSelection } from './config.js';
import { discover, type FoundFile } from './discover.js';
import { fixText } from '../api.js';
import { createReporter, fixLine } from './format.js';
import type { CliIO } from './output.js';
import type { CliOptions } from './options.js';
import { poolSize, runPool } from './pool.js';
import { generatedSkip, processFile, type FileJob, type FileOutcome } from './process-file.js';
import { startProgress } from './progress.js';
import { loadDiff } from './diff.js';
import { countOutcome, newTotals, type Totals } from './totals.js';
import { defaultExclusion, ExcludePatterns, nameMatcher, type FileSkip } from './names.js';
import { initShellParser } from '../shell/index.js';
import { decodeDockerfile, InputError } from '../core/text.js';
import type { Transform } from '../core/transform.js';
import type { RunCache } from '../disk/build-context.js';
import { builtinTransforms } from '../../transforms/index.js';
import { packageVersion } from './version.js';

/** --stdin: fix one text and print it (fixed or not) on stdout; explanations on stderr. */
export async function runStdin(
  options: CliOptions,
  io: CliIO,
  custom: Transform[] | undefined,
): Promise<number> {
  const display = options.stdinFilepath ?? '<stdin>';
  const filePath = path.resolve(io.cwd, options.stdinFilepath ?? 'Dockerfile');
  const resolver = new ConfigResolver((custom ?? builtinTransforms).map((t) => t.meta.id));
  try {
    const bytes = io.readStdin ? await io.readStdin() : Buffer.alloc(0);
    if (bytes.length === 0) throw new InputError('empty input', 'empty');
    const text = decodeDockerfile(bytes);
    const { options: fix, selection } = resolver.optionsFor(filePath, options.settings);
    // An editor gets a generated file back as it was: its generator would undo a fix.
    const generated = selection.includeGenerated ? null : generatedSkip(text);
    if (generated) {
      io.stdout(text);
      io.stderr(`${display}: left alone: ${generated.message}\n`);
      return 0;
    }
    const result = await fixText(text, { ...fix, transforms: custom, filePath });
    io.stdout(result.output);
    for (const f of result.fixes) io.stderr(fixLine(display, f) + '\n');
    return options.action === 'check' && result.changed ? 1 : 0;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    io.stderr(`dockerfix: ${display}: ${err.message}\n`);
    return 2;
  }
}

export async function run(
  options: CliOptions,
  io: CliIO,
  all: readonly Transform[],
  custom: Transform[] | undefined,
): Promise<number> {
  const totals: Totals = newTotals();
  const env = io.env ?? {};
  const color =
    options.color ??
    (options.format === 'diff' && io.stdoutIsTTY === true && !env.NO_COLOR && env.TERM !== 'dumb');
  const reporter = createReporter({
    format: options.format,
    action: options.action,
    verbose: options.verbose,
    color,
    transforms: all,
    version: packageVersion(),
    cwd: io.cwd,
    stdout: io.stdout,
    stderr: io.stderr,
  });

  // The shell parser compiles (and jsdiff loads, when diffs will be printed) while discovery and
  // config lookup wait on the file system.
  const wantDiff = options.format === 'json' || (options.format === 'diff' && options.action === 'dry-run');
  const shellReady = Promise.all([initShellParser(), wantDiff ? loadDiff() : null]);
  shellReady.catch(() => {}); // awaited below
  const resolver = new ConfigResolver(all.map((t) => t.meta.id));
  const found = await discover(options.paths, io.cwd, {
    extraNames: (dir) => {
      try {
        return nameMatcher(resolver.findFrom(dir)?.config.names ?? []);
      } catch {
        return () => false; // a bad config is reported with each file under it
      }
    },
  });
  for (const e of found.errors) {
    totals.errors++;
    reporter.pathError(e.display, e.message);
  }
  totals.files = found.files.length;

  // Per-file settings: the nearest config file, then the command line. Worked out as each file's
  // turn comes, so that a long run holds no per-file state beyond the file list (flat memory).
  const cliExclude = options.exclude.length > 0 ? new ExcludePatterns(options.exclude, '--exclude') : null;
  const jobOf = (f: FoundFile): FileJob | null => {
    try {
      const { options: fix, selection } = resolver.optionsFor(f.path, options.settings);
      return {
        path: f.path,
        display: f.display,
        root: f.root,
        named: f.base === null,
        skip: f.skip ?? exclusion(f, selection, cliExclude) ?? undefined,
        includeGenerated: selection.includeGenerated,
        // Outside git, the build files that name contexts are looked for in the directory given.
        fix: { ...fix, projectRoot: f.root },
      };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      totals.errors++;
      reporter.pathError(f.display, err.message);
      return null;
    }
  };

  const files: (FoundFile | null)[] = found.files;
  const progress = await startProgress(files.length, io.stderrIsTTY === true && !env.CI);
  const emit = (job: FileJob, outcome: FileOutcome) => {
    progress.tick();
    countOutcome(totals, outcome);
    progress.around(() => reporter.file(job, outcome));
  };
  const workers = custom ? 1 : (options.jobs ?? poolSize(files.length));
  if (workers > 1) {
    const jobs: FileJob[] = [];
    for (const f of found.files) {
      const job = jobOf(f);
      if (job) jobs.push(job);
      else progress.tick();
    }
    await runPool(jobs, workers, { action: options.action, fix: {}, wantDiff }, emit);
  } else if (files.length > 0) {
    await shellReady;
    const runCache: RunCache = new Map();
    for (let i = 0; i < files.length; i++) {
      const job = jobOf(files[i]!);
      files[i] = null;
      if (!job) {
        progress.tick();
        continue;
      }
      emit(job, await processFile(job, options.action, { transforms: custom }, wantDiff, runCache));
    }
  }
  progress.stop();

  reporter.finish(totals);
  if (totals.errors > 0) return 2;
  if (options.action === 'check' && totals.changed > 0) return 1;
  return 0;
}

/**
 * Why a file found in a directory is excluded, or null: a default-excluded directory or an
 * `--exclude` pattern (both relative to the directory searched), or its config's `exclude`
 * (relative to the config file). A file named on the command line is never excluded.
 */
function exclusion(
  f: FoundFile,
  selection: FileSelection,
  cliExclude: ExcludePatterns | null,
): FileSkip | null {
  if (f.base === null) return null;
  const relative = (from: string) => path.relative(from, f.path).split(path.sep).join('/');
  const fromBase = relative(f.base);
  return (
    (selection.defaultExcludes ? defaultExclusion(fromBase) : null) ??
    cliExclude?.match(fromBase) ??
    selection.configExclude?.patterns.match(relative(selection.configExclude.dir)) ??
    null
  );
}
