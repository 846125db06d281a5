import type { FaultExpectation } from '../../checks/fault-expectation.js';
import type { NodePowerAction, RebootAllowance } from '../../provider/provider.js';
import type { CommandRunner } from '../../ssh/command-runner.js';
import type { LabSpec } from '../../spec/types.js';
import type { VrrpParameters } from '../timeline.js';

/**
 * When a fault's command ran on its node, by the node's clock ($EPOCHREALTIME): it began at
 * `startedAt` and had taken effect by `doneAt`. On a busy uml node the command may start seconds
 * after it was sent, and VRRP's timers run from the change, not from the request.
 */
export interface FaultTiming {
  startedAt?: number;
  doneAt?: number;
  /** A fault done from the host (a VM killed or frozen): the instant, by the orchestrator's clock. */
  hostAt?: number;
}

/** What a fault acts through: its node's shell, and the node's VM through the lab's provider. */
export interface FaultContext {
  /** A shell on the fault's node (root). */
  shell: CommandRunner;
  /** Powers the node's VM through the lab's provider, and records it on the timeline. */
  power(action: NodePowerAction): Promise<FaultTiming>;
  /** After a boot: waits for the node's SSH, provisions it and watches it again. */
  bringBack(): Promise<void>;
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
  /** A command that may be sent again over a fresh connection when its shell does not answer (idempotent). */
  repeatable: boolean;
  inject(context: FaultContext): Promise<FaultTiming>;
  /** Undoes the fault; quick (the failback is timed from it). */
  revert(context: FaultContext): Promise<FaultTiming>;
  /** What must follow a revert before the node is part of the lab again (a reboot's provisioning); timed after it. */
  recover?(context: FaultContext): Promise<void>;
}

/** Which node a fault hits when the command line names none. */
export type FaultTarget = 'master' | 'backup' | 'backend';

/** When a fault's scenario injects and reverts it, in seconds after the load starts, and how long the load runs. */
export interface FaultSchedule {
  faultAt: number;
  revertAt: number;
  durationSeconds: number;
  /** How long after the fault the master's counters are taken as settled (default: IPVS's estimator, 2.5 s). */
  settleSeconds?: number;
  /** The load ends this long after the failback is seen (see ScenarioPlan). */
  loadAfterFailbackSeconds?: number;
}

/** One entry of the catalogue: a kind of fault, what it does, and what it should do to this lab. */
export interface FaultDefinition {
  name: string;
  /** One line for the catalogue and the reports. */
  description: string;
  target: FaultTarget;
  create(node: string, spec: LabSpec): Fault;
  /**
   * A harmless command that reads what the fault's own command needs (programs, kernel modules)
   * into the memory of each node the fault may hit, before the load (see fault-preparation.ts).
   */
  prepare?(spec: LabSpec): string;
  /**
   * The outcome the fault should have on this lab, with bounds from its VRRP and service settings
   * (and, for a node powered on again, the lab's provider's reboot allowance).
   */
  expect(vrrp: VrrpParameters, spec: LabSpec, node: string, reboot: RebootAllowance): FaultExpectation;
  /** A short plan that still gives every check its window. */
  schedule(expectation: FaultExpectation): FaultSchedule;
}
