/** A pool worker: fixes the batches of files it is sent, one outcome message per file. */
import { parentPort } from 'node:worker_threads';
import { readDockerfile } from './io.js';
import { prefetch } from './prefetch.js';
import { processFile } from './process-file.js';
import { initShellParser } from './shell.js';
import type { PoolReply, PoolTask } from './pool.js';

const ready = initShellParser();

parentPort!.on('message', (task: PoolTask) => {
  void (async () => {
    try {
      await ready;
      for await (const { item, result } of prefetch(task.jobs, 8, (j) => readDockerfile(j.job.path))) {
        const outcome = await processFile(item.job, result, task.action, task.fix, task.wantDiff);
        parentPort!.postMessage({ index: item.index, outcome } satisfies PoolReply);
      }
    } catch (err) {
      parentPort!.postMessage({ fatal: (err as Error).stack ?? String(err) } satisfies PoolReply);
    }
  })();
});
