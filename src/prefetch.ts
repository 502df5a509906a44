/** Run async work ahead of a sequential consumer, a bounded number of items at a time. */

/**
 * Yield `work(item)` results in input order while up to `window` later items are already in
 * flight: file reads overlap with the CPU-bound fixing of the current file, and memory stays
 * bounded by the window.
 */
export async function* prefetch<T, R>(
  items: readonly T[],
  window: number,
  work: (item: T) => Promise<R>,
): AsyncGenerator<{ item: T; result: PromiseSettledResult<R> }> {
  const pending: Promise<PromiseSettledResult<R>>[] = [];
  const start = (i: number) => {
    pending[i] = work(items[i]).then(
      (value) => ({ status: 'fulfilled', value }) as const,
      (reason: unknown) => ({ status: 'rejected', reason }) as const,
    );
  };
  for (let i = 0; i < Math.min(window, items.length); i++) start(i);
  for (let i = 0; i < items.length; i++) {
    const result = await pending[i];
    delete pending[i];
    if (i + window < items.length) start(i + window);
    yield { item: items[i], result };
  }
}

/** `Promise.all(items.map(work))` with at most `limit` running at once. Results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const runner = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
  return out;
}
