import type { Communicator } from '../../ssh/communicator.js';

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
  inject(node: Communicator): Promise<void>;
  revert(node: Communicator): Promise<void>;
}
