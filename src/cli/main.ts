/** The `dockerfix` command line. */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { helpText, parseCommandLine, UsageError } from './args.js';
import { ConfigResolver, type CliSettings } from './config.js';
import { discover, type FoundFile } from './discover.js';
import { importModule } from './dynamic-import.js';
import { fixText } from '../api.js';
import { selectTransforms } from '../core/engine.js';
import { createReporter, fixLine, type Format } from './format.js';
import { readSettled } from './io.js';
import { poolSize, runPool } from './pool.js';
import { processFile, type Action, type FileJob, type FileOutcome } from './process-file.js';
import { startProgress } from './progress.js';
import { loadDiff, type Totals } from './diff.js';
import { initShellParser } from '../shell/index.js';
import { decodeDockerfile, InputError } from '../core/text.js';
import type { Mode, Transform } from '../core/transform.js';
import type { RunCache } from '../disk/build-context.js';
import { builtinTransforms } from '../../transforms/index.js';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  /** Standard input, read whole (for --stdin). */
  readStdin?: () => Promise<Buffer>;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Write out what stdout and stderr hold back (called when main() returns). */
  flush?: () => void;
}

/**
 * stdout and stderr, held back in one queue of up to 16 KB when they are not terminals: a bulk run
 * prints thousands of lines, and a write each was ~2% of the run. The queue is written out
 * whenever the other stream is written to, so the two stay in order when they share a file.
 */
function outputQueue(): Pick<CliIO, 'stdout' | 'stderr' | 'flush'> {
  let target: NodeJS.WriteStream | null = null;
  let held: string[] = [];
  let size = 0;
  const flush = () => {
    if (target !== null && size > 0) target.write(held.join(''));
    held = [];
    size = 0;
  };
  const writer = (stream: NodeJS.WriteStream) => (s: string) => {
    if (stream.isTTY) {
      flush();
      stream.write(s);
      return;
    }
    if (target !== stream) {
      flush();
      target = stream;
    }
    held.push(s);
    size += s.length;
    if (size >= 16384) flush();
  };
  return { stdout: writer(process.stdout), stderr: writer(process.stderr), flush };
}

const defaultIO = (): CliIO => ({
  ...outputQueue(),
  cwd: process.cwd(),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  },
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
});

interface CliOptions {
  paths: string[];
  action: Action;
  settings: CliSettings;
  verbose: boolean;
  jobs: number | null;
  format: Format;
  color: boolean | null;
  explain: string | null;
  listTransforms: boolean;
  stdin: boolean;
  stdinFilepath: string | null;
  transformModules: string[];
}

const ids = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v])
    .flatMap((x) => String(x ?? '').split(','))
    .map((s) => s.trim())
    .filter(Boolean);

function parseArgs(argv: string[], io: CliIO): CliOptions | 'done' {
  const { values: args, positionals: paths } = parseCommandLine(argv);
  if (args.help) {
    io.stdout(helpText());
    return 'done';
  }
  if (args.version) {
    io.stdout(packageVersion() + '\n');
    return 'done';
  }
  if (args['stdin-filepath'] !== undefined && !args.stdin)
    throw new UsageError('--stdin-filepath needs --stdin');
  if (args.stdin && paths.length > 0) throw new UsageError('--stdin takes no paths (use --stdin-filepath)');
  return {
    paths,
    action: args.write ? 'write' : args.check ? 'check' : 'dry-run',
    settings: {
      mode: args.mode as Mode | undefined,
      unsafe: args.unsafe as boolean | undefined,
      only: ids(args.only),
      skip: ids(args.skip),
      addSyntax: args['add-syntax'] === true,
      contextDir: typeof args.context === 'string' ? path.resolve(io.cwd, args.context) : undefined,
    },
    verbose: args.verbose === true,
    jobs: typeof args.jobs === 'number' ? args.jobs : null,
    format: (args.format ?? 'diff') as Format,
    color: typeof args.color === 'boolean' ? args.color : null,
    explain: typeof args.explain === 'string' ? args.explain : null,
    listTransforms: args['list-transforms'] === true,
    stdin: args.stdin === true,
    stdinFilepath: typeof args['stdin-filepath'] === 'string' ? args['stdin-filepath'] : null,
    transformModules: (args.transform as string[] | undefined) ?? [],
  };
}

