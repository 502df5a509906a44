/**
 * A pool of worker threads for large runs: files go out in batches, outcomes come back as plain
 * data and are handed to the caller in file order (so output is the same as a sequential run).
 * Each worker loads the parsers once; below a few hundred files the start-up costs more than it saves.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FixOptions } from '../api.js';
import type { Action, FileJob, FileOutcome } from './process-file.js';

export interface PoolTask {
  action: Action;
  fix: FixOptions;
  wantDiff: boolean;
  jobs: { index: number; job: FileJob }[];
}

/** One reply per batch: a message per file cost more than fixing the file. */
export type PoolReply = { outcomes: { index: number; outcome: FileOutcome }[] } | { fatal: string };

export const POOL_MIN_FILES = 400;
export const POOL_MIN_CORES = 4;

export function coreCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
const BATCH = 48;

/**
 * Workers by default only from 4 cores: on 2 cores two workers were no faster than one thread at
 * 1× the corpus and 7–23% faster at 10×, for 60–85% more memory (each worker loads its own parsers
 * and warms up its own JIT; ~210 MB at 1×, over the 200 MB budget), so there the user opts in with
 * --jobs.
 */
export function poolSize(files: number): number {
  const cores = coreCount();
  return files >= POOL_MIN_FILES && cores >= POOL_MIN_CORES
    ? Math.min(cores, 8, Math.ceil(files / BATCH))
    : 1;
}

/** Process every job with `size` workers; `emit` receives outcomes in job order. */
export async function runPool(
  jobs: FileJob[],
  size: number,
  base: Omit<PoolTask, 'jobs'>,
  emit: (job: FileJob, outcome: FileOutcome) => void,
): Promise<void> {
  const results = new Map<number, FileOutcome>();
  let nextToEmit = 0;
  let nextToSend = 0;
  const flush = () => {
    while (results.has(nextToEmit)) {
      const outcome = results.get(nextToEmit)!;
      results.delete(nextToEmit);
      emit(jobs[nextToEmit], outcome);
      nextToEmit++;
    }
  };
  const url = new URL('./pool-worker.js', import.meta.url);
  await new Promise<void>((resolve, reject) => {
    let live = 0;
    let failed = false;
    const workers: Worker[] = [];
    const send = (w: Worker) => {
      if (nextToSend >= jobs.length) {
        void w.terminate();
        return;
      }
      const slice = [];
      for (let k = 0; k < BATCH && nextToSend < jobs.length; k++, nextToSend++) {
        slice.push({ index: nextToSend, job: jobs[nextToSend] });
      }
      w.postMessage({ ...base, jobs: slice } satisfies PoolTask);
    };
    for (let i = 0; i < size; i++) {
      const w = new Worker(url);
      live++;
      workers.push(w);
      w.on('message', (m: PoolReply) => {
        if ('fatal' in m) {
          failed = true;
          for (const x of workers) void x.terminate();
          reject(new Error(m.fatal));
          return;
        }
        for (const { index, outcome } of m.outcomes) results.set(index, outcome);
        flush();
        send(w);
      });
      w.on('error', (err) => {
        failed = true;
        for (const x of workers) void x.terminate();
        reject(err);
      });
      w.on('exit', () => {
        live--;
        if (live === 0 && !failed) {
          flush();
          if (nextToEmit < jobs.length) reject(new Error('a worker stopped before finishing its files'));
          else resolve();
        }
      });
      send(w);
    }
  });
}
