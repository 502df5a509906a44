/**
 * The plain-script fast path must read every script it accepts exactly as the tree-sitter path
 * does (same steps, commands, words, offsets, flags), and leave the rest to tree-sitter.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { isDeepStrictEqual } from 'node:util';
import { parsePlainShell } from '../src/shell/plain.js';
import { initShellParser, parseShell, parseWithTreeSitter } from '../src/shell/index.js';
import { random } from './helpers.js';

beforeAll(() => initShellParser());

/** Of `count` generated scripts: how many the fast path accepts, and those it reads otherwise than tree-sitter. */
function compareWithTreeSitter(
  count: number,
  generate: () => string,
): { accepted: number; mismatches: string[] } {
  let accepted = 0;
  const mismatches: string[] = [];
  for (let k = 0; k < count; k++) {
    const script = generate();
    const plain = parsePlainShell(script);
    if (plain === null) continue;
    accepted++;
    if (!isDeepStrictEqual(plain, parseWithTreeSitter(script))) mismatches.push(script);
  }
  return { accepted, mismatches };
}

/** `count` parts drawn from `parts`, joined. */
function joined(next: (n: number) => number, parts: readonly string[], count: number): string {
  let out = '';
  for (let k = count; k > 0; k--) out += parts[next(parts.length)];
  return out;
}

/** 1–6 statements of one or two words each, with a separator after each (the last one maybe trimmed). */
function tokenScript(
  next: (n: number) => number,
  words: readonly string[],
  separators: readonly string[],
): string {
  let script = '';
  for (let j = 1 + next(6); j > 0; j--) {
    script += words[next(words.length)];
    if (next(2)) script += ' ' + words[next(words.length)];
    script += separators[next(separators.length)];
  }
  return next(2) ? script.trimEnd() : script;
}

const ACCEPTED = [
  '',
  'apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*',
  'DEBIAN_FRONTEND=noninteractive apt-get install -y "a b" \'c d\' e\\$f',
  'pip install --no-cache-dir -r requirements.txt; npm ci &\nyarn build',
  'a || b; c & d',
  'set -eux; \tARCH="$(dpkg --print-architecture)"; echo ${ARCH}',
  'curl -fsSL https://example.org/x.tar.gz | tar -xz -C /opt',
  'echo "$(a "b c" | d)" > /etc/x && b',
  'a # trailing comment',
  'a && # comment\n  b',
  'X=$(a) && Y=1 b $X',
  'export PATH=/x:$PATH A B=1 -n && unset C',
  'if [ -f /x ]; then a; elif b; then c; else d; fi && e',
  'for f in a $(b) "c d"; do rm -f "$f"; done',
  'while read -r l; do echo "$l"; done',
  'case "${ARCH##*-}" in amd64|x86_64) a=1 ;; "arm64") a=2;; *) exit 1 ;; esac',
  'if ! command -v gpg; then apt-get install -y gnupg; fi',
  'x && a > /dev/null && b',
  'a 2>&1 >/tmp/log && b',
  '(cd /src && make) && { echo done; rm -rf /src; } || exit 1',
  'if [ "$ARCH" != x86_64 ] && [ ! -f /x ]; then echo "a!b"; fi',
  'B=${A:-/usr/local}',
  // One shell word that tree-sitter-bash reads as two (`/tmp/$v/c-$` and `v-x.tgz`): read as it does.
  'curl -o /tmp/$v/c-$v-x.tgz https://a/$v/$v.tgz',
  // Longer pipelines where tree-sitter-bash reads them plainly.
  'x && a | b | c && d',
  'a | b | c; d',
  'x && a | b | c | d',
  // Substitutions and expansions in tests.
  'if [ "$(uname -m)" != x86_64 ]; then a; fi',
  '[ -z ${CODE_RELEASE+x} ] && [ "${A}${B}" = "amd64" ] || [ -e "/usr/bin/$base" ]',
  '[ "$(sha512sum x.tgz | cut -c1-8)" = "$SUM" ]',
  'if [ "$(openssl sha512 -r ${REVISION}.tar.gz)" = "$SUM" ] && [ -d /modules/$module ]; then a; fi',
  // A redirected lone pipeline: tree-sitter's group body, its commands not isolated…
  "find . -name '*.so' | sort -u > /etc/list; ldconfig",
  'yes | unminimize 2>&1 && bash x',
  // …unless that group is in a larger one.
  'h | c > f && d > f',
  // `!` inside arguments.
  'test "$A" != "${A%/php}" && a x!y !',
  // Command names beyond plain words.
  'command -v gpgconf && gpgconf --kill all || :; "$GOROOT_BOOTSTRAP/bin/go" version; python$V get-pip.py',
  // Backslashes that are no escapes inside double quotes.
  'printf "version: ${V}\\nBuild-date: ${D}\\n" > f && echo -e "a\\tb" && sed -i "/\\.include.*fips/ s!.*!x!" f',
  // Function definitions; special and positional parameters alone in a word.
  'ddist() { local f="$1"; shift; local m="${1:-}"; while [ "$#" -gt 0 ]; do a "$@"; shift; done; }; ddist x',
  // Redirected subshells and groups.
  '(a) > f; { a; b; } > f && x && { c; } 2>&1; { d; } 2>&1 | e',
  // `=` words as arguments; double-quoted text after a default-value operator.
  'test "$a" = x && a = b && curl ${M:+"https://x/y z"} ${N:-"d"} -o f',
  // A bracket class in an expansion's word.
  'wget -O python.tar.xz "https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz"',
  // Brackets and braces in arguments; expansions in double-quoted text after `:+`.
  'pip install pyhive[hive,presto] "x[y]" && find . -exec rm -rf {} + && apt-get install libgnutls[0-9][0-9]',
  'for u in "a" ${m:+"https://x/$m"} ; do b; done',
  // Several bare assignments, empty values among them.
  'ARCH= OPENSSL_ARCH= && A=1 B=$(c) C=',
];

