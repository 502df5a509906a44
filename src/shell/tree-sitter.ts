/**
 * The tree-sitter-bash reading of a script (WebAssembly, loaded once by loadTreeSitter()): every
 * script the plain reader declines, and the reference the plain reader is checked against.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Node, Parser as TSParser } from 'web-tree-sitter';
import type { CompoundCommand, Connector, Pipeline, ShellScript, SimpleCommand, Step, Unit, Word } from './types.js';

let parser: TSParser | null = null;
let initializing: Promise<void> | null = null;

/** Load the WASM parser once. Everything after this is synchronous. */
export function loadTreeSitter(): Promise<void> {
  if (parser) return Promise.resolve();
  initializing ??= (async () => {
    const { Parser, Language } = await import('web-tree-sitter');
    const require = createRequire(import.meta.url);
    await Parser.init();
    const bash = await loadGrammar(Language, require);
    const p = new Parser();
    p.setLanguage(bash);
    // No warm-up parse: most scripts never reach tree-sitter (see plain.ts), and its first
    // parse compiles the WebAssembly it calls (~15 ms), which a one-file run of plain scripts
    // would wait for in vain.
    parser = p;
  })();
  return initializing;
}

/**
 * Where the bash grammar's WebAssembly may be, from this module: `dist/grammar/` of this package
 * (the build copies it there, and the npm package ships it) as seen from dist/bundle, dist/src/shell
 * and src/shell (the tests); last, the tree-sitter-bash development dependency.
 */
const GRAMMAR_PLACES = ['../grammar/', '../../grammar/', '../../dist/grammar/'];

async function loadGrammar(
  Language: typeof import('web-tree-sitter').Language,
  require: NodeRequire,
): Promise<import('web-tree-sitter').Language> {
  for (const place of GRAMMAR_PLACES) {
    try {
      return await Language.load(fileURLToPath(new URL(place + 'tree-sitter-bash.wasm', import.meta.url)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
}

export function isTreeSitterReady(): boolean {
  return parser !== null;
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
