import { LabError } from '../errors.js';

/**
 * The timing-critical part of grading, the failover scenario, runs in at most `slots` labs at once;
 * a batch's other labs come up meanwhile at background CPU priority and wait here for their turn.
 * On 2 cores two labs at once misgraded (balancers starved into FAULT); a lab booting beside a
 * scenario at the lowest CPU weight takes only what the scenario leaves idle.
 */
export class ScenarioTurns {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /**
   * @param slots scenarios at once
   * @param background whether labs come up at background CPU priority (more labs at once than
   *   slots, where the host can weigh them: LabProvider.cpuPriorityAvailable)
   */
  constructor(
    readonly slots: number,
    readonly background: boolean,
  ) {
    if (!Number.isInteger(slots) || slots < 1) throw new Error(`ScenarioTurns: ${slots} is not a number of slots`);
  }

  /**
   * Runs `work` in a turn of its own once one is free. Waiting ends early, with GRADE_CANCELLED,
   * once `stillWanted` says no (the submission's deadline passed): the grader is not kept waiting for
   * a lab it has removed.
   */
  async take<T>(stillWanted: () => boolean, work: () => Promise<T>): Promise<T> {
    await this.acquire(stillWanted);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(stillWanted: () => boolean): Promise<void> {
    if (this.running < this.slots) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        clearInterval(check);
        resolve();
      };
      const check = setInterval(() => {
        if (stillWanted()) return;
        clearInterval(check);
        this.waiting.splice(this.waiting.indexOf(grant), 1);
        reject(new LabError('GRADE_CANCELLED', 'the grader stopped waiting for this lab'));
      }, 200);
      this.waiting.push(grant);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next(); // the turn passes on: running stays the same
    else this.running -= 1;
  }
}
