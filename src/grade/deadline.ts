import { setTimeout as sleep } from 'node:timers/promises';

/** How often a timed-out lab is removed again while the work that made it is still unwinding. */
const SWEEP_MS = 2_000;
/** Work that outlives its deadline by this much is left to itself (its lab is already gone). */
const UNWIND_LIMIT_MS = 120_000;

export type Deadlined<T> = { done: true; value: T } | { done: false };

/**
 * Runs work with a wall-clock limit. On expiry the work cannot be interrupted mid-step, so its
 * resources are removed under it (`remove`, e.g. the lab's sandbox, whose death ends every process
 * in it) and removed again until the work has unwound: a lab it was still starting is caught too.
 */
export async function withDeadline<T>(timeoutMs: number, work: (stillWanted: () => boolean) => Promise<T>, remove: () => Promise<void>): Promise<Deadlined<T>> {
  let expired = false;
  let settled = false;
  const running = work(() => !expired).finally(() => (settled = true));
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), Math.max(0, timeoutMs))));
  try {
    const first = await Promise.race([running.then((value) => ({ value })), expiry]);
    if (first !== 'expired') return { done: true, value: first.value };
  } finally {
    clearTimeout(timer);
  }
  expired = true;
  running.catch(() => undefined); // its failure is the expected result of removing its lab
  const giveUpAt = Date.now() + UNWIND_LIMIT_MS;
  do {
    await remove().catch(() => undefined);
    if (settled) break;
    await Promise.race([running.catch(() => undefined), sleep(SWEEP_MS)]);
  } while (Date.now() < giveUpAt);
  await remove();
  return { done: false };
}
