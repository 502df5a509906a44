/**
 * Recognising a command: the program that actually runs (past `sudo`), its literal arguments, and
 * where its subcommand is. Every tool module reads commands through these.
 */
import { commandBase, type ShellScript, type SimpleCommand, type Word } from '../shell/index.js';

/**
 * A command with the commands that only run it removed (`sudo`, `env A=1`, `xargs`, `nice`,
 * `timeout 60`, `eatmydata`, …): the command that actually runs.
 */
export interface Invocation {
  name: string;
  /** Literal argument values (null where dynamic). */
  args: (string | null)[];
  command: SimpleCommand;
  /** The word that names it when a wrapper runs it (`apt-get` in `xargs apt-get …`), else null. */
  nameWord: Word | null;
}

/** Commands that run the command after their options: options taking a value, and leading operands. */
const WRAPPERS: Record<string, { withValue: ReadonlySet<string>; operands?: number; assignments?: boolean }> = {
  sudo: { withValue: new Set() },
  env: { withValue: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']), assignments: true },
  xargs: {
    withValue: new Set(['-a', '--arg-file', '-d', '--delimiter', '-E', '-I', '-L', '--max-lines', '-n', '--max-args', '-P', '--max-procs', '-s', '--max-chars']),
  },
  nice: { withValue: new Set(['-n', '--adjustment']) },
  ionice: { withValue: new Set(['-c', '--class', '-n', '--classdata', '-p', '-P', '-u']) },
  timeout: { withValue: new Set(['-s', '--signal', '-k', '--kill-after']), operands: 1 },
  stdbuf: { withValue: new Set(['-i', '-o', '-e']) },
  nohup: { withValue: new Set() },
  eatmydata: { withValue: new Set() },
  command: { withValue: new Set() },
  exec: { withValue: new Set(['-a']) },
  time: { withValue: new Set(['-f', '--format', '-o', '--output']) },
};

export function invocation(command: SimpleCommand): Invocation | null {
  let name = commandBase(command.name);
  let args = command.args.map((a) => a.value);
  let nameWord: Word | null = null;
  for (let depth = 0; name !== null && depth < 4; depth++) {
    const wrapper = WRAPPERS[name];
    if (!wrapper) break;
    // `sudo -u app cmd` keeps sudo: the options say who runs it, which callers must see.
    if (name === 'sudo' && (args[0] === null || args[0]?.startsWith('-'))) break;
    let i = 0;
    let operands = wrapper.operands ?? 0;
    while (i < args.length) {
      const a = args[i];
      if (a === null) break;
      if (a === '--') {
        i++;
        break;
      }
      if (a.startsWith('-') && a !== '-') {
        i += wrapper.withValue.has(a) ? 2 : 1;
      } else if (wrapper.assignments && /^[A-Za-z_]\w*=/.test(a)) {
        i++;
      } else if (operands > 0) {
        operands--;
        i++;
      } else break;
    }
    if (i >= args.length || args[i] === null) break;
    nameWord = command.args[command.args.length - args.length + i];
    name = commandBase(args[i]);
    args = args.slice(i + 1);
  }
  return name === null ? null : { name, args, command, nameWord };
}

export function invocations(script: ShellScript): Invocation[] {
  const out: Invocation[] = [];
  for (const { command } of script.allCommands) {
    const inv = invocation(command);
    if (inv) out.push(inv);
  }
  return out;
}

const NO_VALUES: ReadonlySet<string> = new Set();

/**
 * Index of the first positional argument (the subcommand): the first argument that is dynamic or
 * does not start with `-`, skipping the values of the options in `withValue`; -1 when there is none.
 */
export function positionalIndex(
  args: readonly (string | null)[],
  withValue: ReadonlySet<string> = NO_VALUES,
  from = 0,
): number {
  for (let i = from; i < args.length; i++) {
    const a = args[i];
    if (a === null || !a.startsWith('-')) return i;
    if (withValue.has(a)) i++;
  }
  return -1;
}

/** The subcommand when it is a literal; null when there is none or it is dynamic. */
export function subcommand(
  args: readonly (string | null)[],
  withValue: ReadonlySet<string> = NO_VALUES,
  from = 0,
): string | null {
  const i = positionalIndex(args, withValue, from);
  return i === -1 ? null : args[i];
}

/** Index of the subcommand when it is a literal, else -1. */
export function subcommandIndex(args: readonly (string | null)[], from = 0): number {
  const i = positionalIndex(args, NO_VALUES, from);
  return i !== -1 && args[i] !== null ? i : -1;
}

/** Positional arguments (dynamic ones included as null), skipping the values of `withValue` options. */
export function positionals(
  args: readonly (string | null)[],
  withValue: ReadonlySet<string>,
): (string | null)[] {
  const out: (string | null)[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a !== null && withValue.has(a)) i++;
    else if (a === null || !a.startsWith('-')) out.push(a);
  }
  return out;
}

/** The word of `inv.args[i]` (a leading `sudo …` shifts the indices). */
export function argWord(inv: Invocation, i: number): Word {
  return inv.command.args[inv.command.args.length - inv.args.length + i];
}

/** The words of the command whose value is exactly `value`. */
export function wordsWithValue(inv: Invocation, value: string): Word[] {
  return inv.command.args.filter((w) => w.value === value);
}

export interface ParsedOptions {
  values: Map<string, string | null>;
  flags: Set<string>;
  positionals: (string | null)[];
}

/** getopt-style reading: short clusters (`-fsSLo file`), `--name=value`, `--name value`. */
export function parseOptions(
  args: readonly (string | null)[],
  shortWithValue: ReadonlySet<string>,
  longWithValue: ReadonlySet<string>,
): ParsedOptions {
  const values = new Map<string, string | null>();
  const flags = new Set<string>();
  const positionalArgs: (string | null)[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === null) {
      positionalArgs.push(null);
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a : a.slice(0, eq);
      if (eq !== -1) values.set(name, a.slice(eq + 1));
      else if (longWithValue.has(name)) values.set(name, args[++i] ?? null);
      else flags.add(name);
    } else if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k];
        if (shortWithValue.has(c)) {
          values.set('-' + c, k + 1 < a.length ? a.slice(k + 1) : (args[++i] ?? null));
          break;
        }
        flags.add('-' + c);
      }
    } else {
      positionalArgs.push(a);
    }
  }
  return { values, flags, positionals: positionalArgs };
}

/** The value of an option given as `--name value` or `--name=value` (any of `names`), undefined when absent. */
export function optionValue(args: readonly (string | null)[], ...names: string[]): string | null | undefined {
  for (let i = 0; i < args.length; i++) {
    const x = args[i];
    if (x === null) continue;
    for (const n of names) {
      if (x === n) return args[i + 1] ?? null;
      if (x.startsWith(n + '=')) return x.slice(n.length + 1);
    }
  }
  return undefined;
}

/**
 * An argument that may expand to any options at all (`$FLAGS`, `"${ARGS}"`): not one whose text is
 * partly literal, nor the value of the option before it (`-a $TARGETARCH`).
 */
export function mayBeAnyOption(inv: Invocation): boolean {
  const words = inv.command.args.slice(inv.command.args.length - inv.args.length);
  return words.some(
    (w, i) => w.value === null && /^["']?\$/.test(w.raw) && !(i > 0 && /^-[^=]*$/.test(words[i - 1].value ?? '')),
  );
}