/** Load `--transform` modules: a default export, or `transform`/`transforms` exports, of the contract's shape. */
async function loadTransforms(modules: string[], cwd: string): Promise<Transform[]> {
  const out: Transform[] = [];
  for (const m of modules) {
    const abs = path.resolve(cwd, m);
    if (!fs.existsSync(abs)) throw new UsageError(`--transform ${m}: no such file`);
    let mod: Record<string, unknown>;
    try {
      mod = (await importModule(pathToFileURL(abs).href)) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`--transform ${m}: cannot load it (${(err as Error).message.split('\n')[0]})`);
    }
    const found = [
      mod.default,
      mod.transform,
      ...(Array.isArray(mod.transforms) ? mod.transforms : []),
    ].filter((t) => t !== undefined);
    if (found.length === 0)
      throw new UsageError(`--transform ${m}: exports no transform (default, transform or transforms)`);
    for (const t of found) out.push(checkTransform(t, m));
  }
  return out;
}

function checkTransform(t: unknown, where: string): Transform {
  const bad = (why: string): never => {
    throw new UsageError(`--transform ${where}: ${why}`);
  };
  if (typeof t !== 'object' || t === null) return bad('a transform must be an object with `meta` and `run`');
  const { meta, run } = t as Partial<Transform>;
  if (typeof run !== 'function') bad('`run(model, context)` is missing');
  if (!meta || typeof meta.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(meta.id))
    bad('`meta.id` must be a kebab-case id');
  if (typeof meta!.title !== 'string') bad('`meta.title` is missing');
  const safety = meta!.safety ?? 'review';
  if (safety !== 'safe' && safety !== 'review') bad('`meta.safety` must be "safe" or "review"');
  return {
    meta: {
      id: meta!.id,
      title: meta!.title,
      description: meta!.description ?? meta!.title,
      why: meta!.why ?? '',
      seeds: meta!.seeds ?? [],
      safety,
      modes: meta!.modes ?? ['buildkit', 'portable'],
      example: meta!.example ?? { before: '', after: '' },
      skips: meta!.skips ?? {},
    },
    run: run!.bind(t),
  };
}

function listTransforms(all: readonly Transform[]): string {
  const rows = all.map((t) => [t.meta.id, t.meta.safety, t.meta.modes.join(','), t.meta.title]);
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

function explain(all: readonly Transform[], id: string): string {
  const t = all.find((x) => x.meta.id === id);
  if (!t) throw new UsageError(`unknown transform '${id}' (known: ${all.map((x) => x.meta.id).join(', ')})`);
  const m = t.meta;
  const indent = (s: string) => s.replace(/\n$/, '').replace(/^/gm, '    ');
  return (
    `${m.id} — ${m.title}\n\n` +
    `Safety: ${m.safety}${m.safety === 'review' ? ' (applied only with --unsafe)' : ''}. Modes: ${m.modes.join(', ')}.\n\n` +
    `What it does:\n${wrap(m.description)}\n\n` +
    (m.why ? `Why:\n${wrap(m.why)}\n\n` : '') +
    (m.example.before
      ? `Before:\n${indent(m.example.before)}\n\nAfter:\n${indent(m.example.after)}\n\n`
      : '') +
    (Object.keys(m.skips).length > 0
      ? `Left alone (the reason codes of --verbose, JSON and SARIF):\n${Object.entries(m.skips)
          .map(([code, what]) => `  ${code}: ${what}`)
          .join('\n')}\n\n`
      : '') +
    (m.seeds.length > 0 ? `Source: ${m.seeds.join(', ')}\n` : '')
  );
}

function wrap(text: string, width = 96): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.map((l) => '  ' + l).join('\n');
}

export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  try {
    return await runMain(argv, io);
  } finally {
    io.flush?.();
  }
}

