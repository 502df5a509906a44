/**
 * Configuration files: `.dockerfixrc.json`, `dockerfix.config.json` or the `dockerfix` key of
 * package.json, found upward from each Dockerfile's directory (lilconfig). Command-line flags win
 * over the file; `overrides` apply to the files their globs match (relative to the config file).
 *
 * {
 *   "mode": "portable",
 *   "unsafe": false,
 *   "transforms": { "go-cache": false },
 *   "overrides": [{ "files": ["legacy/**"], "mode": "portable", "transforms": { "apt-cache": false } }],
 *   "context": { "services/api/Dockerfile": "services" },
 *   "names": ["Dockerfile[0-9]*"],
 *   "exclude": ["legacy/", "*.gen.Dockerfile"],
 *   "defaultExcludes": true,
 *   "includeGenerated": false
 * }
 */
import path from 'node:path';
import { lilconfigSync, type LilconfigResult } from 'lilconfig';
import type { FixOptions } from '../api.js';
import { InputError } from '../core/text.js';
import type { Mode } from '../core/transform.js';
import { ExcludePatterns, picomatch } from './names.js';

export interface ConfigSettings {
  mode?: Mode;
  unsafe?: boolean;
  /** Transform id → on/off. */
  transforms?: Record<string, boolean>;
  /** Fix files whose header says they are generated. */
  includeGenerated?: boolean;
}

export interface DockerfixConfig extends ConfigSettings {
  overrides?: (ConfigSettings & { files: string[] })[];
  /** Dockerfile (relative to the config file) → its build context directory. */
  context?: Record<string, string>;
  /** More file names (globs, case-insensitive) that directories under this config are searched for. */
  names?: string[];
  /** Files and directories to leave alone (.gitignore-style patterns, relative to the config file). */
  exclude?: string[];
  /** Leave out vendored and test-data directories (default true). */
  defaultExcludes?: boolean;
}

/** How discovery's files are chosen for one file: exclusions, generated files. */
export interface FileSelection {
  includeGenerated: boolean;
  defaultExcludes: boolean;
  /** The config's `exclude` patterns (relative to the config file's directory), if any. */
  configExclude: { dir: string; patterns: ExcludePatterns } | null;
}

export interface LoadedConfig {
  file: string;
  config: DockerfixConfig;
}

const SEARCH_PLACES = ['.dockerfixrc.json', 'dockerfix.config.json', 'package.json'];

/** Settings given on the command line; each one, when present, wins over the config file. */
export interface CliSettings {
  mode?: Mode;
  unsafe?: boolean;
  only?: string[];
  skip?: string[];
  addSyntax?: boolean;
  /** `--context DIR`, absolute. */
  contextDir?: string;
  /** `--include-generated` / `--no-include-generated`. */
  includeGenerated?: boolean;
  /** `--no-default-excludes` (false). */
  defaultExcludes?: boolean;
}

export class ConfigResolver {
  private readonly explorer = lilconfigSync('dockerfix', { searchPlaces: SEARCH_PLACES });
  private readonly known: Set<string>;

  constructor(knownTransforms: readonly string[]) {
    this.known = new Set(knownTransforms);
  }

  private readonly excludes = new Map<string, ExcludePatterns>();

  /** The config that applies to a file (searched from its directory upward), or null. */
  find(file: string): LoadedConfig | null {
    return this.findFrom(path.dirname(file));
  }

  /** The config that applies to the files under a directory, or null. */
  findFrom(dir: string): LoadedConfig | null {
    let found: LilconfigResult;
    try {
      found = this.explorer.search(dir);
    } catch (err) {
      throw new InputError(`config: ${(err as Error).message.split('\n')[0]}`, 'config');
    }
    if (!found || found.isEmpty) return null;
    validate(found.config, found.filepath, this.known);
    return { file: found.filepath, config: found.config as DockerfixConfig };
  }

