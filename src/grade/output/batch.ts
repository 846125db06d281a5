import { LabError } from '../../errors.js';

export type BatchResult<R> = { ok: true; value: R; ms: number } | { ok: false; error: unknown; ms: number };

export interface BatchState {
  done: number;
  total: number;
  failed: number;
  running: number;
  /** Estimated time left, once an item has finished (undefined before). */
  etaMs?: number;
}

/**
 * Runs worker on every item, at most `jobs` at a time, and returns the results in the items'
 * order. A worker that throws (or rejects) gives that item a failed result; the others go on.
 * onProgress gets the counts and an ETA after each item.
 */
export async function runBatch<T, R>(
  items: readonly T[],
  jobs: number,
  worker: (item: T, index: number) => Promise<R>,
  onProgress: (state: BatchState) => void = () => undefined,
  now: () => number = Date.now,
): Promise<BatchResult<R>[]> {
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new LabError('USAGE', `--jobs ${jobs} is not a number of parallel labs`, { hint: 'use a whole number of 1 or more, or leave it out for the default from cores and memory' });
  }
  const results: BatchResult<R>[] = new Array(items.length);
  const state = { done: 0, total: items.length, failed: 0, running: 0 };
  let spentMs = 0;
  let next = 0;

  const runOne = async (index: number) => {
    const started = now();
    state.running += 1;
    let result: BatchResult<R>;
    try {
      // Promise.resolve().then: a worker that throws synchronously fails only its own item.
      const value = await Promise.resolve().then(() => worker(items[index]!, index));
      result = { ok: true, value, ms: now() - started };
    } catch (error) {
      result = { ok: false, error, ms: now() - started };
    }
    results[index] = result;
    state.running -= 1;
    state.done += 1;
    if (!result.ok) state.failed += 1;
    spentMs += result.ms;
    const remaining = state.total - state.done;
    // Mean duration so far, spread over the labs that can run at once for what is left.
    const etaMs = remaining === 0 ? 0 : (spentMs / state.done) * Math.ceil(remaining / Math.min(jobs, remaining));
    try {
      onProgress({ ...state, etaMs });
    } catch {
      // Progress is a display: its failure must not cost a submission its grade.
    }
  };

  const lane = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      await runOne(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, lane));
  return results;
}
