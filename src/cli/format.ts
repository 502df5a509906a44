/**
 * Output formats. Every format writes machine output to stdout and keeps stderr for people: one
 * line per error (`dockerfix: path: reason`) and the summary line.
 *
 * - `diff` (default): unified diffs (`--dry-run`), file names (`--check`), nothing (`--write`);
 *   one stderr line per fix (`path:line: id: message`).
 * - `json`: one JSON object per file per line (JSON Lines), see `FileReport`.
 * - `sarif`: one SARIF 2.1.0 log for the run, for code-scanning uploads.
 * - `summary`: one line per changed file, a line per repository, then counts per transform.
 * - `markdown`: a description of each repository's changes for a commit message or pull request.
 */
import pc from 'picocolors';
import type { ReportedFix } from '../core/engine.js';
import type { Action, FileJob, FileOutcome } from './process-file.js';
import { countOutcome, newTotals, summaryLine, type Totals } from './totals.js';
import type { Transform } from '../core/transform.js';
import type { FileSkip } from './names.js';
import { toDisplay } from './discover.js';
import { markdownReport, type RepositoryReport } from './markdown.js';

export type Format = 'diff' | 'json' | 'sarif' | 'summary' | 'markdown';
export const FORMATS: readonly Format[] = ['diff', 'json', 'sarif', 'summary', 'markdown'];

/** The JSON format's object for one file (one per line on stdout). */
export interface FileReport {
  /** The path as given or found, relative to the working directory where possible. */
  path: string;
  /** The repository the file belongs to (its git top level, or the directory searched), as shown. */
  repository: string;
  status: 'changed' | 'unchanged' | 'skipped' | 'error';
  /** Why the file was left alone (status `skipped`): generated, excluded, template, not-a-dockerfile. */
  skip: FileSkip | null;
  /** Whether the change was written (`--write`). */
  written: boolean;
  edits: {
    transform: string;
    line: number;
    lines: [number, number];
    message: string;
    safety: 'safe' | 'review';
    applied: boolean;
  }[];
  skips: { transform: string; line: number; reason: string; message: string }[];
  /** Unified diff of the change (paths relative to the repository), or null. */
  diff: string | null;
  error: string | null;
  /** The build contexts the file was checked against (absolute directories) and where each came from. */
  contexts: { dir: string; origin: string }[];
}

