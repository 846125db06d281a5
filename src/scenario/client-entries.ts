import { parseIpvsadmConnections } from '../parse/ipvsadm-list.js';
import type { NodeShell } from '../ssh/node-shell.js';
import { shellCommandTimeoutMs } from './stuck-step.js';
import type { TimelineEvent } from './timeline.js';

/**
 * Records, per VIP, the load client's entries in a balancer's IPVS connection table before the
 * load: on a lab that has served load within the last minutes (the fault catalogue, `--fault all`)
 * they route reused source ports past the scheduler, and the balance check must know it.
 */
export async function recordClientEntries(
  shell: NodeShell,
  node: string,
  where: { client: string; vips: string[]; port: number; tagVip: boolean },
  record: (event: TimelineEvent) => void,
): Promise<void> {
  const entries = parseIpvsadmConnections((await shell.execChecked('ipvsadm -Lnc', { timeoutMs: shellCommandTimeoutMs })).stdout);
  const t = Date.now();
  for (const vip of where.vips) {
    const byState: Record<string, number> = {};
    for (const entry of entries) {
      if (entry.client.address !== where.client || entry.virtual.address !== vip || entry.virtual.port !== where.port) continue;
      byState[entry.state] = (byState[entry.state] ?? 0) + 1;
    }
    const count = Object.values(byState).reduce((sum, n) => sum + n, 0);
    record({ t, kind: 'ipvs-entries', node, count, byState, ...(where.tagVip ? { vip } : {}) });
  }
}
