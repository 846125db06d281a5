import type { CommandRunner } from '../../ssh/command-runner.js';

/**
 * When a fault's command ran on its node, by the node's clock ($EPOCHREALTIME): it began at
 * `startedAt` and had taken effect by `doneAt`. On a busy uml node the command may start seconds
 * after it was sent, and VRRP's timers run from the change, not from the request.
 */
export interface FaultTiming {
  startedAt?: number;
  doneAt?: number;
}

/**
 * A fault the scenario injects and later reverts. Each kind of fault is one small file that
 * implements this; revert always runs, even when the scenario or its load fails.
 */
export interface Fault {
  /** Short name for reports, e.g. "link-down". */
  name: string;
  /** The node the fault is applied to. */
  node: string;
  describe(): string;
  inject(node: CommandRunner): Promise<FaultTiming>;
  revert(node: CommandRunner): Promise<FaultTiming>;
}
