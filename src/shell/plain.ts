/**
 * A fast path for the scripts most RUNs hold: simple commands joined by `&&`, `||`, `;`, `&`, `|`
 * and newlines; words plain, quoted, escaped, with `$NAME`, `${NAME}`, `${NAME<op>word}` and
 * `$(…)`; comments, trailing redirections, `export`/`unset`, `! cmd`, `[ … ]`, and `if`, `for`,
 * `while`, `until` and `case` over the same. Reading them here is ~15× cheaper than a tree-sitter
 * parse plus the walk over its nodes (corpus: 35 ms against 600 ms for all 4,445 distinct scripts).
 *
 * It builds the same ShellScript the tree-sitter path builds (quirks included: tree-sitter-bash
 * applies `x && a > f` to the whole list), or returns null the moment it meets anything else
 * (subshells, groups, functions, backquotes, arithmetic, heredocs, `[[`, words tree-sitter splits
 * or reads its own way): those scripts go to tree-sitter. The tests and `npm run corpus` (every
 * RUN script of every corpus input and output) check that whatever this accepts, tree-sitter
 * reads the same.
 */
import type {
  CompoundCommand,
  Connector,
  Pipeline,
  ShellScript,
  SimpleCommand,
  Step,
  Unit,
  Word,
} from './types.js';

/** Reserved words: they open or close compound commands, never name a simple command. */
const RESERVED = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'for',
  'while',
  'until',
  'do',
  'done',
  'case',
  'esac',
  'in',
  'function',
  'select',
  'time',
  'coproc',
  'unsetenv',
]);

/** Declarations are their own node types in tree-sitter-bash, with their own argument rules. */
const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'readonly', 'local', 'unset']);

/**
 * Command names read here; tree-sitter-bash reads others (`a#b`, `\ `, `--f=1`) its own ways:
 * plain words or `$NAME`, `:`, quoted strings, `"$NAME/path"`, `python$VERSION`.
 */
