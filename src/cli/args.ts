/**
 * Command-line options: one table drives parsing (node's util.parseArgs, strict), `--no-<flag>`
 * negation, validation and the --help text. yargs did this before; loading it took 70–90 ms of every
 * run, more than the rest of a one-file run's start-up.
 */
import { parseArgs as parseNodeArgs } from 'node:util';
import { FORMATS } from './format.js';

interface OptionSpec {
  name: string;
  type: 'boolean' | 'string';
  describe: string;
  choices?: readonly string[];
  /** May be given more than once (values are collected). */
  multiple?: boolean;
  /** The value is a whole number ≥ 1. */
  count?: boolean;
  /** Shown as the value's placeholder in --help. */
  value?: string;
}

export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'dry-run',
    type: 'boolean',
    describe: 'Print a unified diff of the fixes; write nothing (the default)',
  },
  { name: 'write', type: 'boolean', describe: 'Write the fixes in place (atomically)' },
  { name: 'check', type: 'boolean', describe: 'Print the files that would change; exit 1 if any would' },
  {
    name: 'format',
    type: 'string',
    value: 'FORMAT',
    choices: FORMATS,
    describe: 'diff (default), json (one object per file per line), sarif (2.1.0), summary',
  },
  {
    name: 'only',
    type: 'string',
    value: 'IDS',
    multiple: true,
    describe: 'Run only these transforms (comma-separated ids)',
  },
  {
    name: 'skip',
    type: 'string',
    value: 'IDS',
    multiple: true,
    describe: 'Do not run these transforms (comma-separated ids)',
  },
  {
    name: 'mode',
    type: 'string',
    value: 'MODE',
    choices: ['buildkit', 'portable'],
    describe: 'buildkit (default): cache mounts; portable: for builders without RUN --mount',
  },
  {
    name: 'unsafe',
    type: 'boolean',
    describe: 'Also apply `review` fixes (shown, but not applied, without it)',
  },
  {
    name: 'add-syntax',
    type: 'boolean',
    describe:
      'Add `# syntax=docker/dockerfile:1` to files given RUN --mount (pulls that frontend at build time)',
  },
  {
    name: 'context',
    type: 'string',
    value: 'DIR',
    describe: "The build context directory (default: each Dockerfile's directory, or the config's `context`)",
  },
  {
    name: 'exclude',
    type: 'string',
    value: 'PATTERN',
    multiple: true,
    describe:
      'Leave out files and directories matching this .gitignore-style pattern, relative to each directory searched (repeatable)',
  },
  {
    name: 'default-excludes',
    type: 'boolean',
    describe:
      'Leave out vendored and test-data directories (the default); --no-default-excludes to search them too',
  },
  {
    name: 'include-generated',
    type: 'boolean',
    describe: 'Also fix files whose header says they are generated (left alone by default)',
  },
  {
    name: 'transform',
    type: 'string',
    value: 'FILE',
    multiple: true,
    describe: 'Load a custom transform module (repeatable); it runs after the built-in ones',
  },
  { name: 'stdin', type: 'boolean', describe: 'Read one Dockerfile from stdin and print it fixed' },
  {
    name: 'stdin-filepath',
    type: 'string',
    value: 'PATH',
    describe: 'With --stdin: the path the text belongs to (for config lookup and messages)',
  },
  {
    name: 'color',
    type: 'boolean',
    describe: 'Color the diff (default: on a terminal, unless NO_COLOR); --no-color',
  },
  {
    name: 'jobs',
    type: 'string',
    value: 'N',
    count: true,
    describe: 'Worker threads (default: one per core on 4+ cores from 400 files up; 1 = no workers)',
  },
  { name: 'list-transforms', type: 'boolean', describe: 'List the transforms and exit' },
  {
    name: 'explain',
    type: 'string',
    value: 'ID',
    describe: 'Explain a transform: what, why, an example, where to read more',
  },
  {
    name: 'verbose',
    type: 'boolean',
    describe: "Print each fix's whole message, and the files and candidates left alone, with the reason",
  },
  { name: 'help', type: 'boolean', describe: 'Show this help' },
  { name: 'version', type: 'boolean', describe: 'Show the version number' },
];

