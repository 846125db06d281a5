import type { TimelineEvent } from '../scenario/timeline.js';

/**
 * The load client's entries that balancers held in their IPVS tables before the load (recorded as
 * 'ipvs-entries'): a new connection from a reused source port matches such an entry and goes to
 * its old backend without being scheduled. Results recorded before these events count none.
 */
export function leftoverEntries(events: TimelineEvent[], nodes?: string[]): { count: number; text: string } {
  let count = 0;
  const byNode: Record<string, number> = {};
  const byState: Record<string, number> = {};
  for (const event of events) {
    if (event.kind !== 'ipvs-entries' || (nodes && !nodes.includes(event.node))) continue;
    count += event.count;
    byNode[event.node] = (byNode[event.node] ?? 0) + event.count;
    for (const [state, n] of Object.entries(event.byState)) byState[state] = (byState[state] ?? 0) + n;
  }
  const holders = Object.entries(byNode).filter(([, n]) => n > 0).map(([node, n]) => `${node} held ${n}`).join(', ');
  const states = Object.entries(byState).map(([state, n]) => `${n} ${state}`).join(', ');
  return { count, text: `${holders} connection entries of this client from earlier load (${states})` };
}

/**
 * Whether leftover entries may explain an imbalance of the client's shares: when there are more of
 * them than the difference a phase allows, its shares say as much about earlier load as about the
 * scheduler, so they are reported and IPVS's own shares are judged.
 */
export function leftoverNote(leftover: { count: number; text: string }, allowed: number): string | undefined {
  if (leftover.count <= allowed) return undefined;
  return `reported, not judged: before the load ${leftover.text}, which send reused source ports to their old backends`;
}
