import type { TimelineEvent, VrrpParameters } from '../scenario/timeline.js';
import type { FaultExpectation } from './fault-expectation.js';
import type { FailoverMeasures } from './failover-checks.js';

const fmt = (seconds: number) => `${seconds.toFixed(2)} s`;

/** The master's way through FAULT after the revert: when it entered FAULT, and its last BACKUP before it held the VIP again. */
export function faultDetour(events: TimelineEvent[], master: string, revertAt: number, failbackAt: number): { faultAt: number; backupAt: number } | undefined {
  const states = events.filter((e): e is Extract<TimelineEvent, { kind: 'vrrp-state' }> => e.kind === 'vrrp-state' && e.node === master && e.t >= revertAt && e.t <= failbackAt);
  const fault = states.find((e) => e.state === 'FAULT');
  const backup = states.filter((e) => fault && e.state === 'BACKUP' && e.t >= fault.t).at(-1);
  return fault && backup ? { faultAt: fault.t, backupAt: backup.t } : undefined;
}

/**
 * Whether the master took the VIP back in time: within the fault's failback bound from the revert,
 * or, where the fault allows a detour through FAULT and the master took it, within that bound from
 * its BACKUP after the FAULT.
 */
export function failbackInTime(events: TimelineEvent[], vrrp: VrrpParameters, m: FailoverMeasures, expectation: FaultExpectation): { inTime: boolean; text: string } {
  if (m.failbackSeconds === undefined || m.failbackAt === undefined) return { inTime: false, text: `${vrrp.master} did not take the VIP back` };
  const direct = `${vrrp.master} took the VIP back ${fmt(m.failbackSeconds)} after the revert (bound ${fmt(expectation.failback.bound)})`;
  const allowed = expectation.failbackViaFault;
  const detour = allowed ? faultDetour(events, vrrp.master, m.revertAt, m.failbackAt) : undefined;
  if (!allowed || !detour) return { inTime: m.failbackSeconds <= expectation.failback.bound, text: direct };
  const fromBackup = (m.failbackAt - detour.backupAt) / 1000;
  return {
    inTime: m.failbackSeconds <= expectation.failback.bound || fromBackup <= allowed.bound,
    text: `${direct}, through FAULT at ${fmt((detour.faultAt - m.revertAt) / 1000)} and BACKUP at ${fmt((detour.backupAt - m.revertAt) / 1000)}: ${fmt(fromBackup)} from that BACKUP (bound ${fmt(allowed.bound)}: ${allowed.basis})`,
  };
}
