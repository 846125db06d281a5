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
  /** vips and instances: the spec's; with several, each event names its VIP or instance. */
  options: { interfaceName: string; vips: string[]; instances: string[]; seconds: number; clock: NodeClock },
  onEvent: (event: TimelineEvent) => void,
): { stop: () => Promise<void> } {
  const seconds = Math.ceil(options.seconds);
  const { clock } = options;
  const several = options.vips.length > 1;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const vipPattern = new RegExp(`\\binet (${options.vips.map(escape).join('|')})/`);
  // -ts prints local time without a zone: the node's zone is pinned to UTC for it.
  const addresses = ssh.stream(`TZ=UTC timeout ${seconds} ip -o -ts monitor address dev ${options.interfaceName}`, (line) => {
    const { ms, rest } = splitIpMonitorStamp(line);
    const vip = vipPattern.exec(rest)?.[1];
    if (vip === undefined) return;
    onEvent({ t: clock.toLocal(ms, Date.now()), kind: 'vip', node, action: rest.startsWith('Deleted') ? 'removed' : 'added', ...(several ? { vip } : {}) });
  });
  const statePattern = new RegExp(`\\((${options.instances.map(escape).join('|')})\\) Entering (\\w+) STATE`);
  const journal = ssh.stream(`timeout ${seconds} journalctl -u keepalived -f -n 0 -o short-unix`, (line) => {
    const { ms, rest } = splitJournalStamp(line);
    const match = statePattern.exec(rest);
    if (match?.[1] && match[2]) onEvent({ t: clock.toLocal(ms, Date.now()), kind: 'vrrp-state', node, state: match[2], source: 'journal', ...(several ? { instance: match[1] } : {}) });
  });
  return {
    async stop() {
      addresses.stop();
      journal.stop();
      await Promise.allSettled([addresses.done, journal.done]);
    },
  };
}