/** tree-sitter-bash reads these its own (sometimes wrong) ways: the fast path must decline them. */
const DECLINED = [
  // One shell word, two words to tree-sitter, with an escape in it (split words are read as
  // tree-sitter splits them only when plain: see ACCEPTED).
  'a x\\ y$v$v-',
  // `a | (b | c && d)` to tree-sitter.
  'a | b | c && d',
  // Negation of the first command only.
  '! a | b',
  // Newline right after a string's opening quote dropped.
  'echo "\nx"',
  // Redirection before the command name, heredocs, here-strings, process substitution.
  '2>/dev/null a',
  'cat <<EOF\nx\nEOF',
  'cat <<< x',
  'diff <(a) <(b)',
  // Redirected subshells and groups piped on inside a list, arithmetic, backquotes, `[[`.
  'x && (a) > f | b',
  'echo $((1 + 2))',
  'echo `date`',
  '[[ -f x ]] && a',
  // Names tree-sitter does not read as plain command names.
  'a#b c',
  '--f=1 x',
  // A lone `-` before a descriptor redirection is dropped by tree-sitter.
  'apt-key add - 2>&1',
  // An empty assignment before a command, an escaped blank.
  'A= b',
  'a e\\ f',
  // Longer pipelines after a compound or redirected command, or before a redirected line.
  '(g) && a | b | c | d && e',
  'a > f && b | c | d | e && g',
  'a | b | c\nd > f',
  'a | b | c # x\nd > f',
  // A line after a list with a longer pipeline in it may be read into it by tree-sitter-bash.
  'x && a | b | c | d && e\na > f',
  // A negated declaration is a plain command to tree-sitter-bash.
  'a && ! export A',
  // A reserved word as a function name; `$$`; a special parameter inside a longer word.
  'if() { a; }',
  'echo $$',
  'a x$1',
  // `==` and `=~` words (operators to tree-sitter-bash); quotes after other expansion operators.
  'a == b',
  'a =~ b',
  'a ${V,"x"}',
  // An escaped blank inside double quotes.
  'a "\\ "',
  // An empty assignment right before `)`: an error to tree-sitter-bash.
  '(a=)',
  'x=$(a=)',
  // Tests tree-sitter-bash reads as something else or as errors.
  '[ -f / ]',
  '[ ! = x ]',
  '[ a= ]',
  // `for` without `in` before `do`, or with `in` and no words: errors to tree-sitter-bash.
  'for v do a; done',
  'for v in; do a; done',
  // A comment where the word after `case` should be; `!` after `$NAME` late in a word.
  'case # in x) a;; esac',
  'a x"q"$v!',
  // Piped after a redirected list inside a compound command.
  'if t; then a && b > f | c; fi',
  // Several bare assignments run on into the next line, or negated (an error to tree-sitter);
  // brackets alone, next to an escape, or in a brace range; dangling operators.
  'A=1 B=2\nb',
  '! A=1 B=2',
  '{ a [ }; }',
  'a [\\] b',
  'a {1..3}',
  'a &&',
  'a |',
  '&& a',
  'a ;; b',
];

