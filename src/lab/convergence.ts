import { LabError } from '../errors.js';
import type { Communicator } from '../ssh/communicator.js';
import { balancers, type LabSpec } from '../spec/types.js';
import { probeNode, type NodeProbe } from './node-probe.js';

/**
 * Waits until VRRP has settled: exactly one balancer holds the VIP and keepalived calls it MASTER,
 * the others BACKUP. keepalived starts every instance as BACKUP and takes over only after the
 * master-down interval, so a freshly provisioned lab needs a few seconds.
 */
/**
 * How long a scenario waits for VRRP to settle before it starts: room for one stuck probe on a busy
 * uml node (10-30 s stalls were seen on an oversubscribed host) and a retry.
 */
export const scenarioConvergenceTimeoutMs = 45_000;

export async function waitForConvergence(spec: LabSpec, sessions: Map<string, Communicator>, timeoutMs = 20_000): Promise<Map<string, NodeProbe>> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const probes = new Map<string, NodeProbe>();
    for (const node of balancers(spec)) {
      const ssh = sessions.get(node.name);
      // One slow answer (a busy uml node) is no verdict: only the deadline is.
      const probe = ssh ? await probeNode(spec, node, ssh).catch(() => undefined) : undefined;
      if (probe) probes.set(node.name, probe);
    }
    const holders = [...probes].filter(([, probe]) => probe.holdsVip);
    const masters = [...probes].filter(([, probe]) => probe.keepalived === 'MASTER');
    const others = [...probes].filter(([, probe]) => probe.keepalived !== 'MASTER');
    const allAnswered = probes.size === balancers(spec).length;
    if (allAnswered && holders.length === 1 && masters.length === 1 && holders[0]?.[0] === masters[0]?.[0] && others.every(([, probe]) => probe.keepalived === 'BACKUP')) {
      return probes;
    }
    last = balancers(spec)
      .map(({ name }) => {
        const probe = probes.get(name);
        return probe ? `${name} ${probe.keepalived}${probe.holdsVip ? ' with the VIP' : ''}` : `${name} did not answer`;
      })
      .join(', ');
    if (Date.now() > deadline) {
      throw new LabError('VRRP_NOT_CONVERGED', `VRRP did not settle within ${timeoutMs / 1000} s: ${last}`, {
        hint: 'look at keepalived on the balancers: npm run lab:exec -- balancer1 journalctl -u keepalived',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
