import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckResult, FailoverMeasures } from '../checks/failover-checks.js';
import type { ScenarioResult } from '../scenario/timeline.js';
import { projectRoot } from '../util/paths.js';
import { loadReportAssets } from './html/assets.js';
import { renderRunReport } from './html/run-report.js';
import { renderConnectionsReport } from './html/connections-report.js';
import type { ConnectionsResult } from '../scenario/connections-plan.js';
import { runRecord } from './run-record.js';

export function reportsDir(): string {
  return process.env.FAILOVER_LAB_REPORTS ?? path.join(projectRoot, 'reports');
}

/** Writes result.json (the whole timeline, checks, figures), summary.md and report.html into dir (default reports/<run-id>/). */
export function writeRunReport(result: ScenarioResult, checks: CheckResult[], measures: FailoverMeasures, summary: string, dir = path.join(reportsDir(), result.runId)): string {
  mkdirSync(dir, { recursive: true });
  const record = runRecord(result, checks, measures);
  writeFileSync(path.join(dir, 'result.json'), `${JSON.stringify(record, null, 1)}\n`);
  writeFileSync(path.join(dir, 'summary.md'), summary);
  writeFileSync(path.join(dir, 'report.html'), renderRunReport(record, loadReportAssets()));
  return dir;
}

/** Writes a connections run's result.json (with its checks), summary.md and report.html into dir (default reports/<run-id>/). */
export function writeConnectionsReport(result: ConnectionsResult, checks: CheckResult[], summary: string, dir = path.join(reportsDir(), result.runId)): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'result.json'), `${JSON.stringify({ ...result, checks }, null, 1)}\n`);
  writeFileSync(path.join(dir, 'summary.md'), summary);
  writeFileSync(path.join(dir, 'report.html'), renderConnectionsReport(result, checks, loadReportAssets()));
  return dir;
}
