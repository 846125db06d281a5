import { parseEpochRealtime } from '../parse/node-time.js';
import type { CommandRunner } from '../ssh/command-runner.js';

/**
 * A node's timestamps in the orchestrator's clock. A uml node reads the host's clock (offset 0); a
 * Vagrant VM's clock may be off, so the offset is measured once, to within half a round trip. A node
 * stamp is never taken as later than the line's arrival, and a node without stamps (no bash) falls
 * back to arrival times.
 */
export interface NodeClock {
  offsetMs: number;
  toLocal(nodeMs: number | undefined, arrivedAt: number): number;
}

/** The offset from one `echo $EPOCHREALTIME` between two local readings. */
export function nodeClockFrom(nodeMs: number | undefined, before: number, after: number): NodeClock {
  if (nodeMs === undefined) return { offsetMs: 0, toLocal: (_nodeMs, arrivedAt) => arrivedAt };
  // Within the round trip (and a little timer granularity): the same clock.
  const offsetMs = nodeMs >= before - 20 && nodeMs <= after + 20 ? 0 : Math.round(nodeMs - (before + after) / 2);
  return {
    offsetMs,
    toLocal: (stamp, arrivedAt) => (stamp === undefined ? arrivedAt : Math.min(arrivedAt, stamp - offsetMs)),
  };
}

export async function readNodeClock(ssh: CommandRunner): Promise<NodeClock> {
  const before = Date.now();
  const { stdout } = await ssh.execChecked('echo $EPOCHREALTIME', { timeoutMs: 15_000 });
  return nodeClockFrom(parseEpochRealtime(stdout), before, Date.now());
}
