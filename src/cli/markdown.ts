/**
 * `--format markdown`: what dockerfix did to one repository, as a commit message or a pull request
 * description. The first line is a subject line (at most 72 characters); then what changed, file
 * by file; what needs a person (review fixes not applied, files left alone, errors); and, for each
 * transform used, what it does and why (its `--explain` text). One document per repository.
 */
import type { Transform, TransformMeta } from '../core/transform.js';
import type { FileOutcome, Action } from './process-file.js';
import { leftAloneCount, leftAloneDetail, type Totals } from './totals.js';

export interface RepositoryReport {
  /** The repository root (absolute) and as shown. */
  root: string;
  display: string;
  totals: Totals;
  /** Its files in order, with paths relative to the repository root. */
  files: { path: string; outcome: FileOutcome }[];
}

export interface MarkdownContext {
  transforms: readonly Transform[];
  version: string;
  action: Action;
}

const SUBJECT_MAX = 72;
/** Files left alone for one reason are listed one by one below this many, else as one line. */
const GROUP_FROM = 4;

export function markdownReport(r: RepositoryReport, c: MarkdownContext): string {
  const changed = r.files.filter((f) => f.outcome.status === 'changed');
  const used = new Set(
    changed.flatMap((f) => f.outcome.fixes.filter((x) => x.applied).map((x) => x.transform)),
  );
  const metas = c.transforms.map((t) => t.meta).filter((m) => used.has(m.id));
  const out: string[] = [subject(changed.length, r.totals.fixes, metas), ''];

  const verb = c.action === 'write' ? 'rewrote' : 'would rewrite';
  const checked = `${r.totals.files} Dockerfile${r.totals.files === 1 ? '' : 's'} found`;
  if (changed.length === 0) {
    out.push(`dockerfix ${c.version} changed nothing here (${checked}).`, '');
  } else {
    out.push(
      `dockerfix ${c.version} ${verb} ${count(changed.length, 'Dockerfile')} of this repository (${checked}) ` +
        `with ${count(r.totals.fixes, 'fix', 'fixes')}, each the smallest edit that removes a layer or ` +
        'cache antipattern; every other line is unchanged.',
      '',
      '## Changes',
      '',
    );
    for (const f of changed) {
      out.push(`### \`${f.path}\``, '');
      for (const x of f.outcome.fixes.filter((x) => x.applied)) {
        out.push(
          `- line ${x.line}, \`${x.transform}\`${x.safety === 'review' ? ' (review)' : ''}: ${text(x.message)}`,
        );
      }
      out.push('');
    }
  }

  const review: string[] = [];
  for (const f of r.files) {
    for (const x of f.outcome.fixes.filter((x) => !x.applied)) {
      review.push(
        `- \`${f.path}\` line ${x.line}, \`${x.transform}\` (not applied: a review fix): ${text(x.message)}`,
      );
    }
    for (const x of f.outcome.fixes.filter((x) => x.applied && x.safety === 'review')) {
      review.push(
        `- \`${f.path}\` line ${x.line}, \`${x.transform}\`: applied with --unsafe; check it: ${text(x.message)}`,
      );
    }
  }
  const alone = r.files.filter((f) => f.outcome.status === 'skipped');
  const errors = r.files.filter((f) => f.outcome.status === 'error');
  out.push('## Needs review', '');
  if (review.length + alone.length + errors.length === 0) {
    out.push('Nothing: every fix here is a `safe` one, and every Dockerfile found was read.', '');
  }
  if (review.length > 0) out.push(...review, '');
  if (errors.length > 0) {
    out.push(`Not handled (${count(errors.length, 'error')}):`, '');
    for (const f of errors) out.push(`- \`${f.path}\`: ${text(f.outcome.error!)}`);
    out.push('');
  }
  if (alone.length > 0) {
    out.push(`Left alone (${leftAloneCount(r.totals)}: ${leftAloneDetail(r.totals)}):`, '');
    // Files left alone for the same reason (a test-data directory, a generator's header) are one
    // line: a pull request over hundreds of test inputs stays readable.
    const byReason = new Map<string, string[]>();
    for (const f of alone) {
      const message = f.outcome.skip!.message;
      byReason.set(message, [...(byReason.get(message) ?? []), f.path]);
    }
    for (const [message, paths] of byReason) {
      if (paths.length <= GROUP_FROM - 1) for (const p of paths) out.push(`- \`${p}\`: ${text(message)}`);
      else {
        const shown = paths.slice(0, 2).map((p) => `\`${p}\``);
        out.push(`- ${paths.length} files (${shown.join(', ')}, …): ${text(message)}`);
      }
    }
    out.push('');
  }

  if (metas.length > 0) {
    out.push('## Why', '');
    for (const m of metas) out.push(...explainMarkdown(m));
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

/** The subject line: the transforms used and how many files, shortened to fit. */
function subject(files: number, fixes: number, metas: TransformMeta[]): string {
  if (files === 0) return 'dockerfix: no changes';
  const where = `in ${count(files, 'Dockerfile')}`;
  const full = `dockerfix: ${metas.map((m) => m.id).join(', ')} ${where}`;
  return full.length <= SUBJECT_MAX ? full : `dockerfix: ${count(fixes, 'fix', 'fixes')} ${where}`;
}

/** A transform's `--explain` text as Markdown: what, why, an example, where to read more. */
function explainMarkdown(m: TransformMeta): string[] {
  const out = [`### \`${m.id}\` — ${m.title}`, '', m.description, ''];
  if (m.why) out.push(`Why: ${m.why}`, '');
  if (m.example.before) {
    out.push('Before:', '', '```dockerfile', m.example.before.replace(/\n$/, ''), '```', '');
    out.push('After:', '', '```dockerfile', m.example.after.replace(/\n$/, ''), '```', '');
  }
  const links = (m.references ?? []).map((r) => `[${text(r.title)}](${r.url})`);
  if (m.readme) links.push(`dockerfix README › ${m.readme}`);
  if (links.length > 0) out.push(`Read more: ${links.join('; ')}.`, '');
  return out;
}

const count = (n: number, word: string, plural = word + 's') => `${n} ${n === 1 ? word : plural}`;

/** Plain text for Markdown: characters that would format are escaped outside `code` spans. */
export function text(s: string): string {
  return s
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\*_[\]<>|#]/g, (c) => '\\' + c)))
    .join('');
}
