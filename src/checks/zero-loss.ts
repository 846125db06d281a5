import type { ScenarioResult, TimelineEvent } from '../scenario/timeline.js';
import type { FailoverMeasures } from './failover-checks.js';

/** Failed requests of a run, sorted by the handover they fell in. */
export interface LossBreakdown {
  failed: number;
  /** From the fault to the revert: the backup's takeover. */
  atFailover: number;
  /** From the revert to the end of the load: the master's return. */
  atFailback: number;
  /** Before the fault: no handover explains them. */
  beforeFault: number;
}

export function lossBreakdown(events: TimelineEvent[], m: FailoverMeasures): LossBreakdown {
  const failures = events.filter((event) => event.kind === 'request-failed');
  const count = (from: number, to: number) => failures.filter((event) => event.t >= from && event.t < to).length;
  return {
    failed: failures.length,
    beforeFault: count(-Infinity, m.faultAt),
    atFailover: count(m.faultAt, m.revertAt),
    atFailback: count(m.revertAt, Infinity),
  };
}

/**
 * The zero-loss profile's promise (the spec syncs IPVS connections to the backup): no request
 * fails. An established connection continues through the new director, which holds its synced
 * IPVS entry; a lost SYN or request is retransmitted, not failed. Pure over the recorded run.
 */
export function zeroLossVerdict(result: ScenarioResult, m: FailoverMeasures): { pass: boolean; reason: string } {
  const losses = lossBreakdown(result.events, m);
  const where = `${losses.atFailover} at the failover, ${losses.atFailback} at the failback, ${losses.beforeFault} before the fault`;
  const pass = result.load.failed === 0 && losses.failed === 0;
  return {
    pass,
    reason: pass
      ? 'zero-loss profile (IPVS connections synced to the backup): 0 failed requests required, 0 failed'
      : `zero-loss profile (IPVS connections synced to the backup): 0 failed requests required, ${result.load.failed} failed (${where})`,
  };
}
