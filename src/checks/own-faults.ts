import type { ScenarioResult, TimelineEvent } from '../scenario/timeline.js';

/** A balancer entering keepalived's FAULT state when no fault of the scenario was on it. */
export interface OwnFault {
  node: string;
  /** Seconds after the load started (negative: before it). */
  at: number;
}

/** keepalived logs FAULT a moment after a link goes down; it may log it again just after the link returns. */
const FAULT_LOG_GRACE_MS = 1_000;

/**
 * FAULT states the scenario does not explain. Our fault explains FAULT on its own node between its
 * inject and its revert; any other FAULT comes from the configuration itself: a track_script whose
 * vrrp_script fails or outlasts its timeout, a tracked interface or file. Pure, over the recorded run.
 */
export function ownFaults(result: ScenarioResult): OwnFault[] {
  const events = [...result.events].sort((a, b) => a.t - b.t);
  const loadStart = events.find((event) => event.kind === 'phase' && event.name === 'load-start')?.t ?? result.startedAt;
  const faults = events.filter((event): event is Extract<TimelineEvent, { kind: 'fault' }> => event.kind === 'fault');
  const explained = (node: string, t: number) =>
    faults.some((inject) => {
      // From when its command began on the node: keepalived may log FAULT before the command returns.
      if (inject.action !== 'inject' || inject.node !== node || t < (inject.startedAt ?? inject.t)) return false;
      const revert = faults.find((event) => event.action === 'revert' && event.node === node && event.t >= inject.t);
      return revert === undefined || t <= revert.t + FAULT_LOG_GRACE_MS;
    });
  const lastState = new Map<string, string>();
  const found: OwnFault[] = [];
  for (const event of events) {
    if (event.kind !== 'vrrp-state') continue;
    const entering = event.state === 'FAULT' && lastState.get(event.node) !== 'FAULT';
    lastState.set(event.node, event.state);
    if (entering && !explained(event.node, event.t)) found.push({ node: event.node, at: Math.round(event.t - loadStart) / 1000 });
  }
  return found;
}
