/** The `dockerfix` command line: parse the arguments, then list, explain, or run. */
import { UsageError } from './args.js';
import { selectTransforms } from '../core/engine.js';
import type { Transform } from '../core/transform.js';
import { parseArgs, type CliOptions } from './options.js';
import { builtinTransforms } from '../../transforms/index.js';
import { loadTransforms } from './custom-transforms.js';
import { explain, listTransforms } from './explain.js';
import { defaultIO, type CliIO } from './output.js';
import { run, runStdin } from './run.js';

export type { CliIO };

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
