import { setTimeout as sleep } from 'node:timers/promises';
import { downLab } from '../../lab/down.js';
import { silentProgress } from '../../util/progress.js';

/**
 * The labs a batch has running, and what Ctrl-C or a SIGTERM (a CI job cancelled) does: remove them
 * before the grader exits. The labs' holders outlive the grader by design (lab:down finds them after
 * a crash), so without this an interrupted batch of hundreds left its labs running.
 */
export class BatchLabs {
  private readonly running = new Set<string>();
  private signalled = false;

  /** Whether Ctrl-C or SIGTERM came: the batch then grades and writes nothing more. */
  get interrupted(): boolean {
    return this.signalled;
  }

  /**
   * Never settles: once interrupted, a submission whose lab was removed under it must not be graded
   * (its lab failing would read as an error of the student's), and the handler exits (130) when done.
   */
  halt(): Promise<never> {
    return new Promise<never>(() => undefined);
  }

  /** Runs `grade` with `lab` counted as running until it settles. */
  async with<T>(lab: string, grade: () => Promise<T>): Promise<T> {
    this.running.add(lab);
    try {
      return await grade();
    } finally {
      this.running.delete(lab);
    }
  }

  /** Installs the handlers; `beforeExit` writes what the batch has graded so far. Returns their removal. */
  removeOnInterrupt(say: (line: string) => void, beforeExit: () => void): () => void {
    const onSignal = (signal: NodeJS.Signals) => {
      this.signalled = true;
      const labs = [...this.running];
      say(`\n${signal}: removing the ${labs.length} lab(s) this batch had running${labs.length ? ` (${labs.join(', ')})` : ''}`);
      void this.removeAll(labs)
        .then(() => beforeExit())
        .finally(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    return () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
  }

  /**
   * Twice: a lab that was being brought up may start its sandbox while the first pass runs (the
   * grader's own steps go on until it exits); the second pass finds that too.
   */
  private async removeAll(labs: string[]): Promise<void> {
    for (const pass of [1, 2]) {
      await Promise.allSettled([...new Set([...labs, ...this.running])].map((lab) => downLab(lab, silentProgress)));
      if (pass === 1) await sleep(500);
    }
  }
}
