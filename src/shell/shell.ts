/**
 * The shell inside a RUN: a plain-data model built from tree-sitter-bash's syntax tree.
 *
 * Offsets are indices into the joined script text (continuations removed, comment lines dropped,
 * as BuildKit hands it to `/bin/sh -c`); `ShellBody.toSource` maps them back to the Dockerfile.
 */
import { createRequire } from 'node:module';
import type { Node, Parser as TSParser } from 'web-tree-sitter';
import { parsePlainShell } from './plain.js';

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

let parser: TSParser | null = null;
let initializing: Promise<void> | null = null;

/** Load the WASM parser once. Everything after this is synchronous. */
export function initShellParser(): Promise<void> {
  if (parser) return Promise.resolve();
  initializing ??= (async () => {
    const { Parser, Language } = await import('web-tree-sitter');
    const require = createRequire(import.meta.url);
    await Parser.init();
    const bash = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
    const p = new Parser();
    p.setLanguage(bash);
    // No warm-up parse: most scripts never reach tree-sitter (see plain-shell.ts), and its first
    // parse compiles the WebAssembly it calls (~15 ms), which a one-file run of plain scripts
    // would wait for in vain.
    parser = p;
  })();
  return initializing;
}

export function isShellParserReady(): boolean {
  return parser !== null;
}

/**
 * Parsed scripts by source text, most recently used last. A file is re-parsed after every change,
 * and many RUNs repeat across a monorepo's files, so most parses are repeats (corpus: 8,595 parses
 * of 3,223 distinct scripts). Scripts are plain data and never mutated, so sharing them is safe.
 */
const recentScripts = new Map<string, ShellScript>();
const RECENT_SCRIPTS_MAX = 512;

export function parseShell(source: string): ShellScript {
  const known = recentScripts.get(source);
  if (known !== undefined) {
    recentScripts.delete(source);
    recentScripts.set(source, known);
    return known;
  }
  const script = parseShellUncached(source);
  recentScripts.set(source, script);
  if (recentScripts.size > RECENT_SCRIPTS_MAX) recentScripts.delete(recentScripts.keys().next().value!);
  return script;
}

function parseShellUncached(source: string): ShellScript {
  if (!parser) throw new Error('shell parser used before initShellParser() finished');
  return parsePlainShell(source) ?? parseWithTreeSitter(source);
}

/** The tree-sitter reading of any script (the plain-script fast path is checked against it). */
export function parseWithTreeSitter(source: string): ShellScript {
  if (!parser) throw new Error('shell parser used before initShellParser() finished');
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    const root = tree.rootNode;
    const builder = new ScriptBuilder(source);
    builder.program(root);
    return {
      source,
      steps: builder.steps,
      trailing: builder.trailing,
      hasComment: builder.hasComment,
      hasError: root.hasError,
      allCommands: builder.allCommands,
    };
  } catch (err) {
    // Nesting deep enough to exhaust the stack: treat the script as unreadable, so nothing touches it.
    if (!(err instanceof RangeError)) throw err;
    return { source, steps: [], trailing: null, hasComment: false, hasError: true, allCommands: [] };
  } finally {
    tree.delete();
  }
}

const COMPOUND_TYPES = new Set([
  'if_statement',
  'while_statement',
  'for_statement',
  'c_style_for_statement',
  'case_statement',
]);

const DECLARATION_TYPES = new Set(['declaration_command', 'unset_command']);

class ScriptBuilder {
  steps: Step[] = [];
  trailing: ';' | '&' | null = null;
  hasComment = false;
  allCommands: { command: SimpleCommand; isolated: boolean }[] = [];
  private pendingConnector: Connector | null = null;

  constructor(private readonly source: string) {}

  program(root: Node): void {
    for (const child of root.children) {
      if (!child) continue;
      const t = child.type;
      if (t === 'comment') {
        this.hasComment = true;
      } else if (t === ';' || t === '&' || t === ';;') {
        this.trailing = t === '&' ? '&' : ';';
        this.pendingConnector = this.trailing;
      } else if (t === '\n') {
        // A newline separates statements like `;`.
        this.pendingConnector = ';';
      } else {
        this.trailing = null;
        this.andOr(child);
        this.pendingConnector ??= ';';
      }
    }
  }

