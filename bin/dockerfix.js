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

const { main } = await import('../dist/bundle/cli.js');
process.exitCode = await main(process.argv.slice(2));
