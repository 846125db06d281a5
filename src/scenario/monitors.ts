import { splitIpMonitorStamp, splitJournalStamp } from '../parse/node-time.js';
import type { Communicator } from '../ssh/communicator.js';
import type { NodeClock } from './node-clock.js';
import type { TimelineEvent } from './timeline.js';

/**
 * Event streams from a balancer, stamped with the node's own clock (a busy uml node delivers a line
 * a second or more after the fact):
 * - `ip -o -ts monitor address` on the lab interface: the VIP added or removed, the moment it happens;
 * - keepalived's journal: its own "Entering X STATE" transitions.
 * Both are bounded by `timeout`, so nothing outlives the scenario on the node.
 */
export function watchBalancer(
  ssh: Communicator,
  node: string,
  options: { interfaceName: string; vip: string; instance: string; seconds: number; clock: NodeClock },
  onEvent: (event: TimelineEvent) => void,
): { stop: () => Promise<void> } {
  const seconds = Math.ceil(options.seconds);
  const { clock } = options;
  const vipPattern = new RegExp(`\\binet ${options.vip.replace(/\./g, '\\.')}/`);
  // -ts prints local time without a zone: the node's zone is pinned to UTC for it.
  const addresses = ssh.stream(`TZ=UTC timeout ${seconds} ip -o -ts monitor address dev ${options.interfaceName}`, (line) => {
    const { ms, rest } = splitIpMonitorStamp(line);
    if (!vipPattern.test(rest)) return;
    onEvent({ t: clock.toLocal(ms, Date.now()), kind: 'vip', node, action: rest.startsWith('Deleted') ? 'removed' : 'added' });
  });
  const statePattern = new RegExp(`\\(${options.instance}\\) Entering (\\w+) STATE`);
  const journal = ssh.stream(`timeout ${seconds} journalctl -u keepalived -f -n 0 -o short-unix`, (line) => {
    const { ms, rest } = splitJournalStamp(line);
    const match = statePattern.exec(rest);
    if (match?.[1]) onEvent({ t: clock.toLocal(ms, Date.now()), kind: 'vrrp-state', node, state: match[1], source: 'journal' });
  });
  return {
    async stop() {
      addresses.stop();
      journal.stop();
      await Promise.allSettled([addresses.done, journal.done]);
    },
  };
}
