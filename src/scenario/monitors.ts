import type { Communicator } from '../ssh/communicator.js';
import type { TimelineEvent } from './timeline.js';

/**
 * Event streams from a balancer, stamped on arrival with the orchestrator's clock:
 * - `ip -o monitor address` on the lab interface: the VIP added or removed, the moment it happens;
 * - keepalived's journal: its own "Entering X STATE" transitions.
 * Both are bounded by `timeout`, so nothing outlives the scenario on the node.
 */
export function watchBalancer(
  ssh: Communicator,
  node: string,
  options: { interfaceName: string; vip: string; instance: string; seconds: number },
  onEvent: (event: TimelineEvent) => void,
): { stop: () => Promise<void> } {
  const seconds = Math.ceil(options.seconds);
  const vipPattern = new RegExp(`\\binet ${options.vip.replace(/\./g, '\\.')}/`);
  const addresses = ssh.stream(`timeout ${seconds} ip -o monitor address dev ${options.interfaceName}`, (line) => {
    if (!vipPattern.test(line)) return;
    onEvent({ t: Date.now(), kind: 'vip', node, action: line.startsWith('Deleted') ? 'removed' : 'added' });
  });
  const statePattern = new RegExp(`\\(${options.instance}\\) Entering (\\w+) STATE`);
  const journal = ssh.stream(`timeout ${seconds} journalctl -u keepalived -f -n 0 -o cat`, (line) => {
    const match = statePattern.exec(line);
    if (match?.[1]) onEvent({ t: Date.now(), kind: 'vrrp-state', node, state: match[1], source: 'journal' });
  });
  return {
    async stop() {
      addresses.stop();
      journal.stop();
      await Promise.allSettled([addresses.done, journal.done]);
    },
  };
}
