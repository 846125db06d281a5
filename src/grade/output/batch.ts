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
  const runningSince = new Map<number, number>();

  /**
   * Work left over the lanes: items not started at the mean duration, running ones at what the
   * mean leaves of them (a lab that started with the first one is nearly done when it ends).
   * Running items count in the mean with their time so far, as they take at least that long.
   */
  const estimateLeftMs = (): number => {
    const at = now();
    const elapsed = [...runningSince.values()].map((started) => at - started);
    const mean = Math.max(spentMs / state.done, (spentMs + elapsed.reduce((sum, ms) => sum + ms, 0)) / (state.done + elapsed.length));
    const notStarted = state.total - state.done - elapsed.length;
    const runningLeft = elapsed.map((ms) => Math.max(0, mean - ms));
    const work = notStarted * mean + runningLeft.reduce((sum, ms) => sum + ms, 0);
    const lanes = Math.min(jobs, notStarted + elapsed.length);
    return lanes === 0 ? 0 : Math.max(...runningLeft, notStarted > 0 ? mean : 0, work / lanes);
  };

  const runOne = async (index: number) => {
    const started = now();
    runningSince.set(index, started);
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
    runningSince.delete(index);
    state.running -= 1;
    state.done += 1;
    if (!result.ok) state.failed += 1;
    spentMs += result.ms;
    const etaMs = state.done === state.total ? 0 : estimateLeftMs();
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
