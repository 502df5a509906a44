/** The command line's arguments, read into the options of one invocation. */
import path from 'node:path';
import { helpText, parseCommandLine, UsageError } from './args.js';
import type { CliSettings } from './config.js';
import type { Format } from './format.js';
import type { CliIO } from './output.js';
import type { Action } from './process-file.js';
import type { Mode } from '../core/transform.js';
import { packageVersion } from './version.js';

export interface CliOptions {
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
  /** `--exclude` patterns (relative to each directory searched). */
  exclude: string[];
}

const ids = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v])
    .flatMap((x) => String(x ?? '').split(','))
    .map((s) => s.trim())
    .filter(Boolean);

export function parseArgs(argv: string[], io: CliIO): CliOptions | 'done' {
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
      includeGenerated: args['include-generated'] as boolean | undefined,
      defaultExcludes: args['default-excludes'] as boolean | undefined,
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
    exclude: (args.exclude as string[] | undefined) ?? [],
  };
}
