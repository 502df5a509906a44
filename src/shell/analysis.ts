/** What a parsed script does to the shell around it, and small readings of its commands. */
import type { ShellScript, SimpleCommand, Step } from './types.js';

const STATE_COMMANDS = new Set([
  'cd',
  'pushd',
  'popd',
  'export',
  'unset',
  'source',
  '.',
  'set',
  'shopt',
  'umask',
  'alias',
  'unalias',
  'trap',
  'exec',
  'exit',
  'return',
  'eval',
  'readonly',
  'declare',
  'typeset',
  'local',
  'ulimit',
  'hash',
  'enable',
  'builtin',
  'command',
]);

/** `set` options that do not change what a later command does when it succeeds. */
const HARMLESS_SET_FLAGS = /^[-+][euxvh]+$/;
const HARMLESS_SET_OPTIONS = new Set(['errexit', 'nounset', 'xtrace', 'verbose', 'pipefail']);

export interface StateChange {
  /** The command that changes state, e.g. `cd`, `export`, `VAR=`, `function`. */
  what: string;
  /** Joined-text offset. */
  start: number;
}

/**
 * Top-level effects that outlive the command that makes them: a later command appended to this
 * script would run in a different state than in a fresh `sh -c`.
 */
export function shellStateChanges(script: ShellScript): StateChange[] {
  const out: StateChange[] = [];
  for (const { command, isolated } of script.allCommands) {
    if (isolated) continue;
    if (command.name === null) {
      if (command.assignments.length > 0 && command.args.length === 0) {
        out.push({ what: `${command.assignments[0]}=`, start: command.start });
      }
      continue;
    }
    if (!STATE_COMMANDS.has(command.name)) continue;
    if (command.name === 'set' && isHarmlessSet(command)) continue;
    out.push({ what: command.name, start: command.start });
  }
  for (const step of script.steps) {
    for (const unit of step.pipeline.units) {
      if (unit.type === 'function') out.push({ what: 'function definition', start: unit.start });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function isHarmlessSet(cmd: SimpleCommand): boolean {
  if (cmd.args.length === 0) return false;
  for (let i = 0; i < cmd.args.length; i++) {
    const v = cmd.args[i].value;
    if (v === null) return false;
    if (v === '-o' || v === '+o') {
      const opt = cmd.args[++i]?.value;
      if (!opt || !HARMLESS_SET_OPTIONS.has(opt)) return false;
    } else if (!HARMLESS_SET_FLAGS.test(v)) {
      return false;
    }
  }
  return true;
}

/** The simple command of a step when the step is exactly one plain command (no pipe, no `!`). */
export function soleCommand(step: Step): SimpleCommand | null {
  const { units, negated } = step.pipeline;
  if (negated || units.length !== 1 || units[0].type !== 'command') return null;
  return units[0];
}

/** Literal values of a command's arguments (null where dynamic). */
export function argValues(cmd: SimpleCommand): (string | null)[] {
  return cmd.args.map((a) => a.value);
}

/** The basename of a command name: `/usr/bin/apt-get` → `apt-get`. */
export function commandBase(name: string | null): string | null {
  if (name === null) return null;
  const i = name.lastIndexOf('/');
  return i === -1 ? name : name.slice(i + 1);
}