describe('plain-script fast path', () => {
  test.each(ACCEPTED)('accepts and reads as tree-sitter does: %j', (script) => {
    const plain = parsePlainShell(script);
    expect(plain).not.toBeNull();
    expect(plain).toEqual(parseWithTreeSitter(script));
  });

  test.each(DECLINED)('leaves to tree-sitter: %j', (script) => {
    expect(parsePlainShell(script)).toBeNull();
    // parseShell still reads it (through tree-sitter).
    expect(parseShell(script).source).toBe(script);
  });

  test('deep nesting is left to tree-sitter instead of overflowing the stack', () => {
    const deep = [
      'echo ' + '$('.repeat(5000),
      'echo ' + '$(a '.repeat(5000) + ')'.repeat(5000),
      '('.repeat(5000) + 'a' + ')'.repeat(5000),
      '{ '.repeat(5000) + 'a' + '; }'.repeat(5000),
      'if a; then '.repeat(5000) + 'b' + '; fi'.repeat(5000),
    ];
    for (const script of deep) {
      expect(parsePlainShell(script)).toBeNull();
      expect(parseShell(script).source).toBe(script);
    }
  });

  test('digits right before a redirection, in every combination', () => {
    let accepted = 0;
    const mismatches: string[] = [];
    for (const c of '!%*+,-./:=?@^_~aZ0')
      for (const digits of ['0', '1', '12', 'a1', '', '01', '00'])
        for (const redirect of ['>x', '>>x', '<x', '>&2', '<&0', '>&-'])
          for (const [before, after] of [
            ['a ', ''],
            ['a && b ', ''],
            ['x=$(a ', ')'],
            ['[ -f ', ' ]'],
          ]) {
            const script = before + c + digits + redirect + after;
            const plain = parsePlainShell(script);
            if (plain === null) continue;
            accepted++;
            if (!isDeepStrictEqual(plain, parseWithTreeSitter(script))) mismatches.push(script);
          }
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(200);
  });

  test('random scripts from a token grammar: whatever it accepts equals tree-sitter', () => {
    const words = [
      'a',
      'rm',
      '-rf',
      '/x/*',
      'x?',
      '--f=1',
      'A=1',
      'A=',
      'A="x y"',
      'A=$B',
      'A=$(b c)',
      '"q q"',
      "'s s'",
      '"$A"',
      '$A',
      '${A}',
      '${A:-x}',
      '${A##*-}',
      'x$A',
      '"a\\"b"',
      'a\\ b',
      'a#b',
      '$(a b)',
      '"$(a)"',
      '$(a && b)',
      '$(a | b)',
      '$( a ; b )',
      '$(a # c\n)',
      '$(a > f)',
      'x$(a)',
      '$v-$v-x',
      '$v$v',
      '"$v"-$v-x',
      '$(a)-$v-x',
      'export A=1',
      'unset A',
      'if a; then b; fi',
      'if [ -f x ]; then b; else c; fi',
      'for i in a $(b); do c; done',
      'while a; do b; done',
      'case $a in x|y) b;; *) c ;; esac',
      '(a; b)',
      '(a && b) || c',
      '{ a; b; }',
      '[ "$a" != b ]',
      '[ ! -f x ]',
      '"a!b"',
      '${A:-$B}',
      'a - 2>&1',
      '-',
      '[ -n "$a" ]',
      '! a',
      'fi',
      'do',
      'esac',
      'in',
      '(',
      ')',
      '{',
      '`a`',
      '<<EOF',
      '$((1))',
      '"',
      "'",
      '\\',
    ];
    const separators = [
      ' ',
      ' ',
      ' && ',
      ' || ',
      ' | ',
      '; ',
      ' & ',
      '\n',
      ' &&\n',
      ' # x\n',
      ' > f ',
      ' 2>&1 ',
      ' >>f ',
      ' <f ',
      ' && ! ',
      ' 2>&1 | ',
      ';;',
      '&&',
      '|',
    ];
    const next = random(42);
    const { accepted, mismatches } = compareWithTreeSitter(40000, () => tokenScript(next, words, separators));
    expect(mismatches).toEqual([]);
    // The grammar must exercise the fast path, or the test proves nothing.
    expect(accepted).toBeGreaterThan(400);
  });

  test('random words of plain, quoted and expanded parts, in every place a word goes', () => {
    const parts = [
      'x',
      '-',
      '/',
      '.',
      '$v',
      '${v}',
      '"q"',
      '"$v"',
      "'s'",
      '$(c)',
      '_',
      '1',
      ':',
      '+',
      ',',
      '~',
      '*',
      '?',
      '^',
      '@',
      '=',
      '%',
      '\\ ',
      '$w',
      '!',
      '!=',
      '#',
    ];
    const next = random(7);
    const { accepted, mismatches } = compareWithTreeSitter(20000, () => {
      const w = joined(next, parts, 1 + next(6));
      const places = [
        `a ${w}`,
        `a b ${w} && c ${w}`,
        `A=${w} a`,
        `a > ${w}`,
        `for i in ${w}; do a; done`,
        `[ ${w} = x ]`,
        `a $(b ${w})`,
        `case ${w} in x) a;; esac`,
        `export A=${w}`,
      ];
      return places[next(places.length)];
    });
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(10000);
  });
  test('random lists of pipelines of every kind of unit, in every context', () => {
    const units = [
      'a',
      'b x',
      'c > f',
      'd 2>&1',
      '{ e; }',
      '(g)',
      '[ -f x ]',
      'h <f',
      'i >>f 2>&1',
      'X=1 j',
      'if k; then l; fi',
      '! m',
      'n $(o | p | q && r)',
      'export S=1',
      '{ e; } > f',
      '(g) 2>&1',
      '{ e; f; } >> f 2>&1',
    ];
    const operators = [' && ', ' || ', ' && ', '; ', '\n', ' &\n', ' # c\n', ' | ', ' | ', ' |\n'];
    const contexts = [
      (x: string) => x,
      (x: string) => `z && ${x}`,
      (x: string) => `y; ${x}`,
      (x: string) => `echo "$(${x})"`,
      (x: string) => `if t; then ${x}; fi`,
      (x: string) => `(${x})`,
      (x: string) => `{ ${x}; }`,
      (x: string) => `for v in 1; do ${x}; done`,
      (x: string) => `${x} && w`,
    ];
    const next = random(3);
    const pipeline = () => {
      let p = units[next(units.length)];
      for (let k = next(6); k > 0; k--) p += ' | ' + units[next(units.length)];
      return p;
    };
    const { accepted, mismatches } = compareWithTreeSitter(20000, () => {
      let list = pipeline();
      for (let k = next(5); k > 0; k--) list += operators[next(operators.length)] + pipeline();
      return contexts[next(contexts.length)](list);
    });
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(1500);
  });

  test('random tests with quoted strings, expansions and substitutions as operands', () => {
    const inQuotes = [
      'a',
      ' ',
      '/',
      '-',
      '=',
      '%',
      '@',
      '*',
      ':',
      '$v',
      '${v}',
      '$(c)',
      '$(c -x "y z")',
      '$(c | d)',
      '$(c && d)',
      '$(c; d)',
      "'",
      '#',
      ';',
      '&',
      '|',
      '!',
      '(',
      ')',
      '{',
      '}',
      '[',
      ']',
      '<',
      '>',
      '$(c "$v")',
    ];
    const expansionOps = [':-', '-', ':+', '+', '=', ':=', '?', '#', '##', '%', '%%', '/', ':'];
    const expansionWord = ['a', '.', '/', '*', '~', '-', ':', ' ', '$v', '"', '}', '('];
    const plain = ['x', '/', '.', '-', '=', '%', '@', '+', '*', 'a=', '"q"', "'s'", '$v'];
    const next = random(5);
    const some = (parts: string[], max: number) => joined(next, parts, next(max));
    const operand = () => {
      switch (next(4)) {
        case 0:
          return '"' + some(inQuotes, 5) + '"';
        case 1:
          return '${v' + expansionOps[next(expansionOps.length)] + some(expansionWord, 4) + '}';
        case 2:
          return '$(c' + some([' a', ' -x', ' | d', ' && e', '; f', ' "$v"', ')', '('], 3) + ')';
        default:
          return plain[next(plain.length)] + some(plain, 2);
      }
    };
    const binary = ['=', '!=', '==', '-eq', '-lt', '-nt', '=~', '-a'];
    const unary = ['-f', '-z', '-n', '-e', '-d', '!'];
    const shapes = [
      () => `[ ${operand()} ]`,
      () => `[ ${unary[next(unary.length)]} ${operand()} ]`,
      () => `[ ! ${unary[next(unary.length)]} ${operand()} ]`,
      () => `[ ${operand()} ${binary[next(binary.length)]} ${operand()} ]`,
      () => `[ ! ${operand()} ${binary[next(binary.length)]} ${operand()} ]`,
      () => `if [ ${operand()} ${binary[next(binary.length)]} ${operand()} ]; then a; fi && b`,
      () => `a && [ ${unary[next(unary.length)]} ${operand()} ] || b ${operand()}`,
      () => `x="$([ ${operand()} ] && c)"`,
    ];
    const { accepted, mismatches } = compareWithTreeSitter(20000, () => shapes[next(shapes.length)]());
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(5000);
  });
  test('random ${NAME op word} expansions, bracket classes in the word, in every place', () => {
    const operators = [
      ':-',
      '-',
      ':+',
      '+',
      '=',
      ':=',
      '?',
      ':?',
      '#',
      '##',
      '%',
      '%%',
      '/',
      '//',
      '^',
      '^^',
      ',',
      ',,',
    ];
    const wordParts = [
      '"x y"',
      '"a"',
      '""',
      'a',
      '[',
      ']',
      '[a-z]',
      '*',
      '.',
      '-',
      ' ',
      '/',
      ':',
      '1',
      '?',
      '[!a]',
      '[[',
      ']]',
      '^',
      '~',
      '@',
      '%',
      ',',
      '=',
    ];
    const next = random(11);
    const expansion = () => {
      const word = joined(next, wordParts, next(5));
      return '${V' + operators[next(operators.length)] + word + '}';
    };
    const places = [
      (e: string) => `a ${e}`,
      (e: string) => `a "x/${e}/y-$V.tgz" && b`,
      (e: string) => `A=${e} b`,
      (e: string) => `a x${e}y`,
      (e: string) => `[ "${e}" = x ]`,
      (e: string) => `a $(b ${e})`,
      (e: string) => `case ${e} in x) a;; esac`,
      (e: string) => `export A=${e}`,
      (e: string) => `a > ${e}`,
    ];
    const { accepted, mismatches } = compareWithTreeSitter(20000, () =>
      places[next(places.length)](expansion()),
    );
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(8000);
  });
  test('random command names: quoted, expanded, `:`, and what is not a name', () => {
    const nameParts = [
      ':',
      '"x"',
      "'y'",
      '"$G"',
      '"${G}"',
      '"$G/bin/go"',
      '"a b"',
      'python',
      '$V',
      '${V}',
      '"',
      '::',
      'x',
      '-',
      '.',
      '/',
      '"=x"',
      "'a=b'",
      '"if"',
      "'fi'",
      '"#"',
      '=',
      '%%',
      '"\\\\"',
    ];
    const rests = ['', ' x', ' -v', ' "$A"', ' 2>&1', ' > f', ' | b', ' && b', ' || :', '; b', ' &'];
    const contexts = [
      (x: string) => x,
      (x: string) => `a || ${x}`,
      (x: string) => `A=1 ${x}`,
      (x: string) => `if a; then ${x}; fi`,
      (x: string) => `x=$(${x})`,
      (x: string) => `! ${x}`,
    ];
    const next = random(13);
    const { accepted, mismatches } = compareWithTreeSitter(20000, () => {
      let name = nameParts[next(nameParts.length)];
      if (next(2)) name += nameParts[next(nameParts.length)];
      return contexts[next(contexts.length)](name + rests[next(rests.length)] + rests[next(rests.length)]);
    });
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(4000);
  });
  test('random scripts from a richer token grammar (compound commands, redirections, long pipelines)', () => {
    const words = [
      'a',
      'rm',
      '-rf',
      '/x/*',
      'x?',
      '--f=1',
      'A=1',
      'A="x y"',
      'A=$B',
      'A=$(b c)',
      '"q q"',
      "'s s'",
      '"$A"',
      '$A',
      '${A}',
      'x$A',
      '"a\\"b"',
      'a\\ b',
      'a#b',
      '$(a b)',
      '"$(a)"',
      '$(a && b)',
      '$(a | b)',
      '$( a ; b )',
      '$(a # c\n)',
      '$(a\nb)',
      '$(a > f)',
      'x$(a)',
      '$(a 2>&1)',
      '$( $(a) )',
      '"x $(a "b") y"',
      '(a; b)',
      '{ a; b; }',
      '[ "$a" != b ]',
      '[ ! -f x ]',
      '"a!b"',
      '(a | b)',
      '$v-$v-x',
      '$v$v',
      '$v/$v',
      '${v}-$v-x',
      '$v-${v}-x',
      '"$v"-$v-x',
      '$(a)-$v-x',
      '$v-"$v"-x',
      '$v"-"$v-x',
      "$v'-'$v",
      '$v-$v',
      'x$v-$v',
      '$v-$(a)-$v',
      'export A=1',
      'export A',
      'export "A=1" -n B=$(x)',
      'unset A B',
      'local -r A=1',
      'if a; then b; fi',
      'if [ -f x ]; then b; else c; fi',
      'if a\nthen b\nelif c; then d\nfi',
      'for i in a $(b); do c; done',
      'for i; do c; done',
      'while a; do b; done',
      'until a; do b; done',
      'case "$a" in x|y) b;; *) c ;; esac',
      'case $a in (x) ;; esac',
      '[ -n "$a" ]',
      '[ "$a" = b ]',
      '[ -z $(a) ]',
      '${A:-x}',
      '${A##*-}',
      '"${A%/*}"',
      '${A/x/y}',
      'fi',
      'then',
      'do',
      'done',
      'esac',
      ';;',
      'in',
      '! a',
      '! a b',
      'A=',
      'A= b',
      'case x in "a") b;; \'c\'|d) e;; esac',
      'x > f',
      'if ! a; then b; fi',
      '(a; b)',
      '(a && b) || c',
      '( a | b )',
      '{ a; b; }',
      '{ a && b; } || c',
      '(a) > f',
      '{ a; }',
      '[ "$a" != b ]',
      '[ ! -f x ]',
      '[ a = b ]',
      '[ a == b ]',
      '"a!b"',
      '"!"',
      '${A:-$B}',
      '(cd /x && make)',
      '( a ; )',
      '{ a ; } ',
      '$( (a) )',
      'a - 2>&1',
      '-',
      'a - 2>/dev/null',
      'a | b | c',
      'a | b | c && d',
      'a | b | c || d && e',
      'a | b | c && d | e',
      'a|b|c|d&&e',
      '$(a | b | c && d)',
    ];
    const separators = [
      ' | ',
      ' | ',
      ' | ',
      ' ! ',
      ' && ! ',
      ' > /dev/null && ',
      ' 2>&1 | ',
      ' && ',
      ' || ',
      ' | ',
      '; ',
      ' & ',
      '\n',
      ' &&\n',
      ' # x\n',
      ' > f ',
      ' 2>&1 ',
      ' >>f ',
      ' 2>/dev/null ',
      ' &>f ',
      ' <f ',
      ' >&2 ',
    ];
    const next = random(17);
    const { accepted, mismatches } = compareWithTreeSitter(30000, () => tokenScript(next, words, separators));
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(300);
  });
  test('random double-quoted strings with backslashes, in every place a word goes', () => {
    const parts = [
      'a',
      ' ',
      '\\n',
      '\\t',
      '\\\\',
      '\\"',
      '\\$',
      '\\x',
      '\\ ',
      '\\#',
      '\\!',
      '$v',
      '${v}',
      '$(c)',
      '#',
      '!',
      "'",
      '\\',
      '\\-',
      '\\[',
      '\\.',
      '\\s*',
      '\\1',
      '\\(',
      '\\)',
      '%',
      '*',
      '\\{',
      '\\;',
      '\\&',
      '\\|',
    ];
    const next = random(19);
    const quoted = () => '"' + joined(next, parts, 1 + next(5)) + '"';
    const places = [
      (q: string) => `printf ${q} > f`,
      (q: string) => `echo -e ${q} >> f && b`,
      (q: string) => `A=${q} b`,
      (q: string) => `a x${q}y`,
      (q: string) => `[ ${q} = x ]`,
      (q: string) => `a $(b ${q})`,
      (q: string) => `case ${q} in x) a;; esac`,
      (q: string) => `export A=${q}`,
    ];
    const { accepted, mismatches } = compareWithTreeSitter(20000, () =>
      places[next(places.length)](quoted()),
    );
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(10000);
  });
  test('random function definitions and special parameters', () => {
    const names = ['f', 'ddist', 'f-g', 'f_1', 'if', 'do', '1f', 'f.g'];
    const heads = ['() ', '()', '( ) ', '()\n', ' () '];
    const bodies = [
      '{ a; }',
      '{ a; b "$1"; }',
      '{\na\n}',
      '{ local x="$1"; shift; }',
      '{ a | b; }',
      '{ a; } > f',
      '( a )',
    ];
    const parameters = [
      '$@',
      '$*',
      '$#',
      '$?',
      '$$',
      '$!',
      '$-',
      '$0',
      '$1',
      '$12',
      '"$@"',
      '"$1"',
      '${1:-}',
      '${1}',
      '${1#*/}',
      'x',
      '-',
      '/',
      '$v',
      '"q"',
      "'s'",
      '=',
      ' ',
      ' x ',
    ];
    const next = random(23);
    const word = () => joined(next, parameters, 1 + next(3));
    const shapes = [
      () =>
        names[next(names.length)] + heads[next(heads.length)] + bodies[next(bodies.length)] + '; f ' + word(),
      () => `a ${word()} && b`,
      () => `local x=${word()}`,
      () => `[ ${word()} -gt 0 ]`,
      () => `a "${word()}"`,
      () => `A=${word()} b`,
    ];
    const { accepted, mismatches } = compareWithTreeSitter(20000, () => shapes[next(shapes.length)]());
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(5000);
  });
  test('random words starting with `=`, in every place a word goes', () => {
    const parts = [
      '=',
      '==',
      '=x',
      '=~',
      '=$v',
      '="q"',
      "='s'",
      '=$(c)',
      'x',
      '-',
      '$v',
      '"q"',
      '=0.1',
      '>=',
      '!=',
      '=-',
    ];
    const next = random(29);
    const word = () => joined(next, parts, 1 + next(3));
    const places = [
      (w: string) => `a ${w}`,
      (w: string) => `test "$a" ${w} x && b`,
      (w: string) => `A=1 a ${w}`,
      (w: string) => `[ x ${w} y ]`,
      (w: string) => `x=$(test "$g" ${w} 'r' && echo y)`,
      (w: string) => `case ${w} in x) a;; esac`,
      (w: string) => `${w} a`,
      (w: string) => `a | b ${w}`,
    ];
    const { accepted, mismatches } = compareWithTreeSitter(20000, () => places[next(places.length)](word()));
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(5000);
  });

  test('random words with brackets and braces, in every place a word goes', () => {
    const parts = [
      '[',
      ']',
      '{',
      '}',
      '{}',
      '[x]',
      '{a,b}',
      '{1..3}',
      '{a..z}',
      '{-1..3}',
      '[0-9]',
      'x',
      '-',
      '.',
      '=',
      '>=1',
      '$v',
      '${v}',
      '"q"',
      "'s'",
      '\\;',
      '\\x',
      '$(c)',
      '*',
      '!',
      '#',
      '1',
    ];
    const next = random(31);
    const word = () => joined(next, parts, 1 + next(4));
    const places = [
      (w: string) => `a ${w}`,
      (w: string) => `a ${w} b && c ${w}`,
      (w: string) => `find . -exec rm ${w} + && b`,
      (w: string) => `{ a ${w}; }`,
      (w: string) => `{ a ${w} }; }`,
      (w: string) => `(a ${w})`,
      (w: string) => `x=$(a ${w})`,
      (w: string) => `A=${w} a`,
      (w: string) => `export A=${w}`,
      (w: string) => `${w} a`,
      (w: string) => `a > ${w}`,
      (w: string) => `[ ${w} = x ]`,
      (w: string) => `for i in ${w}; do a ${w}; done`,
      (w: string) => `case ${w} in x) a ${w};; esac`,
      (w: string) => `if a ${w}; then b; fi`,
      (w: string) => `a | b ${w} | c`,
      (w: string) => `a ${w} 2>&1`,
      (w: string) => `a "${w}" ${w}`,
    ];
    const { accepted, mismatches } = compareWithTreeSitter(20000, () => places[next(places.length)](word()));
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(5000);
  });

  test('random runs of bare assignments, empty values among them, in every context', () => {
    const assignments = [
      'A=',
      'A=1',
      'B=$v',
      'C="q"',
      "D='s'",
      'E=$(c d)',
      '_=',
      'F=x:y',
      'G=',
      'H+=1',
      'I=-',
    ];
    const after = [
      '',
      ' && b',
      ' ; b',
      ' | b',
      ' b',
      ' > f',
      ' &',
      ' # c',
      ' x:y',
      ' B',
      '\nb',
      ' || b',
      ' =x',
    ];
    const next = random(37);
    const places = [
      (a: string) => a,
      (a: string) => `x; ${a}`,
      (a: string) => `(${a})`,
      (a: string) => `x=$(${a})`,
      (a: string) => `{ ${a}; }`,
      (a: string) => `if x; then ${a}; fi`,
      (a: string) => `x && ${a} && y`,
      (a: string) => `export ${a}`,
      (a: string) => `! ${a}`,
      (a: string) => `${a}\n${a}`,
    ];
    const { accepted, mismatches } = compareWithTreeSitter(20000, () => {
      let run = '';
      for (let k = 1 + next(4); k > 0; k--)
        run += (run ? ' '.repeat(1 + next(2)) : '') + assignments[next(assignments.length)];
      return places[next(places.length)](run + after[next(after.length)]);
    });
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(5000);
  });
});
