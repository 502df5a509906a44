/** `--list-transforms` and `--explain ID`. */
import { UsageError } from './args.js';
import type { Transform, TransformMeta } from '../core/transform.js';

export function listTransforms(all: readonly Transform[]): string {
  const rows = all.map((t) => [t.meta.id, t.meta.safety, t.meta.modes.join(','), t.meta.title]);
  const widths = [0, 1, 2].map((i) =>
    Math.max(...rows.map((r) => r[i].length), ['id', 'safety', 'modes'][i].length),
  );
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c))
      .join('  ')
      .trimEnd() + '\n';
  return fmt(['id', 'safety', 'modes', 'title']) + rows.map(fmt).join('');
}

export function explain(all: readonly Transform[], id: string): string {
  const t = all.find((x) => x.meta.id === id);
  if (!t) throw new UsageError(`unknown transform '${id}' (known: ${all.map((x) => x.meta.id).join(', ')})`);
  const m = t.meta;
  const indent = (s: string) => s.replace(/\n$/, '').replace(/^/gm, '    ');
  return (
    `${m.id} — ${m.title}\n\n` +
    `Safety: ${m.safety}${m.safety === 'review' ? ' (applied only with --unsafe)' : ''}. Modes: ${m.modes.join(', ')}.\n\n` +
    `What it does:\n${wrap(m.description)}\n\n` +
    (m.why ? `Why:\n${wrap(m.why)}\n\n` : '') +
    (m.example.before
      ? `Before:\n${indent(m.example.before)}\n\nAfter:\n${indent(m.example.after)}\n\n`
      : '') +
    (Object.keys(m.skips).length > 0
      ? `Left alone (the reason codes of --verbose, JSON and SARIF):\n${Object.entries(m.skips)
          .map(([code, what]) => `  ${code}: ${what}`)
          .join('\n')}\n\n`
      : '') +
    readMore(m)
  );
}

/** Docker's pages and this tool's README section, for a reader who wants more than the summary. */
function readMore(m: TransformMeta): string {
  const lines = (m.references ?? []).map((r) => `  ${r.title}\n    ${r.url}`);
  if (m.readme)
    lines.push(`  dockerfix README › ${m.readme}\n    README.md, in the repository and in the npm package`);
  return lines.length > 0 ? `Read more:\n${lines.join('\n')}\n` : '';
}

function wrap(text: string, width = 96): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.map((l) => '  ' + l).join('\n');
}
