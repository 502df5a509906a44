/**
 * merge-apt-runs: `RUN apt-get update` followed by `RUN apt-get install …` bakes the package lists
 * into a layer of their own, and the install then depends on how old that cached layer is (seed
 * 004's cache rules). Consecutive RUNs of a stage that only run apt become one RUN, joined by `&&`.
 */
import type { DockerfileModel, Instruction } from '../src/core/model.js';
import { soleCommand, type ShellScript } from '../src/shell/index.js';
import { skip, type Skip, type Transform } from '../src/core/transform.js';
import { checkAppendable, contentEnd, continuationIndent, lineBreakOf, quote } from '../src/rewrite/edit.js';
import { aptSubcommand, isAptGet } from '../src/tools/apt.js';
import { cachesCovered } from '../src/tools/caches.js';
import { invocation } from '../src/tools/command.js';
import { DOCKER_DOCS } from '../src/core/references.js';

const MERGE_SKIPS = {
  'merge-flags': 'the RUNs have different flags',
  'comment-between': 'a comment stands between the RUNs',
  'not-appendable': 'the first RUN cannot take more commands (it ends with `;`, `&`, a comment, …)',
  'merge-operators': 'a RUN joins commands with something other than `&&`, whose meaning would change',
} as const;
type MergeSkipCode = keyof typeof MERGE_SKIPS;

/** Every step is an apt-get/apt command, or a cleanup of apt's lists or cache. */
function aptOnly(script: ShellScript): boolean {
  if (script.steps.length === 0) return false;
  return script.steps.every((step) => {
    const cmd = soleCommand(step);
    if (!cmd || cmd.hasRedirect) return false;
    if (cmd.assignments.some((a) => a !== 'DEBIAN_FRONTEND')) return false;
    const inv = invocation(cmd);
    if (!inv) return false;
    if (isAptGet(inv)) return true;
    if (inv.name !== 'rm') return false;
    const paths = inv.args.filter((a) => a === null || !a.startsWith('-'));
    return (
      paths.length > 0 &&
      paths.every(
        (p) =>
          p !== null &&
          cachesCovered(p).every((k) => k === 'apt-lists' || k === 'apt-cache') &&
          cachesCovered(p).length > 0,
      )
    );
  });
}

/** The script runs `apt-get update`. */
function fetchesLists(script: ShellScript): boolean {
  return script.allCommands.some(({ command }) => {
    const inv = invocation(command);
    return inv !== null && aptSubcommand(inv) === 'update';
  });
}

function aptScript(instr: Instruction): ShellScript | null {
  if (instr.keyword !== 'RUN' || instr.run?.form !== 'shell' || !instr.run.posixShell) return null;
  if (!/\bapt(-get)?\b/.test(instr.text)) return null;
  const script = instr.script();
  return script && !script.hasError && aptOnly(script) ? script : null;
}

function flagsText(instr: Instruction): string {
  return instr.flags.map((f) => instr.text.slice(f.start - instr.start, f.end - instr.start)).join(' ');
}

function planMerge(
  model: DockerfileModel,
  a: Instruction,
  b: Instruction,
  sa: ShellScript,
  sb: ShellScript,
): Skip<MergeSkipCode> | null {
  if (flagsText(a) !== flagsText(b)) return skip('merge-flags', `${quote(a)} and ${quote(b)} have different flags`);
  for (let l = a.endLine + 1; l < b.startLine; l++) {
    if (model.lineKinds[l] !== 'blank')
      return skip('comment-between', `a comment stands between ${quote(a)} and ${quote(b)}`);
  }
  const appendable = checkAppendable(model, a, sa, 'first');
  if (appendable) return appendable;
  if (sa.steps.some((s) => s.before === '&')) {
    return skip('merge-operators', `${quote(a)} runs a command in the background`);
  }
  if (sb.trailing !== null || sb.hasComment || sb.steps.some((s) => s.before !== null && s.before !== '&&')) {
    return skip(
      'merge-operators',
      `${quote(b)} joins its commands with something other than \`&&\`; after \`&&\` its meaning would change`,
    );
  }
  return null;
}

export const mergeAptRuns: Transform = {
  meta: {
    id: 'merge-apt-runs',
    title: 'Merge consecutive apt RUNs (update, then install) into one',
    description:
      'Consecutive RUNs of one stage that only run apt-get/apt (`apt-get update`, then ' +
      '`apt-get install …`) become one RUN joined by `&&`. RUNs with different flags, a comment ' +
      'between them, or connectors whose meaning would change after `&&` are left alone.',
    why:
      'A separate `RUN apt-get update` layer is cached on its own: a later change to the install list ' +
      'reuses stale package lists (installs fail or get old versions), and the lists stay in a layer ' +
      'where no later cleanup can remove them.',
    seeds: ['004_6a644e14f3cd586c.txt', '000_e7050b95a6c7ffd0.txt'],
    references: [DOCKER_DOCS.aptGet],
    readme: 'Transforms › Cache transforms',
    safety: 'safe',
    modes: ['buildkit', 'portable'],
    example: {
      before: 'RUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n',
      after: 'RUN apt-get update && apt-get install -y --no-install-recommends curl\n',
    },
    skips: MERGE_SKIPS,
    cacheable: true,
  },
  run(model, _context, report) {
    for (const stage of model.stages) {
      const list = stage.instructions;
      for (let k = 1; k + 1 < list.length + 1 && k < list.length; k++) {
        const a = list[k - 1];
        const b = list[k];
        const sa = aptScript(a);
        const sb = sa ? aptScript(b) : null;
        if (!sa || !sb) continue;
        const problem = planMerge(model, a, b, sa, sb);
        if (problem) {
          report.skip(problem.code, problem.message, b.start);
          continue;
        }
        const start = contentEnd(model, a);
        const joiner =
          a.startLine === a.endLine
            ? ' && '
            : ` ${model.escape}${lineBreakOf(model, a)}${continuationIndent(model, a)}&& `;
        report.fix({
          message: fetchesLists(sa) || fetchesLists(sb)
            ? `Merged ${quote(b)} into ${quote(a)}: the package lists are fetched and used in one layer`
            : `Merged ${quote(b)} into ${quote(a)}: one apt layer instead of two`,
          safety: 'safe',
          edits: [{ start, end: b.argsStart, text: joiner }],
          at: b.start,
        });
      }
    }
  },
};