export interface ReporterOptions {
  format: Format;
  action: Action;
  verbose: boolean;
  color: boolean;
  transforms: readonly Transform[];
  version: string;
  /** The working directory, against which repositories are shown. */
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export interface Reporter {
  file(job: FileJob, outcome: FileOutcome): void;
  /** A path that could not even be read as a file (discovery). */
  pathError(display: string, message: string): void;
  finish(totals: Totals): void;
}

/** The stderr line for one fix: `path:line: id: message` (with the review note when not applied). */
/**
 * The stderr line for one fix: `path:line: id: what` (with the review note when not applied). What
 * is the message's first clause (what changed, quoting the instruction); its further clauses (what
 * else was removed, why, what to review) come with `full` (--verbose), and always in JSON, SARIF
 * and Markdown.
 */
export function fixLine(
  display: string,
  f: ReportedFix,
  colors = pc.createColors(false),
  full = false,
): string {
  const note = f.applied ? '' : colors.yellow(' (review: not applied without --unsafe)');
  return `${display}:${f.line}: ${colors.bold(f.transform)}: ${full ? f.message : firstClause(f.message)}${note}`;
}

/** A message up to its first `; ` outside a `code` span. */
export function firstClause(message: string): string {
  let code = false;
  for (let i = 0; i < message.length; i++) {
    if (message[i] === '`') code = !code;
    else if (!code && message[i] === ';' && message[i + 1] === ' ') return message.slice(0, i);
  }
  return message;
}

export function createReporter(o: ReporterOptions): Reporter {
  const colors = pc.createColors(o.color);
  const errorLine = (display: string, message: string) =>
    o.stderr(`${colors.red('dockerfix')}: ${display}: ${message}\n`);
  /** stderr for people: the file's fixes, its proposals, and (--verbose) what was left alone. */
  const notes = (job: FileJob, outcome: FileOutcome) => {
    if (outcome.status === 'skipped') {
      if (o.verbose) o.stderr(`${job.display}: ${colors.dim('left alone')}: ${outcome.skip!.message}\n`);
      return;
    }
    for (const f of outcome.fixes) o.stderr(fixLine(job.display, f, colors, o.verbose) + '\n');
    for (const p of outcome.proposedFiles) {
      o.stderr(
        `${job.display}: a review fix proposes a new file, ${p}: shown and created only with --unsafe\n`,
      );
    }
    if (o.verbose) {
      for (const c of outcome.contexts) {
        o.stderr(`${job.display}: ${colors.dim('build context')}: ${c.dir} (${c.origin})\n`);
      }
      for (const s of outcome.skips) {
        o.stderr(`${job.display}:${s.line}: ${s.transform}: ${colors.dim('skipped')}: ${s.message}\n`);
      }
    }
  };
  const repository = (job: FileJob) => toDisplay(o.cwd, job.root);

  if (o.format === 'json') {
    const line = (r: FileReport) => o.stdout(JSON.stringify(r) + '\n');
    return {
      file(job, outcome) {
        if (outcome.error !== null) errorLine(job.display, outcome.error);
        line(fileReport(job.display, repository(job), outcome, o.action));
      },
      pathError(display, message) {
        errorLine(display, message);
        line({
          path: display,
          repository: '',
          status: 'error',
          skip: null,
          written: false,
          edits: [],
          skips: [],
          diff: null,
          error: message,
          contexts: [],
        });
      },
      finish: (totals) => o.stderr(summaryLine(totals) + '\n'),
    };
  }

  if (o.format === 'sarif') {
    const results: object[] = [];
    const notifications: object[] = [];
    return {
      file(job, outcome) {
        if (outcome.error !== null) {
          errorLine(job.display, outcome.error);
          notifications.push(sarifNotification(job.display, outcome.error));
          return;
        }
        for (const f of outcome.fixes) results.push(sarifResult(job.display, f, o.action));
      },
      pathError(display, message) {
        errorLine(display, message);
        notifications.push(sarifNotification(display, message));
      },
      finish(totals) {
        o.stdout(
          JSON.stringify(sarifLog(o.transforms, o.version, results, notifications, totals), null, 2) + '\n',
        );
        o.stderr(summaryLine(totals) + '\n');
      },
    };
  }

  if (o.format === 'summary' || o.format === 'markdown') {
    const repositories = new RepositoryTally(o.cwd);
    const perTransform = new Map<string, { applied: number; review: number; skipped: number }>();
    const bump = (id: string, key: 'applied' | 'review' | 'skipped') => {
      const c = perTransform.get(id) ?? { applied: 0, review: 0, skipped: 0 };
      c[key]++;
      perTransform.set(id, c);
    };
    const markdown = o.format === 'markdown';
    return {
      file(job, outcome) {
        repositories.add(job, outcome);
        if (outcome.error !== null) return errorLine(job.display, outcome.error);
        if (markdown) return notes(job, outcome);
        if (outcome.status === 'skipped') {
          if (o.verbose) o.stdout(`${job.display}: left alone: ${outcome.skip!.message}\n`);
          return;
        }
        for (const f of outcome.fixes) bump(f.transform, f.applied ? 'applied' : 'review');
        for (const s of outcome.skips) bump(s.transform, 'skipped');
        if (outcome.fixes.length === 0) return;
        const ids = [...new Set(outcome.fixes.map((f) => f.transform))].join(', ');
        const verb =
          outcome.status !== 'changed' ? 'review only' : o.action === 'write' ? 'written' : 'would change';
        o.stdout(
          `${job.display}: ${verb} (${outcome.fixes.length} edit${outcome.fixes.length === 1 ? '' : 's'}: ${ids})\n`,
        );
      },
      pathError: errorLine,
      finish(totals) {
        if (markdown) {
          o.stdout(
            repositories
              .reports()
              .map((r) =>
                markdownReport(r, { transforms: o.transforms, version: o.version, action: o.action }),
              )
              .join('\n---\n\n'),
          );
        } else {
          const reports = repositories.reports();
          if (reports.length > 0) {
            o.stdout(`\nBy repository:\n`);
            for (const r of reports) o.stdout(`${r.display}: ${repositoryLine(r.totals)}\n`);
          }
          if (perTransform.size > 0) {
            // As wide as the longest id (apt-no-install-recommends), 20 at least.
            const width = Math.max(20, ...o.transforms.map((t) => t.meta.id.length));
            o.stdout(`\n${'transform'.padEnd(width)} applied  review  skipped\n`);
            for (const t of o.transforms) {
              const c = perTransform.get(t.meta.id);
              if (!c) continue;
              o.stdout(
                `${t.meta.id.padEnd(width)} ${String(c.applied).padStart(7)} ${String(c.review).padStart(7)} ${String(c.skipped).padStart(8)}\n`,
              );
            }
          }
        }
        o.stderr(summaryLine(totals) + '\n');
      },
    };
  }

  // diff
  return {
    file(job, outcome) {
      if (outcome.error !== null) return errorLine(job.display, outcome.error);
      if (o.action === 'dry-run' && outcome.diff) o.stdout(o.color ? colorDiff(outcome.diff) : outcome.diff);
      else if (outcome.status === 'changed' && o.action === 'check') o.stdout(job.display + '\n');
      notes(job, outcome);
    },
    pathError: errorLine,
    finish: (totals) => o.stderr(summaryLine(totals) + '\n'),
  };
}

/** A repository's line in `--format summary`: its files, then its fixes. */
function repositoryLine(t: Totals): string {
  const review =
    t.reviewFixes > 0
      ? ` (and ${t.reviewFixes} review fix${t.reviewFixes === 1 ? '' : 'es'} not applied)`
      : '';
  return `${summaryLine(t)}; ${t.fixes} fix${t.fixes === 1 ? '' : 'es'}${review}`;
}

/** Outcomes grouped by repository, in the order repositories are first met (files come sorted). */
class RepositoryTally {
  private readonly byRoot = new Map<string, RepositoryReport>();

