/**
 * The shell inside a RUN as plain data: the model both readers (plain.ts, tree-sitter.ts) build.
 *
 * Offsets are indices into the joined script text (continuations removed, comment lines dropped,
 * as BuildKit hands it to `/bin/sh -c`); `JoinedBody` (core/model.ts) maps them back to the Dockerfile.
 */
export interface Word {
  /** The word as written (quotes and escapes included). */
  raw: string;
  /** The word's value when it has no expansions (quotes removed, escapes resolved), else null. */
  value: string | null;
  start: number;
  end: number;
}

export interface SimpleCommand {
  type: 'command';
  /** The literal command name (`apt-get`, `export`, `.`), or null for bare assignments/dynamic names. */
  name: string | null;
  /** The words after the name. */
  args: Word[];
  /** Offset just after the command name (the command's start when it has none). */
  nameEnd: number;
  /** Names assigned before the command (`A=1 cmd`) or, for a bare assignment, the names set. */
  assignments: string[];
  hasRedirect: boolean;
  start: number;
  end: number;
}

export interface CompoundCommand {
  /** subshell `( )`, group `{ }`, compound (if/for/while/case), function definition, or other. */
  type: 'subshell' | 'group' | 'compound' | 'function' | 'other';
  /** Every simple command nested inside, at any depth. */
  commands: SimpleCommand[];
  hasRedirect: boolean;
  start: number;
  end: number;
}

export type Unit = SimpleCommand | CompoundCommand;

export interface Pipeline {
  units: Unit[];
  negated: boolean;
  start: number;
  end: number;
}

export type Connector = '&&' | '||' | ';' | '&';

/** A pipeline in the flat top-level sequence, with the operator that joins it to the previous one. */
export interface Step {
  pipeline: Pipeline;
  /** Operator before this pipeline (null for the first). */
  before: Connector | null;
}

export interface ShellScript {
  /** The joined script text that was parsed. */
  source: string;
  /** The top-level pipelines in order, flattened across `&&`, `||`, `;`, `&` and newlines. */
  steps: Step[];
  /** The terminator after the last pipeline (`;` or `&`), if any. */
  trailing: ';' | '&' | null;
  /** The script contains a shell comment (which would swallow text appended on its line). */
  hasComment: boolean;
  /** tree-sitter found a syntax error. */
  hasError: boolean;
  /** Every simple command, at any depth, with whether its effects stay in a subshell. */
  allCommands: { command: SimpleCommand; isolated: boolean }[];
}
