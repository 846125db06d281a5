import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckResult, FailoverMeasures } from '../checks/failover-checks.js';
import type { ScenarioResult } from '../scenario/timeline.js';
import { projectRoot } from '../util/paths.js';

export function reportsDir(): string {
  return process.env.FAILOVER_LAB_REPORTS ?? path.join(projectRoot, 'reports');
}

/** Writes result.json (the whole timeline, checks, figures) and summary.md into dir (default reports/<run-id>/). */
export function writeRunReport(result: ScenarioResult, checks: CheckResult[], measures: FailoverMeasures, summary: string, dir = path.join(reportsDir(), result.runId)): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'result.json'), `${JSON.stringify({ ...result, checks, measures }, null, 1)}\n`);
  writeFileSync(path.join(dir, 'summary.md'), summary);
  return dir;
}