  /**
   * Flatten a left-associative `list` of && / || into steps. Iterative: a RUN of thousands of `&&`
   * nests that deep, and recursion would overflow the stack.
   */
  private andOr(node: Node): void {
    // Walk down the left spine, remembering each level's operator and right operand.
    const rights: { op: Connector | null; node: Node }[] = [];
    let cur: Node = node;
    while (cur.type === 'list') {
      const kids = cur.children.filter((c): c is Node => c !== null);
      if (kids.some((k) => k.type === 'comment')) this.hasComment = true;
      const parts = kids.filter((k) => k.type !== 'comment');
      const opIndex = parts.findIndex((k) => k.type === '&&' || k.type === '||');
      if (opIndex <= 0 || parts.length !== 3) break;
      rights.push({ op: parts[1].type as Connector, node: parts[2] });
      cur = parts[0];
    }
    const emit = (n: Node, op: Connector | null) => {
      if (op !== null) this.pendingConnector = op;
      const pipeline = this.pipeline(n, false);
      this.steps.push({ pipeline, before: this.steps.length === 0 ? null : this.pendingConnector });
      this.pendingConnector = null;
    };
    emit(cur, null);
    for (let i = rights.length - 1; i >= 0; i--) emit(rights[i].node, rights[i].op);
  }

  private pipeline(node: Node, isolated: boolean): Pipeline {
    if (node.type === 'negated_command') {
      const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
      const p = inner ? this.pipeline(inner, isolated) : this.emptyPipeline(node);
      return { ...p, negated: true, start: node.startIndex };
    }
    if (node.type === 'pipeline') {
      const parts = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      // Each part of a multi-command pipeline runs in its own subshell.
      const units = parts.map((c) => this.unit(c, isolated || parts.length > 1));
      return { units, negated: false, start: node.startIndex, end: node.endIndex };
    }
    return { units: [this.unit(node, isolated)], negated: false, start: node.startIndex, end: node.endIndex };
  }

  private emptyPipeline(node: Node): Pipeline {
    return { units: [], negated: false, start: node.startIndex, end: node.endIndex };
  }

  private unit(node: Node, isolated: boolean): Unit {
    const t = node.type;
    if (t === 'redirected_statement') {
      const body = node.childForFieldName('body');
      this.scanNested(node, isolated, body);
      if (!body) return this.compound('other', node, isolated, true);
      const u = this.unit(body, isolated);
      return { ...u, hasRedirect: true, start: node.startIndex, end: node.endIndex };
    }
    if (t === 'command') return this.command(node, isolated);
    if (DECLARATION_TYPES.has(t)) return this.declaration(node, isolated);
    if (t === 'variable_assignment' || t === 'variable_assignments')
      return this.bareAssignment(node, isolated);
    if (t === 'subshell') return this.compound('subshell', node, true, false);
    if (t === 'compound_statement') return this.compound('group', node, isolated, false);
    if (t === 'function_definition') return this.compound('function', node, isolated, false);
    if (COMPOUND_TYPES.has(t)) return this.compound('compound', node, isolated, false);
    if (t === 'list' || t === 'pipeline' || t === 'negated_command') {
      // A nested list can only appear inside compounds; model it as an opaque group.
      return this.compound('group', node, isolated, false);
    }
    return this.compound('other', node, isolated, false);
  }

  private compound(
    type: CompoundCommand['type'],
    node: Node,
    isolated: boolean,
    hasRedirect: boolean,
  ): CompoundCommand {
    const before = this.allCommands.length;
    this.scanNested(node, isolated, null);
    const commands = this.allCommands.slice(before).map((c) => c.command);
    return { type, commands, hasRedirect, start: node.startIndex, end: node.endIndex };
  }