  /** FixOptions for a file: config base, then matching overrides, then the command line. */
  optionsFor(
    file: string,
    cli: CliSettings,
  ): { options: FixOptions; config: LoadedConfig | null; selection: FileSelection } {
    let contextDir: string | undefined = cli.contextDir;
    let contextOrigin = cli.contextDir !== undefined ? '--context' : undefined;
    const loaded = this.find(file);
    const settings: ConfigSettings = {};
    if (loaded) {
      const { config } = loaded;
      apply(settings, config);
      const rel = path.relative(path.dirname(loaded.file), file).split(path.sep).join('/');
      for (const o of config.overrides ?? []) if (picomatch(o.files, { dot: true })(rel)) apply(settings, o);
      const mapped = config.context?.[rel];
      if (contextDir === undefined && mapped !== undefined) {
        contextDir = path.resolve(path.dirname(loaded.file), mapped);
        contextOrigin = `the context mapping of ${loaded.file}`;
      }
    }
    const off = Object.entries(settings.transforms ?? {})
      .filter(([, on]) => !on)
      .map(([id]) => id);
    const options: FixOptions = {
      mode: cli.mode ?? settings.mode ?? 'buildkit',
      unsafe: cli.unsafe ?? settings.unsafe ?? false,
      only: cli.only,
      skip: [...new Set([...(cli.skip ?? []), ...(cli.only && cli.only.length > 0 ? [] : off)])],
      addSyntax: cli.addSyntax ?? false,
      contextDir,
      contextOrigin,
    };
    const selection: FileSelection = {
      includeGenerated: cli.includeGenerated ?? settings.includeGenerated ?? false,
      defaultExcludes: cli.defaultExcludes ?? loaded?.config.defaultExcludes ?? true,
      configExclude: loaded?.config.exclude?.length ? this.configExclude(loaded) : null,
    };
    return { options, config: loaded, selection };
  }

  private configExclude(loaded: LoadedConfig): { dir: string; patterns: ExcludePatterns } {
    let patterns = this.excludes.get(loaded.file);
    if (!patterns) {
      patterns = new ExcludePatterns(loaded.config.exclude!, `the config ${loaded.file}`);
      this.excludes.set(loaded.file, patterns);
    }
    return { dir: path.dirname(loaded.file), patterns };
  }
}

function apply(into: ConfigSettings, from: ConfigSettings): void {
  if (from.mode !== undefined) into.mode = from.mode;
  if (from.unsafe !== undefined) into.unsafe = from.unsafe;
  if (from.transforms) into.transforms = { ...into.transforms, ...from.transforms };
  if (from.includeGenerated !== undefined) into.includeGenerated = from.includeGenerated;
}

function validate(raw: unknown, file: string, known: Set<string>): void {
  const fail = (why: string): never => {
    throw new InputError(`config ${file}: ${why}`, 'config');
  };
  const settings = (v: unknown, where: string, extra: string[]) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${where} must be an object`);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (!['mode', 'unsafe', 'transforms', 'includeGenerated', ...extra].includes(k))
        fail(`unknown key '${k}' in ${where}`);
    }
    if (o.mode !== undefined && o.mode !== 'buildkit' && o.mode !== 'portable') {
      fail(`${where}.mode must be "buildkit" or "portable"`);
    }
    for (const key of ['unsafe', 'includeGenerated']) {
      if (o[key] !== undefined && typeof o[key] !== 'boolean') fail(`${where}.${key} must be true or false`);
    }
    if (o.transforms !== undefined) {
      if (typeof o.transforms !== 'object' || o.transforms === null)
        fail(`${where}.transforms must be an object`);
      for (const [id, on] of Object.entries(o.transforms as object)) {
        if (!known.has(id)) fail(`unknown transform '${id}' in ${where}.transforms`);
        if (typeof on !== 'boolean') fail(`${where}.transforms.${id} must be true or false`);
      }
    }
    return o;
  };
  const top = settings(raw, 'the config', ['overrides', 'context', 'names', 'exclude', 'defaultExcludes']);
  for (const key of ['names', 'exclude']) {
    const v = top[key];
    if (v !== undefined && !(Array.isArray(v) && v.every((p) => typeof p === 'string' && p !== '')))
      fail(`${key} must be a list of patterns`);
  }
  if (top.defaultExcludes !== undefined && typeof top.defaultExcludes !== 'boolean')
    fail('defaultExcludes must be true or false');
  if (top.overrides !== undefined) {
    if (!Array.isArray(top.overrides)) fail('overrides must be a list');
    (top.overrides as unknown[]).forEach((o, i) => {
      const s = settings(o, `overrides[${i}]`, ['files']);
      if (!Array.isArray(s.files) || !s.files.every((f) => typeof f === 'string')) {
        fail(`overrides[${i}].files must be a list of globs`);
      }
    });
  }
  if (top.context !== undefined) {
    if (typeof top.context !== 'object' || top.context === null) fail('context must be an object');
    for (const [k, v] of Object.entries(top.context as object)) {
      if (typeof v !== 'string') fail(`context["${k}"] must be a directory path`);
    }
  }
}
