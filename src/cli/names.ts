/**
 * Which files discovery takes for Dockerfiles, by name, and which of those it leaves alone because
 * their name says they are something else (a template, a script, a backup) or because they sit in
 * a vendored or test-data directory. Names are matched case-insensitively.
 */
import path from 'node:path';
import ignore from 'ignore';
import type picomatchType from 'picomatch';
import { createRequire } from 'node:module';

/** The names discovery takes (README "Discovery"): `Dockerfile`, `Dockerfile.*`, `Dockerfile-*`, … */
export const DOCKERFILE_NAMES = [
  'Dockerfile',
  'Dockerfile.*',
  'Dockerfile-*',
  'Dockerfile_*',
  '*.Dockerfile',
  'Containerfile',
  'Containerfile.*',
  'Containerfile-*',
  'Containerfile_*',
  '*.Containerfile',
] as const;

const DOCKERFILE_NAME = /^(?:dockerfile|containerfile)(?:[._-].*)?$|.\.(?:dockerfile|containerfile)$/i;

/** Is this file name one of DOCKERFILE_NAMES (case-insensitively)? `*.dockerignore` files never are. */
export function isDockerfileName(name: string): boolean {
  return DOCKERFILE_NAME.test(name) && !/\.dockerignore$/i.test(name);
}

/** Last extensions that mark a template: the file it renders is the Dockerfile. */
export const TEMPLATE_EXTENSIONS: readonly string[] = (
  'template tmpl tpl j2 jinja jinja2 erb tt in m4 twig mustache hbs handlebars ejs liquid gotmpl ' +
  'njk mako ftl'
).split(' ');

/**
 * Last extensions of files that are not Dockerfiles although their names start like one
 * (`dockerfile_test.go`, `Dockerfile-readme.md`): code, documents, data, patches, backups.
 * `.bash`, `.node`, `.python`… are absent on purpose: `Dockerfile.bash` is a Dockerfile for bash.
 */
export const OTHER_EXTENSIONS: readonly string[] = (
  'md markdown rst adoc txt html htm pdf json yaml yml toml xml ini cfg csv lock sum ' +
  'sh zsh ps1 psm1 bat cmd py pyc go rb js mjs cjs ts java kt cs rs c h cc cpp php pl lua ' +
  'svg png jpg jpeg gif ico zip gz tgz tar patch diff ' +
  'bak orig rej swp swo old tmp save backup'
).split(' ');
const TEMPLATE = new Set(TEMPLATE_EXTENSIONS);
const OTHER = new Set(OTHER_EXTENSIONS);

/** Why a file found by its name is left alone because of that name, or null. */
export function nameSkip(name: string): FileSkip | null {
  if (name.endsWith('~'))
    return { reason: 'not-a-dockerfile', message: 'a backup file (its name ends with ~)' };
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  const ext = name.slice(dot + 1).toLowerCase();
  if (TEMPLATE.has(ext)) {
    return {
      reason: 'template',
      message: `a template (.${ext}): fix what renders it, or name the file to fix it anyway`,
    };
  }
  if (OTHER.has(ext))
    return { reason: 'not-a-dockerfile', message: `not a Dockerfile (a .${ext} file)` };
  return null;
}

/** A file discovery found and leaves alone, and why (reported as skipped, never as an error). */
export interface FileSkip {
  reason: 'template' | 'not-a-dockerfile' | 'generated' | 'excluded';
  message: string;
}

/**
 * Directories left out by default, as the shared repositories hold them: vendored copies of other
 * projects, and test data (inputs of parser and builder tests that their tests compare byte for
 * byte). docs/BULK.md has the measurement.
 */
export const VENDORED_DIRS = [
  'vendor',
  'third_party',
  'third-party',
  'thirdparty',
  '3rdparty',
  '3rd_party',
  '3rd-party',
  'bower_components',
] as const;
export const TEST_DATA_DIRS = [
  'test',
  'tests',
  '__tests__',
  'e2e',
  'integration',
  'testdata',
  'test-data',
  'test_data',
  'fixtures',
  'test-fixtures',
  '__fixtures__',
  '__testfixtures__',
  '__snapshots__',
] as const;
const VENDORED = new Set<string>(VENDORED_DIRS);
const TEST_DATA = new Set<string>(TEST_DATA_DIRS);

/** The first default-excluded directory on a path (relative, `/`-separated, the file last), or null. */
export function defaultExclusion(relPath: string): FileSkip | null {
  const parts = relPath.split('/');
  for (let i = 0; i < parts.length - 1; i++) {
    const dir = parts[i].toLowerCase();
    const kind = VENDORED.has(dir) ? 'vendored code' : TEST_DATA.has(dir) ? 'test data' : null;
    if (kind) {
      return {
        reason: 'excluded',
        message: `in ${parts.slice(0, i + 1).join('/')}/ (${kind}, excluded by default; --no-default-excludes to include it)`,
      };
    }
  }
  return null;
}

/** .gitignore-style patterns, matched against paths relative to a base directory. */
export class ExcludePatterns {
  private readonly matcher = ignore();

  constructor(
    readonly patterns: readonly string[],
    /** Where the patterns come from, for the skip message (`--exclude`, a config file). */
    private readonly origin: string,
  ) {
    this.matcher.add(patterns as string[]);
  }

  /** The skip for a path relative to the patterns' base, or null (paths outside the base never match). */
  match(relPath: string): FileSkip | null {
    if (this.patterns.length === 0 || relPath === '' || relPath.startsWith('../') || path.isAbsolute(relPath))
      return null;
    return this.matcher.ignores(relPath)
      ? { reason: 'excluded', message: `excluded by ${this.origin}` }
      : null;
  }
}

// picomatch is loaded when a config has overrides or names, not on every start.
const require = createRequire(import.meta.url);
let picomatchFn: typeof picomatchType | null = null;
export const picomatch = (...args: Parameters<typeof picomatchType>) =>
  (picomatchFn ??= require('picomatch') as typeof picomatchType)(...args);

/** A test for extra Dockerfile names (basename globs, case-insensitive), e.g. from a config's `names`. */
export function nameMatcher(globs: readonly string[]): (name: string) => boolean {
  return globs.length === 0 ? () => false : picomatch(globs as string[], { nocase: true, dot: true });
}
