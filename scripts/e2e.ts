/**
 * `npm run e2e [CASE...]`: the end-to-end proof on a real Docker engine (../shared/tools/docker-engine.sh).
 *
 * For every case in e2e/cases/<name>/ (a Dockerfile and its build context): build the original
 * and the `dockerfix --write --unsafe` result (review fixes are built too); both must build; the
 * installed package lists (dpkg, apt's automatically-installed marks, and the language's own) and
 * the file trees (apart from cache directories) must be identical; the rewritten image must be no
 * larger; an image built FROM the rewritten one with the usual apt install must grow no more than
 * one built FROM the original. For the cache-mount cases with a `cacheBump` in case.json:
 * build the rewritten file cold (empty build cache), add one dependency, rebuild, and compare what
 * was downloaded. Writes docs/RESULTS.md (generated; never edit it by hand).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const casesDir = path.join(repoRoot, 'e2e', 'cases');
const engineScript = path.join(repoRoot, '..', 'shared', 'tools', 'docker-engine.sh');
const cli = path.join(repoRoot, 'bin', 'dockerfix.js');

interface CaseSpec {
  description: string;
  /** Language package lists to compare besides dpkg. */
  lists?: ('pip' | 'npm' | 'go' | 'cargo')[];
  /**
   * A size fix (it changes what is installed, by design): the rewritten image must be smaller,
   * hold a subset of the original's packages with `keeps` among them, and `runs` must work in it.
   */
  sizeFix?: { keeps: string[]; runs: string };
  /** How to add one dependency for the warm rebuild. */
  cacheBump?: { file: string; find: string; replace: string } | { copy: Record<string, string> };
  /** Change a source file and rebuild: the install step must come from the layer cache. */
  sourceChange?: { file: string; append: string; installStep: string };
  /** Arguments for dockerfix besides --write (default: --unsafe). */
  args?: string[];
  /**
   * Files a developer's checkout holds but the repository does not (a host `node_modules`): laid
   * into the build context before dockerfix runs and before both builds.
   */
  hostFiles?: Record<string, string>;
}

interface CaseResult {
  name: string;
  description: string;
  transforms: string[];
  built: { original: boolean; fixed: boolean };
  sizes: { original: number; fixed: number } | null;
  packagesEqual: boolean | null;
  packagesDetail: string;
  treesEqual: boolean | null;
  treeDetail: string;
  cache: { cold: string; warm: string; ratio: number | null; note: string } | null;
  /** After a source change: was the install step cached, as written and as rewritten? */
  installCached: { original: boolean; fixed: boolean } | null;
  /** What an image built FROM it adds with `apt-get install jq`: bytes, original / rewritten. */
  derived: { original: number; fixed: number } | null;
  seconds: number;
  failures: string[];
}

/**
 * Paths that are caches: not compared. Only the caches themselves: apt's state
 * (/var/lib/apt/extended_states), its configuration, and poetry's virtualenvs are compared.
 */
const CACHE_PATHS = [
  /^\/var\/cache\/apt\//,
  /^\/var\/lib\/apt\/lists\//,
  /^\/root\/\.cache\/(pip|uv|go-build|pypoetry\/cache|pypoetry\/artifacts)\//,
  /^\/root\/\.npm\//,
  /^\/root\/go\/pkg\/mod\//,
  /^\/go\/pkg\/mod\//,
  // A cache mount leaves its mount point, and the parents it had to create, as empty directories
  // (BuildKit, moby/buildkit#2682): the cache directories themselves.
  /^\/root\/\.cache(\/(pip|uv|go-build|pypoetry(\/(cache|artifacts))?))?$/,
  /^\/root\/\.npm$/,
  /^\/root\/go(\/pkg(\/mod)?)?$/,
  /^\/root\/\.cargo\/(registry|git)\//,
  /^\/root\/\.cargo(\/(registry|git))?$/,
  /^\/tmp\//,
  /^\/var\/log\//,
  // Rewritten by ldconfig on every run of it, with other bytes.
  /^\/var\/cache\/ldconfig\//,
];