  constructor(private readonly cwd: string) {}

  add(job: FileJob, outcome: FileOutcome): void {
    let r = this.byRoot.get(job.root);
    if (!r) {
      r = { root: job.root, display: toDisplay(this.cwd, job.root), totals: newTotals(), files: [] };
      this.byRoot.set(job.root, r);
    }
    r.totals.files++;
    countOutcome(r.totals, outcome);
    const path = toDisplay(job.root, job.path);
    r.files.push({ path, outcome });
  }

  reports(): RepositoryReport[] {
    return [...this.byRoot.values()];
  }
}

export function fileReport(
  display: string,
  repository: string,
  outcome: FileOutcome,
  action: Action,
): FileReport {
  return {
    path: display,
    repository,
    status: outcome.status,
    skip: outcome.skip,
    written: action === 'write' && outcome.status === 'changed',
    edits: outcome.fixes.map((f) => ({
      transform: f.transform,
      line: f.line,
      lines: f.lines,
      message: f.message,
      safety: f.safety,
      applied: f.applied,
    })),
    skips: outcome.skips.map((s) => ({
      transform: s.transform,
      line: s.line,
      reason: s.reason,
      message: s.message,
    })),
    diff: outcome.diff,
    error: outcome.error,
    contexts: outcome.contexts,
  };
}

function colorDiff(diff: string): string {
  return diff
    .split('\n')
    .map((l) =>
      l.startsWith('+++') || l.startsWith('---')
        ? pc.bold(l)
        : l.startsWith('+')
          ? pc.green(l)
          : l.startsWith('-')
            ? pc.red(l)
            : l.startsWith('@@')
              ? pc.cyan(l)
              : l,
    )
    .join('\n');
}

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

function sarifResult(display: string, f: ReportedFix, action: Action): object {
  const applied = f.applied && action === 'write';
  return {
    ruleId: f.transform,
    level: f.safety === 'safe' ? 'warning' : 'note',
    message: {
      text: `${f.message}${f.applied ? '' : ' (review fix: applied only with --unsafe)'}${applied ? ' (fixed)' : ''}`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: display.split('\\').join('/') },
          region: { startLine: f.lines[0], endLine: Math.max(f.lines[0], f.lines[1]) },
        },
      },
    ],
    properties: { safety: f.safety, applied: f.applied },
  };
}

function sarifNotification(display: string, message: string): object {
  return {
    level: 'error',
    message: { text: `${display}: ${message}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: display.split('\\').join('/') } } }],
  };
}

function sarifLog(
  transforms: readonly Transform[],
  version: string,
  results: object[],
  notifications: object[],
  totals: Totals,
): object {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dockerfix',
            version,
            rules: transforms.map((t) => ({
              id: t.meta.id,
              name: t.meta.id,
              shortDescription: { text: t.meta.title },
              fullDescription: { text: t.meta.description },
              help: { text: `${t.meta.why}\n\nRun \`dockerfix --explain ${t.meta.id}\` for an example.` },
              defaultConfiguration: { level: t.meta.safety === 'safe' ? 'warning' : 'note' },
              properties: { safety: t.meta.safety, modes: t.meta.modes },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: totals.errors === 0,
            toolExecutionNotifications: notifications,
          },
        ],
        results,
      },
    ],
  };
}
