import type { ConnectionsResult, ConnectionsSample } from '../scenario/connections-plan.js';
import type { CheckResult } from './failover-checks.js';

/** How late IPVS may forget an entry after its timeout: its timers tick once a second, and our samples come every sampleMs. */
const forgetSlackSeconds = 2;

const total = (ours: ConnectionsSample['ours']) => Object.values(ours).reduce((sum, n) => sum + n, 0);
const inactive = (ours: ConnectionsSample['ours']) => total(ours) - (ours.ESTABLISHED ?? 0);
const since = (t: number, from: number) => `${((t - from) / 1000).toFixed(1)} s`;

/** When IPVS had forgotten every one of the scenario's connections, from the samples (undefined if never seen). */
export function forgottenAt(result: ConnectionsResult): { lastSeen?: number; goneAt?: number } {
  const after = result.samples.filter((sample) => sample.t > result.closedAt);
  const lastSeen = [...after].reverse().find((sample) => total(sample.ours) > 0)?.t;
  const goneAt = after.find((sample) => total(sample.ours) === 0 && (lastSeen === undefined || sample.t > lastSeen))?.t;
  return { lastSeen, goneAt };
}

/** Judges a recorded connections scenario: pure, so it is tested without a lab. */
export function connectionChecks(result: ConnectionsResult): CheckResult[] {
  const n = result.connections.length;
  const fin = result.timeouts.run.tcpfin;
  const held = result.samples.filter((sample) => sample.t > result.openedAt && sample.t < result.closedAt);
  const checks: CheckResult[] = [];
  const check = (id: string, title: string, pass: boolean, reason: string) => checks.push({ id, title, pass, reason });

  {
    const allActive = held.length > 0 && held.every((sample) => (sample.ours.ESTABLISHED ?? 0) === n && total(sample.ours) === n && sample.activeConn >= n);
    const range = (values: number[]) => (values.length ? `${Math.min(...values)}–${Math.max(...values)}` : 'no samples');
    check('active-while-open', `While ${result.plan.connections} keep-alive connections are open, ActiveConn counts them`, n === result.plan.connections && allActive,
      `${n} of ${result.plan.connections} connections opened; in ${held.length} samples while held: ActiveConn ${range(held.map((s) => s.activeConn))}, InActConn ${range(held.map((s) => s.inActConn))}; ours ESTABLISHED ${range(held.map((s) => s.ours.ESTABLISHED ?? 0))}`);
  }
  {
    const first = result.samples.find((sample) => sample.t > result.closedAt);
    const states = first ? Object.entries(first.ours).map(([state, count]) => `${state} ${count}`).join(', ') || 'none' : 'no sample';
    const pass = first !== undefined && (first.ours.ESTABLISHED ?? 0) === 0 && inactive(first.ours) === n && n > 0;
    check('inactive-after-close', 'Once closed they move from ActiveConn to InActConn (IPVS keeps them in FIN_WAIT)', pass,
      first ? `${since(first.t, result.closedAt)} after the close: ActiveConn ${first.activeConn}, InActConn ${first.inActConn}; ours by IPVS state: ${states}` : 'no sample after the close');
  }
  {
    const { lastSeen, goneAt } = forgottenAt(result);
    const seen = lastSeen === undefined ? undefined : (lastSeen - result.closedAt) / 1000;
    const gone = goneAt === undefined ? undefined : (goneAt - result.closedAt) / 1000;
    // Kept for the timeout (not dropped early), forgotten soon after it.
    const pass = seen !== undefined && gone !== undefined && seen >= fin - forgetSlackSeconds && gone <= fin + forgetSlackSeconds + result.plan.sampleMs / 1000;
    check('forgotten-after-timeout', `InActConn falls back when IPVS's tcpfin timeout (${fin} s) runs out`, pass,
      `last seen ${seen === undefined ? 'never' : `${seen.toFixed(1)} s`} after the close, gone ${gone === undefined ? 'not within the run' : `${gone.toFixed(1)} s`} after it (timeout ${fin} s, ±${forgetSlackSeconds} s)`);
  }
  {
    // A connection that went on with an entry IPVS still had for its client port was not scheduled: round robin is judged on the others.
    const reused = result.connections.filter((c) => c.reusedEntry);
    const scheduled = result.connections.filter((c) => !c.reusedEntry);
    const spread = (connections: typeof scheduled) => result.backends.map((backend) => `${backend} ${connections.filter((c) => c.backend === backend).length}`).join(', ');
    const values = result.backends.map((backend) => scheduled.filter((c) => c.backend === backend).length);
    const pass = values.length > 1 && Math.max(...values) - Math.min(...values) <= 1;
    const reason = reused.length === 0
      ? spread(scheduled)
      : `${spread(result.connections)}; ${reused.length} went on with the ${reused.map((c) => `${c.reusedEntry!.state} entry IPVS still had for client port ${c.clientPort} (to ${c.reusedEntry!.backend})`).join(', ')}, so the scheduler was not asked (conn_reuse_mode 1, an earlier run's connection kept for tcpfin); the ${scheduled.length} scheduled: ${spread(scheduled)}`;
    check('scheduled-round-robin', 'Round robin spread the connections over the backends', pass, reason);
  }
  return checks;
}