let docker = 'docker';
const dockerEnv: NodeJS.ProcessEnv = { ...process.env };

function startEngine(): void {
  const out = execFileSync('bash', [engineScript, 'start'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for (const m of out.matchAll(/([A-Z_]+)=(\S+)/g)) dockerEnv[m[1]] = m[2];
  docker = dockerEnv.DOCKER ?? 'docker';
}

function run(args: string[], cwd?: string): { ok: boolean; out: string } {
  const r = spawnSync(docker, args, { cwd, env: dockerEnv, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { ok: r.status === 0, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

/** Build, retrying once when apt could not download (a network hiccup is not a result). */
function build(dir: string, tag: string): { ok: boolean; log: string } {
  for (let attempt = 1; ; attempt++) {
    const r = run(['build', '--network', 'host', '--progress', 'plain', '-t', tag, '.'], dir);
    if (
      r.ok ||
      attempt === 2 ||
      !/Failed to fetch|Temporary failure resolving|Could not connect/.test(r.out)
    ) {
      return { ok: r.ok, log: r.out };
    }
  }
}

function inImage(tag: string, script: string): string {
  const r = run(['run', '--rm', '--network', 'host', '--entrypoint', 'sh', tag, '-c', script]);
  if (!r.ok) throw new Error(`running in ${tag} failed: ${r.out.slice(0, 400)}`);
  return r.out;
}

const LIST_SCRIPTS: Record<string, string> = {
  dpkg: "dpkg-query -W -f '${Package} ${Version}\\n' | sort",
  'apt-auto': 'apt-mark showauto | sort',
  pip: 'python3 -m pip list --format=freeze 2>/dev/null | sort',
  // Each installed package with its version: a stale copy from the host would show here.
  npm: 'cd /app && find node_modules -maxdepth 3 -name package.json | sort | while read -r f; do printf "%s %s\\n" "$f" "$(grep -m1 \'"version"\' "$f")"; done',
  go: 'go version -m /usr/local/bin/hello | grep -v "^\\s*build\\s" | sed "s#^/usr/local/bin/hello: ##"',
  cargo: '/usr/local/bin/hello',
};

function treeOf(tag: string): string[] {
  const out = inImage(tag, 'find / -xdev \\( -path /proc -o -path /sys -o -path /dev \\) -prune -o -print');
  return out
    .split('\n')
    .filter((p) => p.startsWith('/') && !CACHE_PATHS.some((re) => re.test(p)))
    .sort();
}

function imageSize(tag: string): number {
  return Number(run(['image', 'inspect', '-f', '{{.Size}}', tag]).out.trim());
}

/** Bytes apt reports as fetched over all its runs in a build log. */
function aptFetched(log: string): number {
  let total = 0;
  for (const m of log.matchAll(/Fetched ([\d,.]+) ([kMG]?B)/g)) {
    const n = Number(m[1].replace(/,/g, ''));
    total += n * ({ B: 1, kB: 1e3, MB: 1e6, GB: 1e9 } as Record<string, number>)[m[2]];
  }
  return total;
}

/** Tarballs npm fetched from the registry (not from its cache), from `--loglevel=http` lines. */
function npmFetched(log: string): number {
  return [...log.matchAll(/http fetch GET 200 \S+\.tgz .*\(cache miss\)/g)].length;
}

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

function formatBytes(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`;
}

function runCase(name: string): CaseResult {
  const t0 = performance.now();
  const dir = path.join(casesDir, name);
  const spec = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as CaseSpec;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `dockerfix-e2e-${name}-`));
  const result: CaseResult = {
    name,
    description: spec.description,
    transforms: [],
    built: { original: false, fixed: false },
    sizes: null,
    packagesEqual: null,
    packagesDetail: '',
    treesEqual: null,
    treeDetail: '',
    cache: null,
    installCached: null,
    derived: null,
    seconds: 0,
    failures: [],
  };
  const fail = (why: string) => result.failures.push(why);
  try {
    const orig = path.join(work, 'original');
    const fixed = path.join(work, 'fixed');
    copyDir(dir, orig);
    copyDir(dir, fixed);
    // Registries behind a TLS-intercepting proxy: hand the host's extra CA certificates to the build.
    const extraCa = process.env.NODE_EXTRA_CA_CERTS;
    const ca = extraCa && fs.existsSync(extraCa) ? fs.readFileSync(extraCa) : Buffer.alloc(0);
    for (const d of [orig, fixed]) {
      fs.writeFileSync(path.join(d, 'extra-ca.crt'), ca);
      for (const [rel, content] of Object.entries(spec.hostFiles ?? {})) {
        fs.mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
        fs.writeFileSync(path.join(d, rel), content);
      }
    }
    const fix = spawnSync(
      process.execPath,
      [cli, '--write', ...(spec.args ?? ['--unsafe']), '--format', 'json', path.join(fixed, 'Dockerfile')],
      {
        encoding: 'utf8',
      },
    );
    const report = JSON.parse(fix.stdout.trim().split('\n')[0]) as {
      status: string;
      edits: { transform: string; applied: boolean }[];
    };
    result.transforms = [...new Set(report.edits.filter((e) => e.applied).map((e) => e.transform))];
    if (report.status !== 'changed') fail('dockerfix changed nothing');

    const tagO = `dockerfix-e2e/${name}:original`;
    const tagF = `dockerfix-e2e/${name}:fixed`;
    const bo = build(orig, tagO);
    const bf = build(fixed, tagF);
    result.built = { original: bo.ok, fixed: bf.ok };
    if (!bo.ok) fail(`the original does not build:\n${bo.log.slice(-1500)}`);
    if (!bf.ok) fail(`the rewritten file does not build:\n${bf.log.slice(-1500)}`);
    if (!bo.ok || !bf.ok) return result;

    result.sizes = { original: imageSize(tagO), fixed: imageSize(tagF) };
    // apt's history log records each command line: the archive options add a few dozen bytes.
    if (result.sizes.fixed > result.sizes.original + 4096)
      fail(`the rewritten image is larger (${result.sizes.fixed - result.sizes.original} B)`);
    if (spec.sizeFix) {
      // What changes is what is installed: fewer packages, the wanted ones kept, and they work.
      const list = (tag: string) => new Set(inImage(tag, LIST_SCRIPTS.dpkg).trim().split('\n').map((l) => l.split(' ')[0]));
      const a = list(tagO);
      const b = list(tagF);
      const extra = [...b].filter((p) => !a.has(p));
      const dropped = [...a].filter((p) => !b.has(p));
      if (extra.length > 0) fail(`the rewritten image has packages the original has not: ${extra.join(' ')}`);
      for (const k of spec.sizeFix.keeps) if (!b.has(k)) fail(`the rewritten image lacks ${k}`);
      if (result.sizes.fixed >= result.sizes.original) fail('the size fix saved nothing');
      inImage(tagF, spec.sizeFix.runs);
      result.packagesEqual = extra.length === 0;
      result.packagesDetail = `dpkg ${a.size} → ${b.size}: not installed any more: ${dropped.join(' ')}`;
      result.treesEqual = null;
      result.treeDetail = 'n/a (a size fix)';
      return result;
    }

    const details: string[] = [];
    let equal = true;
    for (const list of ['dpkg', 'apt-auto', ...(spec.lists ?? [])]) {
      const a = inImage(tagO, LIST_SCRIPTS[list]);
      const b = inImage(tagF, LIST_SCRIPTS[list]);
      const n = a.trim().split('\n').filter(Boolean).length;
      details.push(`${list} ${n}${a === b ? '' : ' ≠'}`);
      if (a !== b) {
        equal = false;
        fail(`${list} package lists differ`);
      }
    }
    result.packagesEqual = equal;
    result.packagesDetail = details.join(', ');

    const ta = treeOf(tagO);
    const tb = treeOf(tagF);
    const onlyA = ta.filter((p) => !tb.includes(p));
    const onlyB = tb.filter((p) => !ta.includes(p));
    result.treesEqual = onlyA.length === 0 && onlyB.length === 0;
    result.treeDetail = result.treesEqual
      ? `${ta.length} paths`
      : `only original: ${onlyA.slice(0, 5).join(' ')}; only rewritten: ${onlyB.slice(0, 5).join(' ')}`;
    if (!result.treesEqual) fail(`file trees differ (${result.treeDetail})`);

    // Images built FROM it: the usual apt install must not keep more than FROM the original.
    const derivedGrowth = (tag: string): number => {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfix-e2e-derived-'));
      fs.writeFileSync(
        path.join(d, 'Dockerfile'),
        `FROM ${tag}\nRUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*\n`,
      );
      const b = build(d, `${tag}-derived`);
      fs.rmSync(d, { recursive: true, force: true });
      if (!b.ok) {
        fail(`an image built FROM ${tag} does not build:\n${b.log.slice(-800)}`);
        return NaN;
      }
      return imageSize(`${tag}-derived`) - imageSize(tag);
    };
    result.derived = { original: derivedGrowth(tagO), fixed: derivedGrowth(tagF) };
    // A few hundred bytes of apt's history log (the longer command lines) aside.
    if (result.derived.fixed > result.derived.original + 4096)
      fail(`an image built FROM the rewritten one grows more (${result.derived.fixed} B vs ${result.derived.original} B)`);

    if (spec.sourceChange) {
      const sc = spec.sourceChange;
      const cachedAfterChange = (dir: string, tag: string): boolean => {
        fs.appendFileSync(path.join(dir, sc.file), sc.append);
        const b = build(dir, tag);
        if (!b.ok) fail(`the rebuild after a source change failed in ${tag}`);
        const step = [...b.log.matchAll(/^#(\d+) \[[^\]]*\] RUN (.*)$/gm)].find((m) =>
          m[2].includes(sc.installStep),
        );
        return step !== undefined && new RegExp(`^#${step[1]} CACHED`, 'm').test(b.log);
      };
      result.installCached = {
        original: cachedAfterChange(orig, tagO),
        fixed: cachedAfterChange(fixed, tagF),
      };
      if (!result.installCached.fixed) fail(`\`${sc.installStep}\` was not cached after a source change`);
    }
    if (spec.cacheBump) {
      // Cold: an empty build cache. Warm: one more dependency, cache mounts kept.
      run(['builder', 'prune', '-af']);
      const cold = build(fixed, `${tagF}-cold`);
      const bump = spec.cacheBump;
      if ('copy' in bump) {
        for (const [from, to] of Object.entries(bump.copy))
          fs.copyFileSync(path.join(fixed, from), path.join(fixed, to));
      } else {
        const f = path.join(fixed, bump.file);
        const text = fs.readFileSync(f, 'utf8');
        if (!text.includes(bump.find))
          throw new Error(`cacheBump: '${bump.find}' not in the rewritten ${bump.file}`);
        fs.writeFileSync(f, text.replace(bump.find, bump.replace));
      }
      const warm = build(fixed, `${tagF}-warm`);
      if (!cold.ok || !warm.ok) fail('the cold or warm build failed');
      if (/npm ci/.test(fs.readFileSync(path.join(fixed, 'Dockerfile'), 'utf8'))) {
        const c = npmFetched(cold.log);
        const w = npmFetched(warm.log);
        result.cache = {
          cold: `${c} tarballs`,
          warm: `${w} tarballs`,
          ratio: c > 0 ? w / c : null,
          note: 'npm tarballs fetched from the registry (cache misses in `--loglevel=http`); the warm build adds one package',
        };
      } else {
        const c = aptFetched(cold.log);
        const w = aptFetched(warm.log);
        result.cache = {
          cold: formatBytes(c),
          warm: formatBytes(w),
          ratio: c > 0 ? w / c : null,
          note: 'bytes apt reports as fetched (lists and .debs); the warm build adds one package (jq)',
        };
      }
    }
  } catch (err) {
    fail((err as Error).message);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    result.seconds = (performance.now() - t0) / 1000;
  }
  return result;
}

function writeResults(results: CaseResult[], seconds: number): void {
  const engine = run(['version', '--format', '{{.Server.Version}}']).out.trim();
  const yes = (b: boolean | null) => (b === null ? '—' : b ? 'yes' : '**no**');
  const lines: string[] = [
    '# End-to-end results',
    '',
    'Generated by `npm run e2e` (do not edit by hand): each case is built as written and as rewritten by',
    '`dockerfix --write` (buildkit mode) on a real Docker engine, from `e2e/cases/`.',
    '',
    `Last run: ${new Date().toISOString().slice(0, 10)}, Docker engine ${engine}, Node ${process.version}, ${os.cpus().length} cores; ${seconds.toFixed(0)} s in all.`,
    '',
    '| case | transforms | builds (orig / fixed) | image size orig → fixed | same packages | same files (apart from caches) | warm / cold download | install cached after a code change (orig / fixed) | image built FROM it grows (orig / fixed) | result |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const size = r.sizes
      ? `${formatBytes(r.sizes.original)} → ${formatBytes(r.sizes.fixed)} (${(((r.sizes.fixed - r.sizes.original) / r.sizes.original) * 100).toFixed(1)}%)`
      : '—';
    const cache = r.cache
      ? `${r.cache.warm} / ${r.cache.cold}${r.cache.ratio === null ? '' : ` = ${(r.cache.ratio * 100).toFixed(1)}%`}`
      : 'n/a';
    const cached = r.installCached
      ? `${r.installCached.original ? 'yes' : 'no'} / ${r.installCached.fixed ? 'yes' : '**no**'}`
      : 'n/a';
    const derived = r.derived ? `${formatBytes(r.derived.original)} / ${formatBytes(r.derived.fixed)}` : '—';
    lines.push(
      `| \`${r.name}\` | ${r.transforms.join(', ') || '—'} | ${yes(r.built.original)} / ${yes(r.built.fixed)} | ${size} | ${yes(r.packagesEqual)} (${r.packagesDetail || '—'}) | ${yes(r.treesEqual)} (${r.treeDetail || '—'}) | ${cache} | ${cached} | ${derived} | ${r.failures.length === 0 ? 'pass' : '**FAIL**'} |`,
    );
  }
  lines.push('');
  for (const r of results) {
    lines.push(
      `- \`${r.name}\`: ${r.description}.${r.cache ? ` Warm/cold: ${r.cache.note}.` : ''} ${r.seconds.toFixed(0)} s.`,
    );
    for (const f of r.failures) lines.push(`  - failure: ${f.split('\n')[0]}`);
  }
  lines.push('');
  lines.push(
    'Cases without a warm/cold figure install nothing from a package index that can be reached here ' +
      '(pip and go use local packages: PyPI and the Go module proxy are not reachable from these machines).',
  );
  fs.writeFileSync(path.join(repoRoot, 'docs', 'RESULTS.md'), lines.join('\n') + '\n');
}

function main(): void {
  const t0 = performance.now();
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: 'inherit' });
  startEngine();
  const wanted = process.argv.slice(2);
  const names = fs
    .readdirSync(casesDir)
    .filter((n) => fs.existsSync(path.join(casesDir, n, 'case.json')))
    .filter((n) => wanted.length === 0 || wanted.includes(n))
    .sort();
  const results: CaseResult[] = [];
  for (const name of names) {
    process.stdout.write(`e2e: ${name} … `);
    const r = runCase(name);
    results.push(r);
    console.log(
      r.failures.length === 0 ? `pass (${r.seconds.toFixed(0)} s)` : `FAIL\n  ${r.failures.join('\n  ')}`,
    );
  }
  const seconds = (performance.now() - t0) / 1000;
  if (wanted.length === 0) writeResults(results, seconds);
  const failed = results.filter((r) => r.failures.length > 0);
  console.log(
    `e2e: ${results.length - failed.length}/${results.length} cases pass in ${seconds.toFixed(0)} s`,
  );
  process.exitCode = failed.length > 0 ? 1 : 0;
}

main();
