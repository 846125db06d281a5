import { LabError } from '../errors.js';

/**
 * A lab's place among those coming up or waiting for a scenario turn (ScenarioTurns.admit): it
 * takes its turn through it, and the place is given back then, or with release() if it never does.
 */
export interface Admission {
  /** Whether the lab comes up at background CPU priority (it may wait beside a running scenario). */
  readonly background: boolean;
  /**
   * Runs `work` in a scenario turn once one is free, giving the place back then. Waiting ends early,
   * with GRADE_CANCELLED, once `stillWanted` says no (the submission's deadline passed): the grader
   * is not kept waiting for a lab it has removed.
   */
  takeTurn<T>(stillWanted: () => boolean, work: () => Promise<T>): Promise<T>;
  /** Gives the place back (idempotent). */
  release(): void;
}

/**
 * The timing-critical part of grading, the failover scenario, runs in at most `slots` labs at once;
 * at most `waiting` more labs come up meanwhile (at background CPU priority) and wait for their turn.
 * On 2 cores two labs at once misgraded (balancers starved into FAULT); a lab booting beside a
 * scenario at background CPU priority takes only what the scenario leaves idle. A batch with more
 * jobs than that holds the rest back before their labs start, so no submission's time limit runs
 * while it waits behind several others.
 */
export class ScenarioTurns {
  private readonly scenarios: Gate;
  private readonly arrivals: Gate;

  /**
   * @param slots scenarios at once
   * @param background whether labs come up at background CPU priority (more labs at once than
   *   slots, where the host can weigh them: LabProvider.cpuPriorityAvailable)
   * @param waiting labs that may come up or wait for a turn at once (default: one per slot)
   */
  constructor(
    readonly slots: number,
    readonly background: boolean,
    readonly waiting: number = slots,
  ) {
    if (!Number.isInteger(slots) || slots < 1) throw new Error(`ScenarioTurns: ${slots} is not a number of slots`);
    if (!Number.isInteger(waiting) || waiting < 1) throw new Error(`ScenarioTurns: ${waiting} is not a number of waiting labs`);
    this.scenarios = new Gate(slots);
    this.arrivals = new Gate(waiting);
  }

  /** Waits until a lab may start (at most `waiting` come up or wait at once); before the submission's time limit starts. */
  async admit(): Promise<Admission> {
    await this.arrivals.acquire();
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      this.arrivals.release();
    };
    return {
      background: this.background,
      release,
      takeTurn: async (stillWanted, work) => {
        await this.scenarios.acquire(stillWanted);
        release();
        try {
          return await work();
        } finally {
          this.scenarios.release();
        }
      },
    };
  }
}

/** At most `size` holders at once, the others served in the order they came. */
class Gate {
  private holders = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Resolves with a place; rejects with GRADE_CANCELLED once `stillWanted` (looked at while waiting) says no. */
  acquire(stillWanted?: () => boolean): Promise<void> {
    if (this.holders < this.size) {
      this.holders += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const check = stillWanted && setInterval(() => {
        if (stillWanted()) return;
        clearInterval(check);
        this.waiting.splice(this.waiting.indexOf(grant), 1);
        reject(new LabError('GRADE_CANCELLED', 'the grader stopped waiting for this lab'));
      }, 200);
      const grant = () => {
        clearInterval(check);
        resolve();
      };
      this.waiting.push(grant);
    });
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next(); // the place passes on: holders stay the same
    else this.holders -= 1;
  }
}
