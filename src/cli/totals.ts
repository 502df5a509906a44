/** Counts of a run (or of one repository in it), and the summary line that reports them. */
import type { FileOutcome } from './process-file.js';
import type { FileSkip } from './names.js';

export interface Totals {
  files: number;
  changed: number;
  unchanged: number;
  /** Files left alone (generated, excluded, templates, not Dockerfiles), by reason. */
  leftAlone: Partial<Record<FileSkip['reason'], number>>;
  /** Candidates the transforms left alone (with a reason). */
  skipped: number;
  errors: number;
  /** Fixes applied (or to be applied), and review fixes reported but not applied. */
  fixes: number;
  reviewFixes: number;
}

export const newTotals = (): Totals => ({
  files: 0,
  changed: 0,
  unchanged: 0,
  leftAlone: {},
  skipped: 0,
  errors: 0,
  fixes: 0,
  reviewFixes: 0,
});

export function countOutcome(t: Totals, outcome: FileOutcome): void {
  if (outcome.status === 'error') t.errors++;
  else if (outcome.status === 'skipped') {
    const reason = outcome.skip!.reason;
    t.leftAlone[reason] = (t.leftAlone[reason] ?? 0) + 1;
  } else {
    t.skipped += outcome.skips.length;
    for (const f of outcome.fixes) {
      if (f.applied) t.fixes++;
      else t.reviewFixes++;
    }
    if (outcome.status === 'changed') t.changed++;
    else t.unchanged++;
  }
}

const REASON_WORDS: Record<FileSkip['reason'], [string, string]> = {
  generated: ['generated', 'generated'],
  excluded: ['excluded', 'excluded'],
  template: ['template', 'templates'],
  'not-a-dockerfile': ['not a Dockerfile', 'not Dockerfiles'],
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `2 generated, 1 template`, in a fixed order. */
export function leftAloneDetail(t: Totals): string {
  return (Object.keys(REASON_WORDS) as FileSkip['reason'][])
    .filter((r) => t.leftAlone[r])
    .map((r) => `${t.leftAlone[r]} ${REASON_WORDS[r][t.leftAlone[r] === 1 ? 0 : 1]}`)
    .join(', ');
}

export const leftAloneCount = (t: Totals): number =>
  Object.values(t.leftAlone).reduce((a, b) => a + (b ?? 0), 0);

/** `12 files: 3 changed, 5 unchanged, 4 left alone (2 generated, 2 excluded), 7 skipped edits, 0 errors`. */
export function summaryLine(t: Totals): string {
  const alone = leftAloneCount(t);
  const aloneText = alone > 0 ? `, ${alone} left alone (${leftAloneDetail(t)})` : '';
  return `${plural(t.files, 'file')}: ${t.changed} changed, ${t.unchanged} unchanged${aloneText}, ${plural(t.skipped, 'skipped edit')}, ${plural(t.errors, 'error')}`;
}
