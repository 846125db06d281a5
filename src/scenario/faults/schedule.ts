import type { FaultExpectation } from '../../checks/fault-expectation.js';
import type { FaultSchedule } from './fault.js';

/**
 * The load runs this long before the fault, as in the seed: the before-fault snapshot comes 1.2 s
 * before it, and the load generator may take 2 s to get going on a busy host (seen at load 9).
 */
export const faultAtSeconds = 5;
/** IPVS counts in its 2-second estimator: a phase must last this long to show in its counters. */
export const ipvsEstimatorSeconds = 2.5;
/**
 * After a takeover the client's ARP entry for the VIP may name the old master for a while: a
 * gratuitous ARP within the neighbour's locktime (1 s) is ignored. A master that keeps its link and
 * its IPVS rules (keepalived stopped, or in FAULT) goes on scheduling what reaches it (seen: 200 new
 * connections 0.4-2.4 s after director-nginx-stop's takeover).
 */
export const clientArpMoveSeconds = 2.5;
/** Load after the failback, for the last phase's balance to mean something (~600 answers). */
export const afterFailbackSeconds = 3;

/**
 * A takeover's plan: the backup's phase outlasts the client-visible outage bound (a client's SYN
 * retry) and IPVS's estimator; the load runs on past the failback bound.
 */
export function takeoverSchedule(expectation: FaultExpectation, faultLastsAtLeast = 0): FaultSchedule {
  const revertAt = faultAtSeconds + Math.ceil(Math.max(expectation.outageBound + ipvsEstimatorSeconds, faultLastsAtLeast));
  // The master's counters are judged from when the takeover may have happened and clients followed it.
  const settleSeconds = Math.max(ipvsEstimatorSeconds, (expectation.takeover?.bound ?? 0) + clientArpMoveSeconds);
  // The load outlasts the longest way back the fault allows (through FAULT: its bound counts from BACKUP).
  const failbackSeconds = expectation.failback.bound + (expectation.failbackViaFault?.bound ?? 0);
  return { faultAt: faultAtSeconds, revertAt, durationSeconds: revertAt + Math.ceil(failbackSeconds) + afterFailbackSeconds, settleSeconds };
}
