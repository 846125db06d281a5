import type { TimelineEvent } from './timeline.js';

const pollMs = 250;

/**
 * The instant the master took the VIP back after `since`, once the backup has also let it go (its
 * last VIP event is a removal, or it never held it); undefined if that has not happened by
 * `until`. Read from the watchers' events as they are recorded (the same event the failback check
 * measures from).
 */
export async function failbackSeen(events: readonly TimelineEvent[], roles: { master: string; backup: string }, since: number, until: number): Promise<number | undefined> {
  for (;;) {
    const vipEvents = events.filter((event): event is Extract<TimelineEvent, { kind: 'vip' }> => event.kind === 'vip');
    const taken = vipEvents.find((event) => event.node === roles.master && event.action === 'added' && event.t >= since);
    const backupLast = vipEvents.filter((event) => event.node === roles.backup).sort((a, b) => a.t - b.t).at(-1);
    if (taken && (backupLast === undefined || backupLast.action === 'removed')) return taken.t;
    if (Date.now() >= until) return undefined;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, until - Date.now()))));
  }
}