  /** Record every simple command below node (except inside `skip`, handled by the caller). */
  private scanNested(node: Node, isolated: boolean, skip: Node | null): void {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (skip && child.startIndex === skip.startIndex && child.endIndex === skip.endIndex) continue;
      const t = child.type;
      if (t === 'comment') {
        this.hasComment = true;
      } else if (t === 'command') {
        this.command(child, isolated);
      } else if (DECLARATION_TYPES.has(t)) {
        this.declaration(child, isolated);
      } else if (t === 'variable_assignment' || t === 'variable_assignments') {
        this.bareAssignment(child, isolated);
      } else {
        const nestedIsolated =
          isolated ||
          t === 'subshell' ||
          t === 'command_substitution' ||
          t === 'process_substitution' ||
          (t === 'pipeline' && child.namedChildren.length > 1);
        this.scanNested(child, nestedIsolated, null);
      }
    }
  }

  private command(node: Node, isolated: boolean): SimpleCommand {
    let name: string | null = null;
    let nameEnd = node.startIndex;
    let sawName = false;
    const args: Word[] = [];
    const assignments: string[] = [];
    let hasRedirect = false;
    for (let i = 0; i < node.childCount; i++) {
      const child = node.child(i);
      if (!child) continue;
      const field = node.fieldNameForChild(i);
      if (child.type === 'comment') {
        this.hasComment = true;
      } else if (field === 'name' || child.type === 'command_name') {
        sawName = true;
        const w = this.word(child.namedChildren[0] ?? child);
        name = w.value;
        nameEnd = child.endIndex;
        this.scanNested(child, isolated, null);
      } else if (child.type === 'variable_assignment') {
        const n = child.childForFieldName('name');
        if (n) assignments.push(n.text);
        this.scanNested(child, isolated, null);
      } else if (field === 'redirect' || child.type.endsWith('_redirect')) {
        hasRedirect = true;
        this.scanNested(child, isolated, null);
      } else if (sawName && child.isNamed) {
        args.push(this.word(child));
        this.scanNested(child, true, null);
      }
    }
    const cmd: SimpleCommand = {
      type: 'command',
      name,
      args,
      nameEnd,
      assignments,
      hasRedirect,
      start: node.startIndex,
      end: node.endIndex,
    };
    this.allCommands.push({ command: cmd, isolated });
    return cmd;
  }

  /** `export A=1`, `declare -x`, `local`, `readonly`, `unset X`: commands that set shell state. */
  private declaration(node: Node, isolated: boolean): SimpleCommand {
    const first = node.child(0);
    const args: Word[] = [];
    for (let i = 1; i < node.childCount; i++) {
      const child = node.child(i);
      if (child && child.isNamed && child.type !== 'comment') args.push(this.word(child));
    }
    const cmd: SimpleCommand = {
      type: 'command',
      name: first ? first.text : null,
      args,
      nameEnd: first ? first.endIndex : node.startIndex,
      assignments: [],
      hasRedirect: false,
      start: node.startIndex,
      end: node.endIndex,
    };
    // The assignments belong to the declaration; only their values can hold commands.
    for (const child of node.namedChildren) {
      if (!child) continue;
      this.scanNested(child, child.type === 'variable_assignment' ? isolated : true, null);
    }
    this.allCommands.push({ command: cmd, isolated });
    return cmd;
  }

  private bareAssignment(node: Node, isolated: boolean): SimpleCommand {
    const names: string[] = [];
    const collect = (n: Node) => {
      if (n.type === 'variable_assignment') {
        const nm = n.childForFieldName('name');
        if (nm) names.push(nm.text);
      } else for (const c of n.namedChildren) if (c) collect(c);
    };
    collect(node);
    const cmd: SimpleCommand = {
      type: 'command',
      name: null,
      args: [],
      nameEnd: node.startIndex,
      assignments: names,
      hasRedirect: false,
      start: node.startIndex,
      end: node.endIndex,
    };
    // `A=1 B=2` is one command: only the values of its assignments can hold more.
    if (node.type === 'variable_assignments') {
      for (const child of node.namedChildren) if (child) this.scanNested(child, isolated, null);
    } else {
      this.scanNested(node, isolated, null);
    }
    this.allCommands.push({ command: cmd, isolated });
    return cmd;
  }

  private word(node: Node): Word {
    return {
      raw: this.source.slice(node.startIndex, node.endIndex),
      value: literalValue(node),
      start: node.startIndex,
      end: node.endIndex,
    };
  }
}

/** The static value of a word, or null when it depends on expansions. */
function literalValue(node: Node): string | null {
  switch (node.type) {
    case 'word':
    case 'number':
      return unescapeUnquoted(node.text);
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'string': {
      let out = '';
      for (const c of node.children) {
        if (!c) continue;
        if (c.type === '"') continue;
        if (c.type === 'string_content') out += c.text.replace(/\\([\\"$`])/g, '$1');
        else return null;
      }
      return out;
    }
    case 'concatenation': {
      let out = '';
      for (const c of node.children) {
        if (!c) continue;
        const v = literalValue(c);
        if (v === null) return null;
        out += v;
      }
      return out;
    }
    default:
      return null;
  }
}

function unescapeUnquoted(text: string): string {
  return text.includes('\\') ? text.replace(/\\(.)/g, '$1') : text;
}

// ---------------------------------------------------------------------------------------------
// Analyses shared by transforms.

/** Commands whose effect persists in the shell and can change what later commands do. */
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