const COMMAND_NAMES = [
  /^(?:[A-Za-z_./~][\w./~+-]*|\$\{?[A-Za-z_]\w*\}?)$/,
  /^:$/,
  /^"[^"$`\\]*"$/,
  /^'[^']*'$/,
  /^"\$\{?[A-Za-z_]\w*\}?[\w./-]*"$/,
  /^[A-Za-z_][\w.-]*\$\{?[A-Za-z_]\w*\}?$/,
];
/** `[A-Za-z_]` and `[A-Za-z0-9_]` by char code (NaN past the end is neither). */
const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);

/** Characters that end an unquoted word (`)` too, inside `$(…)`; `<`, `>` start a redirection). */
function isBreak(c: string): boolean {
  return (
    c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' || c === '<' || c === '>'
  );
}

/** Unquoted characters this reader leaves to tree-sitter (brackets: except in arguments, below). */
const UNSUPPORTED = new Set(['`', '(', ')', '{', '}', '[', ']', '\r']);
/** Plain characters to tree-sitter-bash in a command's arguments (`pkg[extra]`, `-exec rm {} +`). */
const BRACKETS = new Set(['{', '}', '[', ']']);
/** `{1..3}` is a brace expression to tree-sitter-bash (no literal value); `{a..z}` and `{-1..3}` are not. */
const BRACE_RANGE = /\{\d+\.\./y;

/** Operators of `${NAME<op>word}` (the word is read as far as the closing brace). */
const PARAMETER_OPERATOR = /^(?::?[-=?+]|##?|%%?|\/\/?|\^\^?|,,?)/;

/** ASCII characters that continue an unquoted word as themselves (1), by char code. */
const ORDINARY = new Uint8Array(128);
/** ASCII characters that stand for themselves inside double quotes (1). */
const QUOTED_ORDINARY = new Uint8Array(128);
for (let code = 33; code < 127; code++) {
  const c = String.fromCharCode(code);
  const special = c === '"' || c === '\\' || c === '$' || c === '`';
  QUOTED_ORDINARY[code] = special ? 0 : 1;
  ORDINARY[code] = special || c === "'" || c === ')' || isBreak(c) || UNSUPPORTED.has(c) ? 0 : 1;
}
QUOTED_ORDINARY[32] = 1;
QUOTED_ORDINARY[9] = 1;

/** After `$NAME` in a word of two or more parts before it, these end tree-sitter's word there. */
const SPLITTING = new Set(['-', '/', '.']);
/** …and these do, or not, depending on what follows them: such words are left to tree-sitter. */
const SPLITTING_SOMETIMES = new Set(['+', ',', '~', '*', '?', '^', '!']);

/**
 * Operands of `[ … ]` read here (tree-sitter-bash reads others, e.g. with `=`, `%` or `@` in them,
 * its own ways): plain characters and simple strings, or one expansion alone; a double-quoted
 * string of text, `$NAME`, `${NAME}` and simple `$(…)`; `${NAME op word}` or `$(…)` alone.
 */
const TEST_OPERANDS = [
  /^(?:(?:[\w/.:-]|"[^"$`\\]*"|'[^']*')+|"?\$(?:[A-Za-z_]\w*|\{[A-Za-z_]\w*\})"?)$/,
  /^"?\$[@*#?!0-9]"?$/,
  /^"(?:[^"\\`$]|\$[A-Za-z_]\w*|\$\{[A-Za-z_]\w*\}|\$\((?:[^()"'`\\$]|"[^"$`\\]*"|\$\{?[A-Za-z_]\w*\}?)*\))*"$/,
  /^\$(?:\{[A-Za-z_]\w*(?::?[-+=?]|##?|%%?)[\w./:*~-]*\}|\((?:[^()"'`\\$]|"[^"$`\\]*"|\$\{?[A-Za-z_]\w*\}?)*\))$/,
  /^[\w/.:-]+\$(?:[A-Za-z_]\w*|\{[A-Za-z_]\w*\})$/,
];

/** The word of `${NAME<op>word}` that is read here, from where it starts (sticky). */
const EXPANSION_OPERAND = /(?:[\w.*?+@%:,/=~^ -]|\[[\w.*?+@%:,/=~^ !-]*\])*/y;
/** …and after the default-value operators (`:-`, `:+`, `:=`…): plain characters and double-quoted text. */
const DEFAULT_OPERAND = /(?:[\w.*?+@%:,/=~^ -]|"(?:[^"$`\\]|\$[A-Za-z_]\w*|\$\{[A-Za-z_]\w*\})*")*/y;

/** `$@`, `$1`, `$?`…: one character after `$` (`$$` and `$-` are read oddly by tree-sitter-bash). */
const SPECIAL_PARAMETER = /[@*#?!0-9]/;

/** `name() ` before a function body in braces, at the reading position (sticky). */
const FUNCTION_HEAD = /([A-Za-z_][\w-]*)\(\)[ \t]*(?=\{[ \t\n])/y;

/** Redirection operators after an optional descriptor, longest first. */
const REDIRECTS = ['&>>', '>>', '>&', '<&', '&>', '>|', '>', '<'];

class Unsupported extends Error {}

/** Nesting of statement lists (`$(…)`, compound bodies) read here; deeper is left to tree-sitter. */
const MAX_DEPTH = 50;
const bail = (): never => {
  throw new Unsupported();
};

interface Token extends Word {
  /** `NAME=` / `NAME+=` at the start of the token: the assigned name. */
  assigns: string | null;
}

export function parsePlainShell(source: string): ShellScript | null {
  try {
    return new PlainReader(source).script();
  } catch (err) {
    if (err instanceof Unsupported) return null;
    throw err;
  }
}

/** A lone command without redirections. */
function plainHead(step: Step): boolean {
  const { units } = step.pipeline;
  return units.length === 1 && units[0].type === 'command' && !units[0].hasRedirect;
}

class PlainReader {
  private i = 0;
  /** Depth of `$(…)` being read: there `)` ends a word and the substitution. */
  private parens = 0;
  /** Depth of `$(…)` and compound bodies: there only the commands count, not the steps. */
  private nested = 0;
  private hasComment = false;
  /** Where the value of the assignment being read starts. */
  private valueStart = -1;
  /** Statement lists being read, one inside the other. */
  private depth = 0;
  /** Set by a redirection that tree-sitter applies to the whole and-or list before it. */
  private redirectsList = false;
  /** The isolation of a redirected pipeline's commands as they were before it was seen to be one. */
  private isolatedBefore: boolean[] = [];
  private readonly allCommands: { command: SimpleCommand; isolated: boolean }[] = [];

  constructor(private readonly s: string) {}

  script(): ShellScript {
    const steps: Step[] = [];
    const trailing = this.statements(steps, null);
    if (this.i < this.s.length) bail();
    return {
      source: this.s,
      steps,
      trailing,
      hasComment: this.hasComment,
      hasError: false,
      allCommands: this.allCommands,
    };
  }

  /**
   * Statements up to the end, the `)` of a substitution, or (in a compound command) one of the
   * reserved words in `until` or `;;`. Returns the trailing `;` / `&`.
   */
  private statements(steps: Step[], until: ReadonlySet<string> | null): ';' | '&' | null {
    const { s } = this;
    // Deep nesting (`$($($(…` in a mangled file) would overflow the stack here: left to tree-sitter.
    if (++this.depth > MAX_DEPTH) bail();
    let trailing: ';' | '&' | null = null;
    // The connector before the next statement, as tree-sitter's program node lists them.
    let pending: Connector | null = null;
    let statements = 0;
    let newline = false;
    for (;;) {
      this.blanks();
      if (this.i >= s.length) break;
      const c = s[this.i];
      if (c === ')' && this.parens > 0) break;
      if (c === '\n') {
        // Newlines are no tokens of tree-sitter's program: the connector stays `;` or `&`.
        this.i++;
        newline = true;
        continue;
      }
      if (c === '#') {
        this.comment();
        continue;
      }
      if (c === ';' && s[this.i + 1] === ';' && until?.has(';;')) break;
      if (c === ';' || c === '&') {
        // A separator with no statement before it (on its line), or `;;` / `;&`: not plain.
        if (statements === 0 || newline || trailing !== null) bail();
        if (s[this.i + 1] === ';' || s[this.i + 1] === '&') bail();
        trailing = c;
        pending = c;
        this.i++;
        continue;
      }
      if (until !== null) {
        const word = this.reservedWord();
        if (word !== null && until.has(word)) break;
        if (c === '}' && until.has('}') && this.endsWord(this.i + 1)) break;
      }
      if (statements > 0 && pending === null) bail();
      trailing = null;
      newline = false;
      this.andOr(steps, pending);
      statements++;
      pending = ';';
      // The statement must end at a separator, a comment, a newline or the end.
      this.blanks();
      const e = s[this.i];
      if (!(
        e === undefined ||
        e === ';' ||
        e === '&' ||
        e === '\n' ||
        e === '#' ||
        (e === ')' && this.parens > 0)
      ))
        bail();
    }
    if (statements === 0 && (this.parens > 0 || until !== null)) bail();
    this.depth--;
    return trailing;
  }

  /** The reserved word at the reading position, if one stands there as a whole word. */
  private reservedWord(): string | null {
    const { s } = this;
    let j = this.i;
    while (j < s.length && s[j] >= 'a' && s[j] <= 'z') j++;
    if (j === this.i || (j < s.length && !isBreak(s[j]) && s[j] !== ')')) return null;
    const word = s.slice(this.i, j);
    return RESERVED.has(word) ? word : null;
  }

  /** Consume the reserved word `word`, or give up. */
  private expectWord(word: string): void {
    this.blankLines();
    if (this.reservedWord() !== word) bail();
    this.i += word.length;
  }

  /** Only blanks, then a line break or a comment, at the reading position. */
  private lineBreakAhead(): boolean {
    const { s } = this;
    let j = this.i;
    while (j < s.length && (s[j] === ' ' || s[j] === '\t')) j++;
    return s[j] === '\n' || s[j] === '#';
  }

  private blanks(): void {
    const { s } = this;
    while (this.i < s.length && (s[this.i] === ' ' || s[this.i] === '\t')) this.i++;
  }

  /** Blanks, newlines and comments: allowed after `&&`, `||` and `|`. */
  private blankLines(): void {
    const { s } = this;
    for (;;) {
      while (this.i < s.length && (s[this.i] === ' ' || s[this.i] === '\t' || s[this.i] === '\n')) this.i++;
      if (s[this.i] !== '#') return;
      this.comment();
    }
  }

  /** `#` at the start of a word: a comment to the end of the line (inside `$(…)` too). */
  private comment(): void {
    this.hasComment = true;
    const nl = this.s.indexOf('\n', this.i);
    const end = nl === -1 ? this.s.length : nl;
    // A `)` in a comment inside `$(…)`: leave the question of where it ends to tree-sitter.
    if (this.parens > 0 && this.s.slice(this.i, end).includes(')')) bail();
    this.i = end;
  }

  private andOr(steps: Step[], before: Connector | null): void {
    const { s } = this;
    let op: Connector | null = before;
    const listStart = steps.length;
    const listCommands = this.allCommands.length;
    let grouped = false;
    let restored = 0;
    /** A pipeline of three or more commands is in the list. */
    let long = false;
    for (let first = true; ; first = false) {
      const pipeline = this.pipeline(first);
      steps.push({ pipeline, before: steps.length === 0 ? null : op });
      if (this.redirectsList) {
        // tree-sitter-bash reads `x && a > f` as `{ x && a; } > f`: the list so far becomes one
        // redirected group, as its reading gives it.
        this.redirectsList = false;
        // A lone pipeline is scanned as the group's own body there, its commands not isolated;
        // once that group is in a larger one (`a | b > f && c > g`), they are again.
        for (let k = 0; k < restored; k++) this.allCommands[listCommands + k].isolated = true;
        restored = 0;
        if (steps.length - listStart === 1 && pipeline.units.length > 1) {
          this.isolatedBefore.forEach(
            (isolated, k) => (this.allCommands[listCommands + k].isolated = isolated),
          );
          restored = this.isolatedBefore.length;
        }
        const group: CompoundCommand = {
          type: 'group',
          commands: this.allCommands.slice(listCommands).map((c) => c.command),
          hasRedirect: true,
          start: steps[listStart].pipeline.start,
          end: pipeline.end,
        };
        grouped = true;
        const firstBefore = steps[listStart].before;
        steps.splice(listStart, steps.length - listStart, {
          pipeline: { units: [group], negated: false, start: group.start, end: group.end },
          before: firstBefore,
        });
      }
      this.blanks();
      if (pipeline.units.length > 2) long = true;
      const two = s.slice(this.i, this.i + 2);
      if (two !== '&&' && two !== '||') {
        // …and may read the line after a list with one as part of it (`x && a | b | c | d && e⏎f > g`).
        if (long && this.lineBreakAhead()) bail();
        return;
      }
      // tree-sitter-bash nests `a | b | c && d` as `a | (b | c && d)` at the start of a list, and
      // `x && a | b | c | d && e` alike unless `x` is a plain command: left to it.
      if (pipeline.units.length > 2 && (first || grouped || !plainHead(steps[listStart]))) bail();
      op = two;
      this.i += 2;
      this.blankLines();
      if (this.i >= s.length) bail();
    }
  }

  private pipeline(leading: boolean): Pipeline {
    const { s } = this;
    const first = this.allCommands.length;
    if (s[this.i] === '!' && (s[this.i + 1] === ' ' || s[this.i + 1] === '\t')) {
      // `! a`: tree-sitter negates only the command after `!`, so `! a | b` is left to it.
      const bang = this.i;
      this.i++;
      this.blanks();
      const unit = this.unit(leading);
      this.blanks();
      if (unit.type !== 'command' || (s[this.i] === '|' && s[this.i + 1] !== '|')) bail();
      // `! export A`: a plain command to tree-sitter-bash, not a declaration.
      if (unit.type === 'command' && unit.name !== null && DECLARATIONS.has(unit.name)) bail();
      // `! A=1 B=2`: an error to it.
      if (unit.type === 'command' && unit.name === null && unit.assignments.length > 1) bail();
      if (unit.hasRedirect || this.redirectsList) bail();
      return { units: [unit], negated: true, start: bang, end: unit.end };
    }
    const units: Unit[] = [this.unit(leading)];
    for (;;) {
      this.blanks();
      if (this.redirectsList) break;
      if (s[this.i] !== '|' || s[this.i + 1] === '|') break;
      if (s[this.i + 1] === '&') bail();
      this.i++;
      // Newlines may follow `|`; a comment there is left to tree-sitter.
      while (this.i < s.length && (s[this.i] === ' ' || s[this.i] === '\t' || s[this.i] === '\n')) this.i++;
      if (this.i >= s.length || s[this.i] === '#') bail();
      units.push(this.unit(false));
    }
    // tree-sitter-bash may read a line after a longer pipeline as part of it (`a | b | c⏎d > f`,
    // `a | b | c # x⏎d > f`).
    if (units.length > 2 && this.lineBreakAhead()) bail();
    // Each part of a multi-command pipeline runs in its own subshell, with what it runs.
    if (units.length > 1) {
      // Unless a redirection makes the pipeline the body of a group (andOr): keep the flags before.
      if (this.redirectsList) this.isolatedBefore = this.allCommands.slice(first).map((c) => c.isolated);
      for (let k = first; k < this.allCommands.length; k++) this.allCommands[k].isolated = true;
    }
    return { units, negated: false, start: units[0].start, end: units[units.length - 1].end };
  }

  /**
   * A simple command, with the redirections after its words (tree-sitter's redirected_statement),
   * a declaration, a test (`[ … ]`) or a compound command. `leading`: the first command of its
   * and-or list. tree-sitter-bash applies a redirection after a later one to the whole list or
   * pipeline before it (`a && b > f` as `{ a && b; } > f`); those are left to it.
   */
  private unit(leading: boolean): Unit {
    const { s } = this;
    const reserved = this.reservedWord();
    if (reserved !== null) return this.compound(reserved);
    if (s[this.i] === '[' && (s[this.i + 1] === ' ' || s[this.i + 1] === '\t')) return this.test();
    if (s[this.i] === '(' && s[this.i + 1] !== '(') return this.redirected(this.subshell(), leading);
    FUNCTION_HEAD.lastIndex = this.i;
    const fn = FUNCTION_HEAD.exec(s);
    if (fn) {
      if (RESERVED.has(fn[1])) bail();
      return this.functionDefinition(fn[0].length);
    }
    if (s[this.i] === '{' && (s[this.i + 1] === ' ' || s[this.i + 1] === '\t' || s[this.i + 1] === '\n'))
      return this.redirected(this.group(), leading);
    const command = this.command();
    this.blanks();
    if (!this.atRedirect()) return command;
    if (command.name === null || DECLARATIONS.has(command.name)) bail();
    return this.redirected(command, leading);
  }

  /** A unit with the redirections after it, if any (tree-sitter's redirected_statement). */
  private redirected<T extends Unit>(unit: T, leading: boolean): T {
    const { s } = this;
    this.blanks();
    if (!this.atRedirect()) return unit;
    if (!leading && this.nested === 0) this.redirectsList = true;
    const pipedAfter = !leading && this.nested > 0;
    let end = unit.end;
    // Every word after the first redirection belongs to a redirection, as tree-sitter reads it.
    for (;;) {
      this.blanks();
      const c = s[this.i];
      if (
        this.i >= s.length ||
        c === '#' ||
        (c !== '<' && c !== '>' && isBreak(c)) ||
        (c === ')' && this.parens > 0)
      )
        break;
      if (this.atRedirect()) {
        this.redirectOperator();
        this.blanks();
        if (this.i >= s.length || isBreak(s[this.i]) || s[this.i] === '#') bail();
      }
      const before = this.allCommands.length;
      end = this.word(false).end;
      // Commands in a destination would be recorded before the command itself: left to tree-sitter.
      if (this.allCommands.length !== before) bail();
    }
    // Nested, the list before is not collapsed (only commands count there), but piped on it would
    // isolate the list's commands too (`if t; then a && b > f | c; fi`): left to tree-sitter.
    if (pipedAfter && s[this.i] === '|' && s[this.i + 1] !== '|') bail();
    return { ...unit, hasRedirect: true, end };
  }

  /** `if`, `for`, `while`, `until` and `case`: one unit holding every command inside. */
  private compound(keyword: string): CompoundCommand {
    const start = this.i;
    const first = this.allCommands.length;
    this.i += keyword.length;
    this.nested++;
    if (keyword === 'if') {
      this.statements([], THEN);
      this.expectWord('then');
      let end = this.statementsUntil(ELSE_FI);
      while (end === 'elif') {
        this.statements([], THEN);
        this.expectWord('then');
        end = this.statementsUntil(ELSE_FI);
      }
      if (end === 'else') this.statementsUntil(FI);
    } else if (keyword === 'for') {
      this.blanks();
      const name = /^[A-Za-z_]\w*/.exec(this.s.slice(this.i, this.i + 256));
      if (!name) bail();
      this.i += name![0].length;
      this.blanks();
      if (this.reservedWord() === 'in') {
        this.i += 2;
        for (let words = 0; ; words++) {
          this.blanks();
          const c = this.s[this.i];
          // `for v in; do` is an error to tree-sitter-bash.
          if ((c === ';' || c === '\n') && words > 0) break;
          if (this.i >= this.s.length || isBreak(c) || c === '#') bail();
          this.word(false);
        }
      } else if (this.s[this.i] !== ';' && this.s[this.i] !== '\n') {
        // `for v do` is an error to tree-sitter-bash.
        bail();
      }
      this.blanks();
      if (this.s[this.i] === ';') this.i++;
      this.doGroup();
    } else if (keyword === 'while' || keyword === 'until') {
      this.statements([], DO);
      this.doGroup();
    } else if (keyword === 'case') {
      // Inside `$(…)` the `)` of its patterns trips tree-sitter: left to it.
      if (this.parens > 0) bail();
      this.caseBody();
    } else {
      bail();
    }
    this.nested--;
    return this.closed('compound', start, first);
  }

  /** Statements up to one of the reserved words in `until`, which is consumed and returned. */
  private statementsUntil(until: ReadonlySet<string>): string {
    this.statements([], until);
    this.blankLines();
    const word = this.reservedWord();
    if (word === null || !until.has(word)) bail();
    this.i += word!.length;
    return word!;
  }

  private doGroup(): void {
    this.expectWord('do');
    this.statementsUntil(DONE);
  }

  /** `WORD in (PATTERN | PATTERN) LIST ;; … esac`, patterns of plain or quoted words. */
  private caseBody(): void {
    const { s } = this;
    this.blanks();
    // `case #…` starts a comment; and a word must follow `case`.
    if (this.i >= s.length || isBreak(s[this.i]) || s[this.i] === '#') bail();
    this.word(false);
    this.expectWord('in');
    for (;;) {
      this.blankLines();
      if (this.reservedWord() === 'esac') {
        this.i += 4;
        return;
      }
      if (s[this.i] === '(') this.i++;
      for (;;) {
        this.blanks();
        const start = this.i;
        for (;;) {
          const c = s[this.i];
          if (c === undefined) bail();
          if (/[\w.*?+@%:,/=-]/.test(c)) this.i++;
          else if (c === "'") {
            const close = s.indexOf("'", this.i + 1);
            if (close === -1) bail();
            this.i = close + 1;
          } else if (c === '"') this.doubleQuoted();
          else break;
        }
        if (this.i === start) bail();
        this.blanks();
        if (s[this.i] === ')') break;
        if (s[this.i] !== '|') bail();
        this.i++;
      }
      this.i++;
      this.blanks();
      // An item may have no commands (`x) ;;`).
      if (s[this.i] !== ';' && this.reservedWord() !== 'esac') this.statements([], CASE_ITEM_END);
      this.blankLines();
      if (s.startsWith(';;', this.i)) {
        if (s[this.i + 2] === '&') bail();
        this.i += 2;
      } else if (this.reservedWord() !== 'esac') bail();
    }
  }

  /** `( … )`: every command inside runs in a subshell. */
  private subshell(): CompoundCommand {
    const start = this.i;
    const first = this.allCommands.length;
    this.i++;
    this.parens++;
    this.nested++;
    this.statements([], null);
    this.nested--;
    this.parens--;
    if (this.s[this.i] !== ')') bail();
    this.i++;
    return this.closed('subshell', start, first);
  }

  /** `name() { …; }`: its commands are recorded like a group's (they run where it is called). */
  private functionDefinition(headLength: number): CompoundCommand {
    const start = this.i;
    const first = this.allCommands.length;
    this.i += headLength;
    this.group();
    return this.closed('function', start, first);
  }

  /** `{ …; }`: a group in the current shell. */
  private group(): CompoundCommand {
    const start = this.i;
    const first = this.allCommands.length;
    this.i++;
    this.nested++;
    this.statements([], GROUP_END);
    this.nested--;
    this.blankLines();
    if (this.s[this.i] !== '}') bail();
    this.i++;
    return this.closed('group', start, first);
  }

  /**
   * A compound unit that ends here (`fi;`, `done &&`, `)`), holding the commands recorded since
   * `first`. Its closing word must stand alone; a redirection after it is left to tree-sitter.
   */
  private closed(type: CompoundCommand['type'], start: number, first: number): CompoundCommand {
    if (!this.endsWord(this.i)) bail();
    return {
      type,
      commands: this.allCommands.slice(first).map((c) => c.command),
      hasRedirect: false,
      start,
      end: this.i,
    };
  }

  /** A word ending at `at`: the end, a break, or `)` inside `$(…)` or a subshell. */
  private endsWord(at: number): boolean {
    const c = this.s[at];
    return c === undefined || (isBreak(c) && c !== '<' && c !== '>') || (c === ')' && this.parens > 0);
  }

  /** `[ … ]`: a test, no command; only substitutions in its words run commands. */
  private test(): CompoundCommand {
    const { s } = this;
    const start = this.i;
    const first = this.allCommands.length;
    this.i++;
    // The shape, one letter a word: `x` an operand, `u` a `-letters` operator, `b` `=`, `==`, `!=`.
    let shape = '';
    for (;;) {
      this.blanks();
      const c = s[this.i];
      if (c === ']') {
        this.i++;
        break;
      }
      if (this.i >= s.length || isBreak(c) || c === '#') bail();
      const op = /^(?:-[a-zA-Z]+|!=?|==?)(?=[ \t])/.exec(s.slice(this.i, this.i + 8));
      if (op) {
        this.i += op[0].length;
        shape += op[0] === '!' ? '!' : op[0].startsWith('-') ? 'u' : 'b';
        continue;
      }
      // Operands: the shapes of TEST_OPERANDS (the commands of their substitutions are recorded).
      const operand = this.word(false).raw;
      // A lone `/` after `-f` is a division to tree-sitter-bash.
      if (!TEST_OPERANDS.some((re) => re.test(operand)) || operand.startsWith('-') || operand === '/') bail();
      shape += 'x';
    }
    // `[ x ]`, `[ -f x ]`, `[ x = y ]`, after an optional `!`; other shapes are left to tree-sitter.
    if (!/^!?(?:x|ux|x[ub]x)$/.test(shape)) bail();
    return this.closed('other', start, first);
  }

  /** At `>`, `<`, `&>` or a descriptor number right before one. */
  private atRedirect(): boolean {
    const { s } = this;
    let j = this.i;
    while (j < s.length && s[j] >= '0' && s[j] <= '9') j++;
    const c = s[j];
    if (c === '<' || c === '>') {
      // `0>x`, `01>x`: an argument or an error to tree-sitter-bash, not a descriptor.
      if (j > this.i && s[this.i] === '0') bail();
      return true;
    }
    return j === this.i && c === '&' && s[j + 1] === '>';
  }

  private redirectOperator(): void {
    const { s } = this;
    while (s[this.i] >= '0' && s[this.i] <= '9') this.i++;
    const op = REDIRECTS.find((o) => s.startsWith(o, this.i))!;
    this.i += op.length;
    // Heredocs, here-strings, `<>` and process substitutions are left to tree-sitter.
    const next = s[this.i];
    if (next === '<' || next === '>' || next === '(' || next === '&' || next === '|') bail();
  }

  private command(): SimpleCommand {
    const { s } = this;
    const assignments: string[] = [];
    let name: Token | null = null;
    const args: Word[] = [];
    let start = -1;
    let end = -1;
    let declaration = false;
    for (;;) {
      this.blanks();
      const c = s[this.i];
      if (this.i >= s.length || isBreak(c) || c === '#' || (c === ')' && this.parens > 0)) break;
      // `2>` : a descriptor number starts a redirection, not a word. tree-sitter drops a lone `-`
      // argument right before one (`apt-key add - 2>&1`): left to it.
      if (this.atRedirect()) {
        if (args.length > 0 && args[args.length - 1].raw === '-' && s[this.i] >= '0' && s[this.i] <= '9')
          bail();
        break;
      }
      const tok = this.word(name === null || declaration, name !== null && !declaration);
      if (start === -1) start = tok.start;
      end = tok.end;
      if (declaration) {
        // tree-sitter reads `A=1` as an assignment and `A` as a variable name: no literal value.
        // Options (`-x`) are words; anything else is left to tree-sitter.
        // `unset` takes names only: `a=b` there is a word.
        const option = /^-[A-Za-z]+$/.test(tok.raw);
        const assignment = tok.assigns !== null && name!.value !== 'unset';
        if (!option && !assignment && !/^[A-Za-z_]\w*$/.test(tok.raw)) bail();
        args.push({ raw: tok.raw, value: option ? tok.raw : null, start: tok.start, end: tok.end });
      } else if (name === null && tok.assigns !== null) {
        assignments.push(tok.assigns);
      } else if (name === null) {
        if (RESERVED.has(tok.raw) || !COMMAND_NAMES.some((re) => re.test(tok.raw))) bail();
        if (DECLARATIONS.has(tok.raw)) {
          if (assignments.length > 0) bail();
          declaration = true;
        }
        name = tok;
      } else {
        args.push({ raw: tok.raw, value: tok.value, start: tok.start, end: tok.end });
      }
    }
    if (start === -1) bail();
    // tree-sitter-bash runs several bare assignments on into the next line (`A=1 B=2⏎b` is one command).
    if (name === null && assignments.length > 1 && (s[this.i] === '\n' || s[this.i] === '#')) bail();
    // A redirection before the command name, or between its words: left to tree-sitter.
    if (this.atRedirect() && name === null) bail();
    const command: SimpleCommand =
      name === null
        ? { type: 'command', name: null, args, nameEnd: start, assignments, hasRedirect: false, start, end }
        : {
            type: 'command',
            name: name.value,
            args,
            nameEnd: name.end,
            assignments,
            hasRedirect: false,
            start,
            end,
          };
    this.allCommands.push({ command, isolated: this.parens > 0 });
    return command;
  }

  /**
   * One word: plain, quoted and escaped parts and simple expansions, up to an unquoted break.
   * `splittable`: a command argument, which may end early where tree-sitter splits it (below).
   */
  private word(commandStart: boolean, splittable = false): Token {
    const { s } = this;
    const start = this.i;
    let assigns: string | null = null;
    if (commandStart && isNameStart(s.charCodeAt(start))) {
      let j = start + 1;
      while (j < s.length && isNameChar(s.charCodeAt(j))) j++;
      const eq = s[j] === '=' ? j : s[j] === '+' && s[j + 1] === '=' ? j + 1 : -1;
      // `_=` is a command name to tree-sitter.
      if (eq !== -1 && j - start === 1 && s[start] === '_') bail();
      if (eq !== -1) {
        assigns = s.slice(start, j);
        this.i = eq + 1;
        this.valueStart = this.i;
        // `A=#…`: a comment or an error to tree-sitter.
        if (s[this.i] === '#') bail();
        // `A=` with an empty value: alone, or blanks then an operator or another assignment
        // (`A= B=1 && c`), not before a command (`A= x:y` is an error to tree-sitter), nor right before the `)` of a subshell or
        // substitution (an error to it too).
        const next = s[this.i];
        if (
          next === undefined ||
          next === ';' ||
          next === '\n' ||
          ((next === ' ' || next === '\t') && this.emptyValueBeforeBlanks())
        )
          return { raw: s.slice(start, this.i), value: '', start, end: this.i, assigns };
        if (next === ')') bail();
        if (isBreak(next)) bail();
      }
    }
    // A word that starts with `==` or `=~` is an operator to tree-sitter, and one that starts with
    // `=` an error where a command or assignment starts; elsewhere it is a plain argument (`a = b`).
    if (s[this.i] === '=' && (commandStart || s[this.i + 1] === '=' || s[this.i + 1] === '~')) bail();
    let value: string | null = '';
    // Parts of the word so far (a run of plain characters, a quoted string, an expansion each).
    let parts = 0;
    let inRun = false;
    let escaped = false;
    let bracketed = false;
    while (this.i < s.length) {
      const c = s[this.i];
      if (isBreak(c) || (c === ')' && this.parens > 0)) break;
      if (UNSUPPORTED.has(c)) {
        // tree-sitter-bash splits a word where an escape meets a bracket (`[\]` is `[` and `\]`).
        if (!splittable || !BRACKETS.has(c) || escaped || parts > 1) bail();
        BRACE_RANGE.lastIndex = this.i;
        if (BRACE_RANGE.test(s)) bail();
        // Read with the plain characters after it, as one run.
        bracketed = true;
      }
      // `!` in an argument is an ordinary character to tree-sitter-bash; elsewhere, its own.
      if (c === '!' && commandStart) bail();
      const plain = c !== "'" && c !== '"' && c !== '$';
      if (plain && !inRun) parts++;
      else if (!plain) parts++;
      inRun = plain;
      // An escape is read here only in a word of one plain run (tree-sitter splits others).
      if (!plain && escaped) bail();
      if (c === '$' && isNameStart(s.charCodeAt(this.i + 1)) && parts > 2) {
        // tree-sitter-bash ends a word at an unquoted `$NAME` that follows two or more parts and is
        // followed by one of `-/.+,~*?^`: `x$v$v-y` reads as `x$v$` and `v-y`. Read it so.
        let j = this.i + 2;
        while (j < s.length && isNameChar(s.charCodeAt(j))) j++;
        if (SPLITTING_SOMETIMES.has(s[j])) bail();
        if (SPLITTING.has(s[j])) {
          if (escaped || !splittable || assigns !== null) bail();
          this.i++;
          return { raw: s.slice(start, this.i), value: null, start, end: this.i, assigns };
        }
      }
      if (c === "'") {
        const close = s.indexOf("'", this.i + 1);
        if (close === -1) bail();
        if (value !== null) value += s.slice(this.i + 1, close);
        this.i = close + 1;
      } else if (c === '"') {
        const inner = this.doubleQuoted();
        value = value !== null && inner !== null ? value + inner : null;
      } else if (c === '\\') {
        const next = s[this.i + 1];
        // An escaped blank or line break is left to tree-sitter, and so is an escape in a word with
        // an expansion (`$v\t` is two words to it) or a bracket.
        if (next === undefined || next === '\n' || next === '\r' || next === ' ' || next === '\t') bail();
        if (parts > 1 || bracketed) bail();
        if (value !== null) value += next;
        escaped = true;
        this.i += 2;
      } else if (c === '$') {
        if (escaped || bracketed) bail();
        this.expansion();
        value = null;
      } else {
        // A run of ordinary characters, taken whole (one string, not one per character).
        let j = this.i + 1;
        while (j < s.length && ORDINARY[s.charCodeAt(j)] === 1) j++;
        const run = s.slice(this.i, j);
        // `2#101` is a number in a base to tree-sitter.
        if (run.includes('#') && /\d#/.test(run)) bail();
        if (value !== null) value += run;
        this.i = j;
      }
    }
    if (this.i === start) bail();
    // A word of brackets alone may run on past a blank to tree-sitter-bash (`[ }` is one word).
    if (bracketed && /^[[\]{}]+$/.test(s.slice(start, this.i)) && s.slice(start, this.i) !== '{}') bail();
    // Digits right before `<` or `>` (`a ?1>x`, `-1>x`): tree-sitter-bash may take them for a
    // descriptor, or read an error there.
    const after = s[this.i];
    if ((after === '<' || after === '>') && s.charCodeAt(this.i - 1) >= 48 && s.charCodeAt(this.i - 1) <= 57)
      bail();
    return { raw: s.slice(start, this.i), value, start, end: this.i, assigns };
  }

  /** Whether blanks here end the command or lead to another assignment (`A= && b`, `A= B=1`). */
  private emptyValueBeforeBlanks(): boolean {
    const { s } = this;
    let j = this.i;
    while (s[j] === ' ' || s[j] === '\t') j++;
    const c = s[j];
    if (c === undefined || c === ';' || c === '\n' || c === '&' || c === '|' || c === '#') return true;
    if (!isNameStart(s.charCodeAt(j))) return false;
    while (j < s.length && isNameChar(s.charCodeAt(j))) j++;
    return s[j] === '=';
  }

  /** `"…"` from its opening quote; its value, or null when it holds an expansion. */
  private doubleQuoted(): string | null {
    const { s } = this;
    this.i++;
    let value: string | null = '';
    for (;;) {
      if (this.i >= s.length) bail();
      const c = s[this.i];
      if (c === '"') {
        // Blanks alone: tree-sitter's string holds no content (`" "` reads as ``).
        if (value !== null && value !== '' && value.trim() === '' && !/[\n\r]/.test(value)) bail();
        this.i++;
        return value;
      }
      // Newlines: tree-sitter drops one right after the opening quote from the string's content.
      if (c === '`' || c === '\n') bail();
      if (c === '\\') {
        const next = s[this.i + 1];
        if (next === undefined || next === '\n' || next === '\r') bail();
        if (next === '\\' || next === '"' || next === '$' || next === '`') {
          if (value !== null) value += next;
        } else {
          // Inside double quotes only those are escapes; `\n` stays two characters (`\ ` is read
          // otherwise by tree-sitter-bash).
          if (next === ' ' || next === '\t') bail();
          if (value !== null) value += c + next;
        }
        this.i += 2;
      } else if (c === '$') {
        this.expansion();
        value = null;
      } else {
        let j = this.i + 1;
        while (j < s.length && QUOTED_ORDINARY[s.charCodeAt(j)] === 1) j++;
        if (value !== null) value += s.slice(this.i, j);
        this.i = j;
      }
    }
  }

  /** `$NAME`, `${NAME}`, `${NAME<op>plain word}` or `$(plain script)` (nothing more elaborate). */
  private expansion(): void {
    const { s } = this;
    let j = this.i + 1;
    if (s[j] === '(') {
      if (s[j + 1] === '(') bail();
      this.i = j + 1;
      this.parens++;
      this.nested++;
      this.statements([], null);
      this.nested--;
      this.parens--;
      if (s[this.i] !== ')') bail();
      this.i++;
      return;
    }
    if (s[j] === '{') {
      j++;
      if (s[j] >= '0' && s[j] <= '9') {
        // `${1}`, `${1:-}`: positional parameters.
        while (j < s.length && s[j] >= '0' && s[j] <= '9') j++;
      } else {
        if (!isNameStart(s.charCodeAt(j))) bail();
        while (j < s.length && isNameChar(s.charCodeAt(j))) j++;
      }
      if (s[j] !== '}') {
        const op = PARAMETER_OPERATOR.exec(s.slice(j, j + 2));
        if (!op) bail();
        j += op![0].length;
        // The operand: plain characters and `[…]` classes (and strings after `:-`…), no expansions,
        // escapes or nesting.
        const operand = /^:?[-+=]$/.test(op![0]) ? DEFAULT_OPERAND : EXPANSION_OPERAND;
        operand.lastIndex = j;
        operand.test(s);
        j = operand.lastIndex;
        if (s[j] !== '}') bail();
      }
      this.i = j + 1;
      return;
    }
    if (SPECIAL_PARAMETER.test(s[j] ?? '')) {
      // Only alone (tree-sitter-bash splits words around them its own ways): a whole word, value
      // or double-quoted string (`$@`, `A=$1`, `"$1"`).
      const startsAt = (k: number) => k < 0 || isBreak(s[k]) || k + 1 === this.valueStart;
      const endsAt = (k: number) => k >= s.length || isBreak(s[k]) || (s[k] === ')' && this.parens > 0);
      const quoted = s[this.i - 1] === '"' && s[j + 1] === '"';
      if (!(quoted ? startsAt(this.i - 2) && endsAt(j + 2) : startsAt(this.i - 1) && endsAt(j + 1))) bail();
      this.i = j + 1;
      return;
    }
    if (!isNameStart(s.charCodeAt(j))) bail();
    while (j < s.length && isNameChar(s.charCodeAt(j))) j++;
    this.i = j;
  }
}

const THEN: ReadonlySet<string> = new Set(['then']);
const ELSE_FI: ReadonlySet<string> = new Set(['elif', 'else', 'fi']);
const FI: ReadonlySet<string> = new Set(['fi']);
const DO: ReadonlySet<string> = new Set(['do']);
const DONE: ReadonlySet<string> = new Set(['done']);
const CASE_ITEM_END: ReadonlySet<string> = new Set([';;', 'esac']);
const GROUP_END: ReadonlySet<string> = new Set(['}']);
