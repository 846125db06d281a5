import type { RunInstance, ScenarioResult, TimelineEvent } from '../scenario/timeline.js';

/**
 * A run on a lab of several VRRP instances, seen as if one instance's VIP were the lab's only one:
 * its requests, its VIP's moves, its keepalived states and IPVS counters, and everything of the
 * run itself (phases, the fault, power). The two-balancer checks then judge it unchanged.
 */
export function instanceView(result: ScenarioResult, instance: RunInstance): ScenarioResult {
  const counts = result.load.perVip?.[instance.vip] ?? { sent: 0, answered: 0, failed: 0, unfinished: 0 };
  const { instances: _all, ...vrrp } = result.vrrp;
  return {
    ...result,
    vrrp: { ...vrrp, priorities: instance.priorities, master: instance.master, backup: instance.backup },
    load: { ...result.load, ...counts, requestsPerSecond: Math.round((counts.answered / result.load.durationSeconds) * 10) / 10, perVip: undefined },
    events: result.events.filter((event) => belongsTo(event, instance)),
    // The fault is this instance's only when it hits its master: for the others it is the run's backdrop.
    fault: result.fault?.node === instance.master ? result.fault : undefined,
  };
}

function belongsTo(event: TimelineEvent, instance: RunInstance): boolean {
  switch (event.kind) {
    case 'response':
    case 'request-failed':
    case 'vip':
    case 'ipvs':
    case 'ipvs-entries':
      return event.vip === undefined || event.vip === instance.vip;
    case 'vrrp-state':
      return event.instance === undefined || event.instance === instance.name;
    default:
      return true;
  }
}

/** The instance a run's fault moves (whose master it hits), else the first. */
export function focusInstance(result: ScenarioResult): RunInstance | undefined {
  const instances = result.vrrp.instances;
  return instances?.find((instance) => instance.master === result.vrrp.master) ?? instances?.[0];
}

/** The run as its focus instance sees it; a run with one VIP as it is. */
export function focusView(result: ScenarioResult): ScenarioResult {
  const focus = focusInstance(result);
  return focus ? instanceView(result, focus) : result;
}