/** Pairs of options that cannot be used together. */
const CONFLICTS: readonly [string, string][] = [
  ['write', 'check'],
  ['write', 'dry-run'],
  ['check', 'dry-run'],
  ['stdin', 'write'],
];

export class UsageError extends Error {}

export type ParsedArgs = {
  /** Option values by name: boolean, string, string[] (multiple) or number (count). */
  values: Record<string, boolean | string | string[] | number | undefined>;
  positionals: string[];
};

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  const byName = new Map(OPTIONS.map((o) => [o.name, o]));
  // `--no-<boolean>` sets it false (util.parseArgs on Node 20 has no negation).
  const negated = new Set<string>();
  const rest: string[] = [];
  let ended = false;
  for (const arg of argv) {
    if (!ended && arg === '--') ended = true;
    const m = ended ? null : /^--no-(.+)$/.exec(arg);
    if (m && byName.get(m[1])?.type === 'boolean') negated.add(m[1]);
    else rest.push(arg);
  }
  let parsed;
  try {
    parsed = parseNodeArgs({
      args: rest,
      options: Object.fromEntries(
        OPTIONS.map((o) => [o.name, { type: o.type, multiple: o.multiple === true }]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(usageMessage(err as Error & { code?: string }));
  }
  const values = { ...parsed.values } as ParsedArgs['values'];
  for (const name of negated) {
    if (values[name] === true) throw new UsageError(`--${name} and --no-${name} cannot be used together`);
    values[name] = false;
  }
  for (const o of OPTIONS) {
    const v = values[o.name];
    if (v === undefined) continue;
    if (o.choices && typeof v === 'string' && !o.choices.includes(v)) {
      throw new UsageError(`--${o.name} must be one of ${o.choices.join(', ')} (got '${v}')`);
    }
    if (o.count) {
      if (!/^0*[1-9]\d*$/.test(String(v))) throw new UsageError(`--${o.name} must be a whole number ≥ 1`);
      values[o.name] = Number(v);
    }
  }
  for (const [a, b] of CONFLICTS) {
    if (values[a] === true && values[b] === true)
      throw new UsageError(`--${a} and --${b} cannot be used together`);
  }
  return { values, positionals: parsed.positionals };
}

/** util.parseArgs's messages, shortened to what a user needs. */
function usageMessage(err: Error & { code?: string }): string {
  const option = /'(-[^' ]*)/.exec(err.message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? err.message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(err.message) ? `${option} needs a value` : `${option} takes no value`;
    default:
      return err.message;
  }
}

export function helpText(): string {
  const usage = [
    'dockerfix [options] [paths..]',
    '',
    'Fix the Dockerfile antipatterns that make images big and rebuilds slow.',
    '',
    'Paths are files, directories or globs (default: the current directory). Directories are',
    'searched for Dockerfile, Dockerfile.*, Dockerfile-*, Dockerfile_*, *.Dockerfile and the same',
    'with Containerfile, in any letter case (in a git work tree: the files git lists; elsewhere',
    'honouring .gitignore), skipping node_modules and .git. Templates, other kinds of files,',
    'generated files and vendored or test-data directories are left alone and counted as skipped.',
    'Settings come from the nearest .dockerfixrc.json, dockerfix.config.json or package.json',
    '"dockerfix" key; flags win.',
    '',
    'Options:',
  ];
  const heads = OPTIONS.map((o) => `--${o.name}${o.value ? ' ' + o.value : ''}`);
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  const lines = OPTIONS.flatMap((o, i) => {
    return wrapWords(o.describe, 96 - width - 2).map(
      (l, k) => '  ' + (k === 0 ? heads[i] : '').padEnd(width) + l,
    );
  });
  return [...usage, ...lines, ''].join('\n');
}

function wrapWords(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
