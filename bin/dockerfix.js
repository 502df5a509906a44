#!/usr/bin/env node
// Thin wrapper: the CLI is built into dist/ by `npm run build` (run by `npm ci` through `prepare`).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

// The shell parser is WebAssembly. V8's optimizing tier recompiles its huge lexer in the background
// and the process waits ~0.4 s for that at exit; the baseline tier alone is faster for this workload
// (measured: 20,000 parses 281 ms vs 380 ms, and no wait at exit).
v8.setFlagsFromString('--liftoff-only');
// Old generation grows 10% per major GC instead of V8's default (up to 100%+): peak memory of a
// 35,000-file run 253 → 175 MB at the same speed (docs/BENCHMARKS.md).
v8.setFlagsFromString('--heap-growing-percent=10');
// Optimize a function only after 4× V8's default amount of work in it: a run is short, and most
// early optimizations were soon thrown away or never paid back (corpus run: CPU 3.1 → 2.4 s,
// wall −9%; docs/BENCHMARKS.md).
v8.setFlagsFromString('--interrupt-budget=270336');

// A reader that stops early (`dockerfix --dry-run | head`) closes the pipe: stop quietly, as a
// command killed by SIGPIPE would (status 141), instead of printing a stack trace. Files already
// written stay whole (every write is atomic).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(141);
    throw err;
  });
}

// The command line is one CommonJS script compiled with the V8 code cache recorded at build time
// (scripts/bundle.ts), so the functions a run calls need not be compiled again: start-up of a
// one-file run 140 → 122 ms (medians of 15, interleaved). The cache is used only for the very
// bundle it was made from.
const bundle = fileURLToPath(new URL('../dist/bundle/cli.cjs', import.meta.url));
const cacheFile = fileURLToPath(new URL('../dist/bundle/cli.cache', import.meta.url));
const source = fs.readFileSync(bundle);
const stamp = Buffer.from(createHash('sha1').update(source).digest('hex') + '\n');
let cachedData;
try {
  const cache = fs.readFileSync(cacheFile);
  if (cache.subarray(0, stamp.length).equals(stamp)) cachedData = cache.subarray(stamp.length);
} catch {
  // No cache: compile as usual.
}
const script = new vm.Script(
  `(function (exports, require, module, __filename, __dirname, __dockerfixImport) {${source}\n})`,
  { filename: bundle, cachedData },
);
// DOCKERFIX_DEBUG_CODE_CACHE=1 tells whether this run used the cache (tests check that it does).
if (process.env.DOCKERFIX_DEBUG_CODE_CACHE) {
  const state = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
  process.stderr.write(`dockerfix: code cache ${state}\n`);
}
const cli = { exports: {} };
script.runInThisContext()(
  cli.exports,
  createRequire(bundle),
  cli,
  bundle,
  path.dirname(bundle),
  (specifier) => import(specifier),
);
const code = await cli.exports.main(process.argv.slice(2));
// The build records the cache after a real run, so that it holds the functions a run calls.
const cacheOut = process.env.DOCKERFIX_WRITE_CODE_CACHE;
if (cacheOut) {
  // Whole or not at all: V8 in release builds does not checksum a cache it is given.
  fs.writeFileSync(`${cacheOut}.tmp`, Buffer.concat([stamp, script.createCachedData()]));
  fs.renameSync(`${cacheOut}.tmp`, cacheOut);
}
// main() has finished all its work; once the output is flushed, exit without waiting for V8's
// background jobs (compilation, GC) to wind down: 20–50 ms at the end of a bulk run.
await Promise.all([
  new Promise((resolve) => process.stdout.write('', resolve)),
  new Promise((resolve) => process.stderr.write('', resolve)),
]);
process.exit(code);
