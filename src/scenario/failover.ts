import { asExpected, type CheckResult, type FailoverMeasures } from '../checks/failover-checks.js';
import { judgeRun } from '../checks/judge.js';
import type { LabMeta, LabPaths } from '../lab/state.js';
import { renderSummary } from '../report/summary.js';
import { writeRunReport } from '../report/write.js';
import type { Progress } from '../util/progress.js';
import { runScenario, type ScenarioPlan } from './run.js';
import type { ScenarioResult } from './timeline.js';

export interface FailoverRun {
  result: ScenarioResult;
  checks: CheckResult[];
  measures: FailoverMeasures;
  summary: string;
  reportDir: string;
  /** Every check saw what the fault should make: a PASS, or the FAIL the fault is expected to cause. */
  passed: boolean;
}

/** Runs the scenario, judges it and writes its report (into reportDir, default reports/<run-id>/): what `lab:failover`, the grader and the tests share. */
export async function runFailover(paths: LabPaths, meta: LabMeta, plan: ScenarioPlan, progress: Progress, reportDir?: string): Promise<FailoverRun> {
  const result = await runScenario(paths, meta, plan, progress);
  const { checks, measures } = judgeRun(result);
  const summary = renderSummary(result, checks, measures);
  const written = writeRunReport(result, checks, measures, summary, reportDir);
  return { result, checks, measures, summary, reportDir: written, passed: checks.every(asExpected) };
}
