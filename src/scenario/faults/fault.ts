import type { FaultExpectation } from '../../checks/fault-expectation.js';
import type { LabMeta, LabPaths } from '../../lab/state.js';
import type { NodePowerAction } from '../../provider/provider.js';
import type { Communicator } from '../../ssh/communicator.js';
import type { LabSpec } from '../../spec/types.js';
import type { VrrpParameters } from '../timeline.js';

/** What a fault may touch while the scenario runs: nodes over SSH, and their VMs through the provider. */
export interface FaultContext {
  spec: LabSpec;
  paths: LabPaths;
  meta: LabMeta;
  /** An SSH session to the node (opened once, opened again after the node was rebooted). */
  session(node: string): Promise<Communicator>;
  /** Powers the node's VM through the lab's provider, and records it on the timeline. */
  power(node: string, action: NodePowerAction): Promise<void>;
  /** After a reboot: waits for the node's SSH, provisions it and watches it again. */
  bringBack(node: string): Promise<void>;
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
  /** Gets the inject ready ahead of the fault instant (e.g. a shell waiting on the node), so that it lands on time. */
  prepare?(context: FaultContext): Promise<void>;
  inject(context: FaultContext): Promise<void>;
  /** Undoes the fault; quick (the failback is timed from it). */
  revert(context: FaultContext): Promise<void>;
  /** What must follow a revert before the node is part of the lab again (a reboot's provisioning); timed after it. */
  recover?(context: FaultContext): Promise<void>;
}

/** Which node a fault hits when the command line names none. */
export type FaultTarget = 'master' | 'backup' | 'backend';

/** Seconds after the load starts; the load's length. */
export interface FaultTiming {
  faultAt: number;
  revertAt: number;
  durationSeconds: number;
}

/** One entry of the catalogue: a kind of fault, what it does, and what it should do to this lab. */
export interface FaultDefinition {
  name: string;
  /** One line for the catalogue and the reports. */
  description: string;
  target: FaultTarget;
  create(node: string, spec: LabSpec): Fault;
  /** The outcome the fault should have on this lab, with bounds from its VRRP and service settings. */
  expect(vrrp: VrrpParameters, spec: LabSpec, node: string): FaultExpectation;
  /** A short plan that still gives every check its window. */
  timing(expectation: FaultExpectation): FaultTiming;
}
