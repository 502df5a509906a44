/**
 * `npm run build` step 2: bundle the command line into dist/bundle (the library API stays in
 * dist/src as tsc wrote it), then record a V8 code cache for it.
 *
 * - `cli.cjs`: the whole command line as one CommonJS script. bin/dockerfix.js compiles it with
 *   the code cache, so the functions a run needs come already compiled to bytecode (Node 20 has no
 *   module compile cache, and ES modules cannot take a code cache).
 * - `cli.cache`: that cache, taken after a `--dry-run` of examples/ so that it holds the functions
 *   a run calls, not only the top level. It is tied to this exact bundle (its SHA-1 heads the file)
 *   and to this Node build (V8 rejects a cache from another version or other flags); without a
 *   usable cache the bundle is compiled as usual.
 * - `pool-worker.js`: the `--jobs` worker, an ES module of its own.
 *
 * One bundle instead of ~60 modules: start-up of a one-file run 184 → 141 ms median; the code
 * cache: 140 → 122 ms (medians of 15 interleaved runs).
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outdir = path.join(root, 'dist', 'bundle');
const require = createRequire(import.meta.url);

// Bundle names change with their content: start from an empty directory.
fs.rmSync(outdir, { recursive: true, force: true });

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // It finds its own .wasm next to itself.
  external: ['web-tree-sitter'],
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: ['dist/src/cli/pool-worker.js'],
  outdir,
  format: 'esm',
  // Bundled CommonJS dependencies call require() for node's modules.
  banner: {
    js: "import { createRequire as __dockerfixRequire } from 'node:module'; const require = __dockerfixRequire(import.meta.url);",
  },
});

/** A script with a code cache cannot run import(): `--transform` modules are imported by the loader. */
const loaderImport: Plugin = {
  name: 'loader-import',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/]cli[\\/]dynamic-import\.js$/ }, () => ({
      contents: 'export function importModule(specifier) { return __dockerfixImport(specifier); }',
      loader: 'js',
    }));
  },
};

await build({
  ...common,
  entryPoints: ['dist/src/cli/main.js'],
  outfile: path.join(outdir, 'cli.cjs'),
  format: 'cjs',
  // The remaining import() calls load bundled or CommonJS modules: plain require() does.
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__dockerfixUrl' },
  banner: { js: "const __dockerfixUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [loaderImport],
});
if (/\bimport\(/.test(fs.readFileSync(path.join(outdir, 'cli.cjs'), 'utf8'))) {
  throw new Error('dist/bundle/cli.cjs still calls import(), which fails under its code cache');
}

// The shell grammar ships as its WebAssembly file (and its license) inside the package, so that the
// runtime does not depend on tree-sitter-bash, whose install builds a native addon nobody uses here.
const grammarDir = path.join(root, 'dist', 'grammar');
fs.rmSync(grammarDir, { recursive: true, force: true });
fs.mkdirSync(grammarDir, { recursive: true });
const grammarPackage = path.dirname(require.resolve('tree-sitter-bash/package.json'));
fs.copyFileSync(path.join(grammarPackage, 'tree-sitter-bash.wasm'), path.join(grammarDir, 'tree-sitter-bash.wasm'));
fs.copyFileSync(path.join(grammarPackage, 'LICENSE'), path.join(grammarDir, 'LICENSE.tree-sitter-bash'));

// The cache is taken by the real command (same V8 flags as every later run) on the examples.
const examples = path.join(root, 'examples');
if (fs.existsSync(examples)) {
  const cacheFile = path.join(outdir, 'cli.cache');
  const run = spawnSync(process.execPath, [path.join(root, 'bin', 'dockerfix.js'), '--dry-run', examples], {
    env: { ...process.env, DOCKERFIX_WRITE_CODE_CACHE: cacheFile },
    encoding: 'utf8',
  });
  if (run.status !== 0 || !fs.existsSync(cacheFile)) {
    // Not fatal: the command runs the same without it, only its start-up is slower.
    console.warn(`bundle: no code cache recorded (dockerfix exited ${run.status}): ${run.stderr.trim()}`);
  }
}
