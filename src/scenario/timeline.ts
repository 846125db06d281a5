import type { FaultExpectation } from '../checks/fault-expectation.js';

/**
 * The recorded result of a scenario: every event on one clock (the orchestrator's Date.now(), in ms).
 * Checks and reports read only this, so they can be tested without a lab.
 */

/**
 * `vip` and `instance` are set only in a run on a spec with several VRRP instances: which VIP a
 * request went to, which VIP moved, which instance changed state. Without them, the spec's one VIP.
 */
export type TimelineEvent =
  | { t: number; kind: 'response'; backend: string; status: number; latencyMs: number; connection: number; vip?: string }
  | { t: number; kind: 'request-failed'; error: string; connection: number; vip?: string }
  /**
   * t: by when it had taken effect on its node (the node's clock, read as its command returned);
   * startedAt: when that command began there; issuedAt: when the orchestrator sent it.
   */
  | { t: number; kind: 'fault'; action: 'inject' | 'revert'; fault: string; node: string; ok: boolean; detail?: string; issuedAt?: number; startedAt?: number; error?: string }
  /** The VIP appeared on (added) or left (removed) a balancer's lab interface. */
  | { t: number; kind: 'vip'; node: string; action: 'added' | 'removed'; vip?: string }
  /** keepalived's own word on its VRRP state (from its log, or its state dump at the start). */
  | { t: number; kind: 'vrrp-state'; node: string; state: string; source: 'journal' | 'dump'; instance?: string }
  | { t: number; kind: 'ipvs'; node: string; label: string; conns: number; perBackend: Record<string, number>; inPkts: number; outPkts: number; vip?: string }
  /**
   * The load client's entries in a balancer's IPVS connection table just before the load, left by
   * earlier traffic (a direct-routing balancer keeps a closed connection in FIN_WAIT for 2 min): a
   * new connection from a reused source port follows such an entry's backend, not the scheduler.
   */
  | { t: number; kind: 'ipvs-entries'; node: string; count: number; byState: Record<string, number>; vip?: string }
  | { t: number; kind: 'phase'; name: string }
  /** A node's VM killed, booted, frozen or thawed by a fault, through the lab's provider. */
  | { t: number; kind: 'power'; node: string; action: 'kill' | 'boot' | 'freeze' | 'thaw' };

export interface VrrpParameters {
  advertInt: number;
  /** Priorities by balancer name. */
  priorities: Record<string, number>;
  preempt: boolean;
  master: string;
  backup: string;
  /** The spec syncs IPVS connections to the backup (the zero-loss profile): no request may fail. */
  syncConnections?: boolean;
  /**
   * A spec with several VRRP instances: each one. Then master/backup/priorities above are those of
   * the instance whose master the fault hits (its VIP is the one that moves).
   */
  instances?: RunInstance[];
}

export interface RunInstance {
  name: string;
  vip: string;
  /** By balancer name, highest first. */
  priorities: Record<string, number>;
  master: string;
  backup: string;
}

export interface RequestCounts {
  sent: number;
  answered: number;
  failed: number;
  unfinished: number;
}

export interface LoadSummary {
  mode: LoadMode;
  connections: number;
  rate: number;
  durationSeconds: number;
  sent: number;
  answered: number;
  failed: number;
  /** Requests still waiting for an answer when the load stopped. */
  unfinished: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** With several VIPs: each VIP's own counts. */
  perVip?: Record<string, RequestCounts>;
}

export type LoadMode = 'keep-alive' | 'new-connection';

/** The fault a run injected and the outcome it should have (absent in results recorded before the catalogue: link-down). */
export interface FaultRecord {
  name: string;
  node: string;
  description: string;
  /** What was run, e.g. "ip link set down eth1 on balancer1". */
  action: string;
  expectation: FaultExpectation;
}

export interface ScenarioResult {
  runId: string;
  lab: string;
  scenario: string;
  startedAt: number;
  endedAt: number;
  vrrp: VrrpParameters;
  backends: Record<string, string>; // address → name
  load: LoadSummary;
  /** `ipvsadm -Ln --stats` text of each balancer before the fault and at the end, as in the seed. */
  ipvsText: Record<string, { before: string; after: string }>;
  events: TimelineEvent[];
  fault?: FaultRecord;
}
