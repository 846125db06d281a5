import type { Duplex } from 'node:stream';
import type { LabMeta, LabPaths, NodeAccess, ProviderName } from '../lab/state.js';
import type { SshTarget } from '../ssh/communicator.js';
import type { LabSpec } from '../spec/types.js';
import type { Progress } from '../util/progress.js';

/** A node's VM as its provider sees it. */
export interface NodeState {
  running: boolean;
  /** e.g. "running", "exited (1)", "poweroff", "not created". */
  label: string;
}

/** What a fault may do to a node's VM: kill it outright, boot it again, freeze it, let it run on. */
export type NodePowerAction = 'kill' | 'boot' | 'freeze' | 'thaw';

/** A provider's allowance for a node's reboot, in seconds, and where the figure comes from. */
export interface RebootAllowance {
  seconds: number;
  basis: string;
}

/**
 * A lab's CPU weight beside other labs: `background` (an idle cgroup, or the lowest weight) for a lab that
 * comes up or waits while another runs a timing-critical scenario, `foreground` (the default)
 * otherwise. Any CPU cap holds for both.
 */
export type CpuPriority = 'background' | 'foreground';

/** Each node's rendered provisioning files, by node name. */
export type NodeFiles = Map<string, Record<string, string>>;

/**
 * What the lab engine asks of whatever runs the nodes (as Vagrant asks its provider plugins). The
 * engine (lab/, load/, scenario/) holds a LabProvider and never names one; a new provider is one
 * folder implementing this and one line in registry.ts.
 */
export interface LabProvider {
  readonly name: ProviderName;
  /**
   * Creates, boots and provisions the nodes; returns once every node is provisioned, with the lab's
   * state written. `priority` is the lab's CPU weight from its first process on (see setCpuPriority).
   */
  start(spec: LabSpec, paths: LabPaths, files: NodeFiles, progress: Progress, priority?: CpuPriority): Promise<{ meta: LabMeta; boxBuilt: boolean }>;
  /**
   * Sets the CPU weight of a running lab; false where this provider or host cannot weigh labs
   * (they then compete as any process: a caller must not run one in the background of a scenario).
   */
  setCpuPriority(paths: LabPaths, priority: CpuPriority): boolean;
  /** Whether setCpuPriority can work for labs started now on this host. */
  cpuPriorityAvailable(): boolean;
  /** Applies the (re-rendered) configuration to the nodes of a running lab. Idempotent. */
  reprovision(spec: LabSpec, paths: LabPaths, meta: LabMeta, files: NodeFiles, progress: Progress): Promise<void>;
  /** Whether a lab whose machines exist but are stopped is booted again by start() rather than made anew. */
  readonly resumesStoppedLabs: boolean;
  nodeStates(paths: LabPaths, meta: LabMeta): Promise<Map<string, NodeState>>;
  /** How to open SSH to a node (address, key, and the stream to carry it). */
  sshTarget(paths: LabPaths, meta: LabMeta, node: NodeAccess): SshTarget;
  /** A TCP stream from the lab's client side (the load generator's place), e.g. to the VIP. */
  clientSocket(paths: LabPaths, meta: LabMeta, host: string, port: number): () => Promise<Duplex>;
  /** Wraps a host command so that it runs where the lab's client is (the load generator). */
  clientCommand(paths: LabPaths, meta: LabMeta, command: string, args: string[]): { command: string; args: string[] };
  /**
   * Powers one node's VM for a fault: `kill` (no shutdown, as a power cut), `boot` (again, after a
   * kill; the engine provisions it over SSH once it answers), `freeze` and `thaw` (stopped and let
   * run on, its memory kept). Resolves with the instant (ms) the act reached the VM when that is
   * not when the call began (a command that starts slowly and acts at its end), else undefined.
   */
  nodePower(paths: LabPaths, meta: LabMeta, node: string, action: NodePowerAction): Promise<number | undefined>;
  /**
   * How long a node powered on again (after `kill`) may take until it runs keepalived again: boot
   * to SSH and provisioning, as measured on this provider's machines. Not a VRRP figure: it is
   * added to VRRP's own bound for the failback after a crash.
   */
  rebootAllowance(paths: LabPaths): RebootAllowance;
  /** How a node's management access reads in lab:status. */
  describeAccess(node: NodeAccess): string;
  /** Whether anything this provider made for the lab still runs (found from the state directory and /proc). */
  running(paths: LabPaths): boolean;
  /**
   * Ends whatever runs the lab's nodes, also after a crash of the orchestrator (from the state
   * directory and /proc alone). Throws, leaving its records, when it cannot.
   */
  removeMachines(paths: LabPaths, progress: Progress): Promise<{ processesKilled: number; machinesDestroyed: boolean }>;
}
