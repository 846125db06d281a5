import { setTimeout as sleep } from 'node:timers/promises';
import type { TimelineEvent } from './timeline.js';

const pollMs = 250;

/**
 * The instant the master took the VIP back after `since`, once the backup has also let it go (its
 * latest VIP event is a removal, or it never held it); undefined if that has not happened by
 * `until`. Read from the watchers' events as they are recorded (the same event the failback check
 * measures from). `events` only grows: each poll reads just what came since the last one (a
 * minute of load records thousands of responses).
 */
export async function failbackSeen(events: readonly TimelineEvent[], roles: { master: string; backup: string }, since: number, until: number): Promise<number | undefined> {
  let read = 0;
  let taken: number | undefined;
  let backupLast: { t: number; action: 'added' | 'removed' } | undefined;
  for (;;) {
    for (; read < events.length; read += 1) {
      const event = events[read];
      if (event?.kind !== 'vip') continue;
      if (event.node === roles.master && event.action === 'added' && event.t >= since && taken === undefined) taken = event.t;
      if (event.node === roles.backup && (backupLast === undefined || event.t >= backupLast.t)) backupLast = { t: event.t, action: event.action };
    }
    if (taken !== undefined && (backupLast === undefined || backupLast.action === 'removed')) return taken;
    if (Date.now() >= until) return undefined;
    await sleep(Math.min(pollMs, Math.max(0, until - Date.now())));
  }
}
