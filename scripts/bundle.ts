/**
 * `npm run build` step 2: bundle the command line into dist/bundle (the library API stays in
 * dist/src as tsc wrote it). One ESM file set instead of ~60 modules: start-up of a one-file run
 * 184 → 141 ms median (docs/BENCHMARKS.md), since Node 20 has no module compile cache.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Chunk names change with their content: start from an empty directory.
fs.rmSync(path.join(root, 'dist', 'bundle'), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: ['dist/src/cli.js', 'dist/src/pool-worker.js'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // It finds its own .wasm next to itself.
  external: ['web-tree-sitter'],
  minifyWhitespace: true,
  minifySyntax: true,
  // Bundled CommonJS dependencies call require() for node's modules.
  banner: {
    js: "import { createRequire as __dockerfixRequire } from 'node:module'; const require = __dockerfixRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
