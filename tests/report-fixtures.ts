import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { failoverChecks, measure } from '../src/checks/failover-checks.js';
import { runRecord, type RunRecord } from '../src/report/run-record.js';
import type { ScenarioResult } from '../src/scenario/timeline.js';
import { fixture, tempDir } from './helpers.js';

/** The recorded real run, judged as lab:failover judges it: what its result.json would hold. */
export function recordedRunRecord(): RunRecord {
  const result = JSON.parse(fixture('failover-result-seed-uml.json')) as ScenarioResult;
  const measures = measure(result);
  return runRecord(result, failoverChecks(result, measures), measures);
}

export const hostile = '<script>alert(1)</script></script><img src=x onerror=alert(2)>';

/** The recorded run with attacker-chosen text everywhere a lab, a spec or a student puts text. */
export function hostileRunRecord(): RunRecord {
  const record = recordedRunRecord();
  const rename = (node: string) => (node === 'balancer1' ? `balancer1${hostile}` : node);
  return {
    ...record,
    lab: hostile,
    scenario: `scenario ${hostile}`,
    vrrp: { ...record.vrrp, master: rename(record.vrrp.master), priorities: Object.fromEntries(Object.entries(record.vrrp.priorities).map(([node, p]) => [rename(node), p])) },
    events: record.events.map((event) => ('node' in event ? { ...event, node: rename(event.node) } : event)),
    checks: record.checks.map((check) => ({ ...check, title: `${check.title} ${hostile}`, reason: `${check.reason} ${hostile}` })),
    ipvsText: { [`balancer1${hostile}`]: { before: hostile, after: '</pre></script>' } },
  };
}

/** A run folder holding only the given result.json, as a report reads it. */
export function resultDir(parent: string, name: string, record: object): string {
  const dir = path.join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'result.json'), JSON.stringify(record));
  return dir;
}

export const tempReportsDir = () => tempDir('failover-lab-report-');
