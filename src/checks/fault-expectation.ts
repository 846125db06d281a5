import type { VrrpParameters } from '../scenario/timeline.js';
import { detectionMarginSeconds, masterDownInterval, outageBound, outageBoundAfter, skewTime, takeoverWindow } from './vrrp-timing.js';

/**
 * What a fault should do to the lab, written into result.json before the run, so that checks and
 * reports judge the recording against it. Seconds are counted from the fault (takeover) or from
 * its revert (failback); every bound is derived from the lab's VRRP and service settings.
 */
export type FaultOutcome =
  /** The backup takes the VIP, the master takes it back after the revert. */
  | 'takeover'
  /** The VIP stays where it is: the fault is behind the directors. */
  | 'no-takeover'
  /** Both balancers hold the VIP while the fault lasts. */
  | 'split-brain'
  /** VRRP adverts are lost at random: the VIP may move back and forth. */
  | 'flapping';

export interface TimeWindow {
  earliest: number;
  latest: number;
  /** latest plus the allowance for what follows VRRP's decision (adding the VIP, our monitors). */
  bound: number;
  /** Where the numbers come from, in words. */
  basis: string;
}

export interface BackendFaultExpectation {
  backend: string;
  /** keepalived virtual_server with TCP_CHECK (the real server is removed) or plain ipvsadm rules. */
  healthChecked: boolean;
  /** Plain rules: the share of requests that fail while the backend is down (round robin: 1 of N). */
  failedShare?: number;
  /** Health-checked: requests fail at most this long after the fault (delay_loop + connect_timeout + margin). */
  failuresWithinSeconds?: number;
}

export interface FaultExpectation {
  outcome: FaultOutcome;
  /** The expected outcome in one sentence, for the reports. */
  says: string;
  takeover?: TimeWindow;
  /** From the revert until the master holds the VIP alone again. */
  failback: { bound: number; basis: string };
  /**
   * A second way back that the fault allows: the master passes through FAULT after the revert, then
   * BACKUP, and preempts from that BACKUP within this bound (counted from it). A frozen VM's track
   * script caught mid-run is counted as timed out at the thaw.
   */
  failbackViaFault?: { bound: number; basis: string };
  /**
   * The master goes on forwarding after the fault (keepalived killed: the VIP and IPVS stay in its
   * kernel, and clients reach it until their ARP moves): its counters are reported, not required to stop.
   */
  masterKeepsForwarding?: boolean;
  /**
   * The master returns with the IPVS connection table it had when it stopped (a frozen VM): new
   * connections from reused source ports follow stale entries, so the client's shares after the
   * revert are reported, not judged.
   */
  staleTableAfterRevert?: boolean;
  /** Longest client-visible gap without an answer. */
  outageBound: number;
  backend?: BackendFaultExpectation;
  /** Check ids whose FAIL is what this fault makes (e.g. split-brain under a VRRP partition): the run passes only if they fail. */
  expectedToFail: string[];
  /** Check ids where either verdict fits: chance events (e.g. a flap under random loss), reported, not judged. */
  eitherVerdict: string[];
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const backupPriority = (vrrp: VrrpParameters) => vrrp.priorities[vrrp.backup] ?? 0;
const masterPriority = (vrrp: VrrpParameters) => vrrp.priorities[vrrp.master] ?? 0;

/** The backup stops hearing adverts: it takes over one master-down interval after the last one. */
export function masterDownTakeover(vrrp: VrrpParameters): TimeWindow {
  const window = takeoverWindow(backupPriority(vrrp), vrrp.advertInt);
  return { ...roundWindow(window), basis: `master-down interval 3 × advert_int + skew(${backupPriority(vrrp)}) after the last advert` };
}

/** The master leaves with a priority-0 advert: the backup takes over after its skew time (RFC 3768 §6.4.2). */
export function skewTakeover(vrrp: VrrpParameters, delaySeconds = 0, delayBasis = ''): TimeWindow {
  const skew = skewTime(backupPriority(vrrp), vrrp.advertInt);
  return roundWindow({
    earliest: skew,
    latest: delaySeconds + skew,
    bound: delaySeconds + skew + detectionMarginSeconds,
    basis: `${delayBasis}priority-0 advert, then skew(${backupPriority(vrrp)}) = (256 − ${backupPriority(vrrp)})/256 × advert_int`,
  });
}

/** After the revert the master hears the backup's lower-priority adverts, or its own timer fires: at most its master-down interval. */
export function preemptFailback(vrrp: VrrpParameters, delaySeconds = 0, delayBasis = ''): FaultExpectation['failback'] {
  return {
    bound: round(delaySeconds + masterDownInterval(masterPriority(vrrp), vrrp.advertInt) + detectionMarginSeconds),
    basis: `${delayBasis}master-down interval of ${vrrp.master} (priority ${masterPriority(vrrp)}) + ${detectionMarginSeconds} s`,
  };
}

/**
 * A restarted keepalived is not in VRRP at once: `systemctl start` returns when the daemon has
 * forked (the revert is stamped then), and its VRRP child still reads the configuration, sets up
 * its sockets and runs its track script once before it advertises: seconds on a busy uml node.
 */
export const keepalivedStartSeconds = 5;
export const keepalivedStartBasis = `keepalived's start (up to ${keepalivedStartSeconds} s on a busy uml node), then `;

/** The outage a takeover within the window allows: the client's first retransmission after it (SYN or a request under way), + 1 s. */
export function outageFor(window: TimeWindow | undefined, vrrp: VrrpParameters): number {
  if (!window) return outageBound(backupPriority(vrrp), vrrp.advertInt);
  return outageBoundAfter(window.bound);
}

function roundWindow<T extends { earliest: number; latest: number; bound: number }>(window: T): T {
  return { ...window, earliest: round(window.earliest), latest: round(window.latest), bound: round(window.bound) };
}

/** The seed's link-down outcome: what a result recorded before the catalogue existed is judged by. */
export function linkDownExpectation(vrrp: VrrpParameters): FaultExpectation {
  const takeover = masterDownTakeover(vrrp);
  return {
    outcome: 'takeover',
    says: `${vrrp.backup} takes the VIP within ${takeover.bound} s, ${vrrp.master} takes it back after the revert`,
    takeover,
    failback: preemptFailback(vrrp),
    outageBound: outageFor(takeover, vrrp),
    expectedToFail: [],
    eitherVerdict: [],
  };
}
