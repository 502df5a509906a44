#!/usr/bin/env node
// Thin wrapper: the CLI is built into dist/ by `npm run build` (run by `npm ci` through `prepare`).
import v8 from 'node:v8';

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

const { main } = await import('../dist/bundle/cli.js');
const code = await main(process.argv.slice(2));
// main() has finished all its work; once the output is flushed, exit without waiting for V8's
// background jobs (compilation, GC) to wind down: 20–50 ms at the end of a bulk run.
await Promise.all([
  new Promise((resolve) => process.stdout.write('', resolve)),
  new Promise((resolve) => process.stderr.write('', resolve)),
]);
process.exit(code);
