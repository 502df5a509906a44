/** A pool worker: fixes the batches of files it is sent, one reply per batch. */
import { parentPort } from 'node:worker_threads';
import { processFile } from './process-file.js';
import { initShellParser } from '../shell/index.js';
import type { PoolReply, PoolTask } from './pool.js';
import type { RunCache } from '../disk/build-context.js';
import { isRunWide } from './contexts.js';

const ready = initShellParser();
const runCache: RunCache = new Map();

parentPort!.on('message', (task: PoolTask) => {
  void (async () => {
    try {
      await ready;
      const outcomes = [];
      // Shared by the batch's files (the files of a directory are usually in one batch); what the
      // repository's build files say about contexts is kept for the whole run.
      for (const key of runCache.keys()) if (!isRunWide(key)) runCache.delete(key);
      for (const { index, job } of task.jobs) {
        outcomes.push({
          index,
          outcome: await processFile(job, task.action, task.fix, task.wantDiff, runCache),
        });
      }
      parentPort!.postMessage({ outcomes } satisfies PoolReply);
    } catch (err) {
      parentPort!.postMessage({ fatal: (err as Error).stack ?? String(err) } satisfies PoolReply);
    }
  })();
});
