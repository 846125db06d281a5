import { measure, type CheckResult, type FailoverMeasures } from './failover-checks.js';
import { faultChecks } from './fault-checks.js';
import { focusView } from './instance-view.js';
import { multiVipChecks } from './multi-vip-checks.js';
import type { ScenarioResult } from '../scenario/timeline.js';

/** A recorded run's checks and figures: the fault's checks, or, on a lab of several VRRP instances, each VIP's and the lab's. Pure. */
export function judgeRun(result: ScenarioResult): { checks: CheckResult[]; measures: FailoverMeasures } {
  // The figures are the moved VIP's: its takeover, its clients' outage, its failback.
  const measures = measure(focusView(result));
  const checks = result.vrrp.instances ? multiVipChecks(result, measures) : faultChecks(result, measures);
  return { checks, measures };
}
