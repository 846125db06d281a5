import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { failoverChecks, measure } from '../src/checks/failover-checks.js';
import { runRecord, type RunRecord } from '../src/report/run-record.js';
import type { ScenarioResult } from '../src/scenario/timeline.js';
import { fixture } from './helpers.js';

/** The recorded real run, judged as lab:failover judges it: what its result.json would hold. */
export function recordedRunRecord(): RunRecord {
  const result = JSON.parse(fixture('failover-result-seed-uml.json')) as ScenarioResult;
  const measures = measure(result);
  return runRecord(result, failoverChecks(result, measures), measures);
}

/** A run folder holding only the given result.json, as a report reads it. */
export function resultDir(parent: string, name: string, record: object): string {
  const dir = path.join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'result.json'), JSON.stringify(record));
  return dir;
}

export const tempReportsDir = () => mkdtempSync(path.join(os.tmpdir(), 'failover-lab-report-'));