async function runMain(argv: string[], io: CliIO): Promise<number> {
  let options: CliOptions | 'done';
  let all: Transform[];
  try {
    options = parseArgs(argv, io);
    if (options === 'done') return 0;
    all = [...builtinTransforms, ...(await loadTransforms(options.transformModules, io.cwd))];
    const seen = new Set<string>();
    for (const t of all) {
      if (seen.has(t.meta.id)) throw new UsageError(`two transforms have the id '${t.meta.id}'`);
      seen.add(t.meta.id);
    }
    selectTransforms(all, { only: options.settings.only, skip: options.settings.skip });
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof Error && /^unknown transform/.test(err.message)))
      throw err;
    io.stderr(`dockerfix: ${(err as Error).message}\nRun 'dockerfix --help' for usage.\n`);
    return 2;
  }
  if (options.listTransforms) {
    io.stdout(listTransforms(all));
    return 0;
  }
  if (options.explain !== null) {
    try {
      io.stdout(explain(all, options.explain));
      return 0;
    } catch (err) {
      io.stderr(`dockerfix: ${(err as Error).message}\n`);
      return 2;
    }
  }
  const custom = all.length > builtinTransforms.length ? all : undefined;
  if (options.stdin) return runStdin(options, io, custom);
  return run(options, io, all, custom);
}

/** --stdin: fix one text and print it (fixed or not) on stdout; explanations on stderr. */
async function runStdin(options: CliOptions, io: CliIO, custom: Transform[] | undefined): Promise<number> {
  const display = options.stdinFilepath ?? '<stdin>';
  const filePath = path.resolve(io.cwd, options.stdinFilepath ?? 'Dockerfile');
  const resolver = new ConfigResolver((custom ?? builtinTransforms).map((t) => t.meta.id));
  try {
    const bytes = io.readStdin ? await io.readStdin() : Buffer.alloc(0);
    if (bytes.length === 0) throw new InputError('empty input', 'empty');
    const text = decodeDockerfile(bytes);
    const { options: fix } = resolver.optionsFor(filePath, options.settings);
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

async function run(
  options: CliOptions,
  io: CliIO,
  all: readonly Transform[],
  custom: Transform[] | undefined,
): Promise<number> {
  const totals: Totals = { files: 0, changed: 0, unchanged: 0, skipped: 0, errors: 0 };
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
    stdout: io.stdout,
    stderr: io.stderr,
  });

  // The shell parser compiles (and jsdiff loads, when diffs will be printed) while discovery and
  // config lookup wait on the file system.
  const wantDiff = options.format === 'json' || (options.format === 'diff' && options.action === 'dry-run');
  const shellReady = Promise.all([initShellParser(), wantDiff ? loadDiff() : null]);
  shellReady.catch(() => {}); // awaited below
  const found = await discover(options.paths, io.cwd);
  for (const e of found.errors) {
    totals.errors++;
    reporter.pathError(e.display, e.message);
  }
  totals.files = found.files.length;

  // Per-file settings: the nearest config file, then the command line. Worked out as each file's
  // turn comes, so that a long run holds no per-file state beyond the file list (flat memory).
  const resolver = new ConfigResolver(all.map((t) => t.meta.id));
  const jobOf = (f: FoundFile): FileJob | null => {
    try {
      return { ...f, fix: resolver.optionsFor(f.path, options.settings).options };
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
    if (outcome.error !== null) totals.errors++;
    else {
      totals.skipped += outcome.skips.length;
      if (outcome.status === 'changed') totals.changed++;
      else totals.unchanged++;
    }
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
      emit(
        job,
        await processFile(
          job,
          readSettled(job.path),
          options.action,
          { transforms: custom },
          wantDiff,
          runCache,
        ),
      );
    }
  }
  progress.stop();

  reporter.finish(totals);
  if (totals.errors > 0) return 2;
  if (options.action === 'check' && totals.changed > 0) return 1;
  return 0;
}

let version: string | null = null;
/** The version in dockerfix's own package.json: the nearest one above this module (dist/src/cli or the bundle). */
function packageVersion(): string {
  if (version === null) {
    version = '0.0.0';
    for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version: string };
        if (pkg.name === 'dockerfix') {
          version = pkg.version;
          break;
        }
      } catch {
        // not here: one level up
      }
      if (new URL('../', dir).href === dir.href) break;
    }
  }
  return version;
}
