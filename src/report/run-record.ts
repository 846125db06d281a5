import type { CheckResult, FailoverMeasures } from '../checks/failover-checks.js';
import type { ScenarioResult } from '../scenario/timeline.js';

/** What a run's result.json holds: the recorded scenario with its checks and figures. Reports read only this. */
export type RunRecord = ScenarioResult & { checks: CheckResult[]; measures: FailoverMeasures };

export function runRecord(result: ScenarioResult, checks: CheckResult[], measures: FailoverMeasures): RunRecord {
  return { ...result, checks, measures };
}
