import { measure } from '../checks/failover-checks.js';
import { instanceView } from '../checks/instance-view.js';
import type { ScenarioResult } from '../scenario/timeline.js';

/** One VIP of a run on a lab of several VRRP instances, in words and figures. */
export interface VipRow {
  vip: string;
  instance: string;
  master: string;
  /** Who held it while the fault lasted: its backup after N s, or "stays". */
  duringFault: string;
  failback: string;
  longestGap: string;
  sent: number;
  failed: number;
}

export const vipRowHeader = ['VIP', 'instance', 'master', 'during the fault', 'failback', 'longest gap', 'sent', 'failed'];

/** Each VIP's figures (none for a run with one VIP): what summary.md and report.html show per VIP. */
export function vipRows(result: ScenarioResult): VipRow[] {
  return (result.vrrp.instances ?? []).map((instance) => {
    const view = instanceView(result, instance);
    const m = measure(view);
    const moved = instance.master === result.vrrp.master;
    return {
      vip: instance.vip,
      instance: instance.name,
      master: instance.master,
      duringFault: moved ? (m.failoverSeconds === undefined ? 'never taken over' : `${instance.backup} after ${m.failoverSeconds.toFixed(2)} s`) : 'stays',
      failback: moved ? (m.failbackSeconds === undefined ? 'none' : `${m.failbackSeconds.toFixed(2)} s`) : '-',
      longestGap: `${m.outageSeconds.toFixed(2)} s`,
      sent: view.load.sent,
      failed: view.load.failed,
    };
  });
}

export function vipRowCells(row: VipRow): string[] {
  return [row.vip, row.instance, row.master, row.duringFault, row.failback, row.longestGap, String(row.sent), String(row.failed)];
}
