import os from 'node:os';
import type { LabMeta, LabPaths } from '../src/lab/state.js';
import { faultCatalogue, faultNamed } from '../src/scenario/faults/catalogue.js';
import { runFailover } from '../src/scenario/failover.js';
import { faultScenario } from '../src/scenario/run.js';
import { silentProgress } from '../src/util/progress.js';
import { providerFor } from '../src/provider/registry.js';

const round = (value: number) => Math.round(value * 1000) / 1000;
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : { min: round(sorted[0] ?? 0), median: round(sorted[Math.floor(sorted.length / 2)] ?? 0), max: round(sorted.at(-1) ?? 0), all: values.map(round) };
};

/**
 * Each fault (the whole catalogue but the seed's link-down, which the seed runs cover, or one
 * named fault) `count` times on a running lab, with its short plan: figures per fault.
 */
export async function benchFaults(paths: LabPaths, meta: LabMeta, count: number, which: 'catalogue' | string): Promise<Record<string, unknown>> {
  const definitions = which === 'catalogue' ? faultCatalogue.filter((fault) => fault.name !== 'link-down') : [faultNamed(which)];
  const figures: Record<string, unknown> = {};
  for (const definition of definitions) {
    const rows: { asExpected: boolean; failover?: number; outage: number; failed: number; transitions: number; failback?: number; wall: number; loadAverage: number }[] = [];
    const errors: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const started = Date.now();
      const loadAverage = os.loadavg()[0] ?? 0;
      // A run that cannot start (a node that does not answer) is counted and the bench goes on.
      const run = await runFailover(paths, meta, faultScenario(definition, meta.spec, providerFor(meta.provider).rebootAllowance(paths)), silentProgress).catch((error: unknown) => {
        errors.push(error instanceof Error ? error.message : String(error));
        process.stderr.write(`${definition.name} (${meta.name}): error: ${errors.at(-1)}\n`);
        return undefined;
      });
      if (!run) continue;
      const m = run.measures;
      rows.push({ asExpected: run.passed, failover: m.failoverSeconds, outage: m.outageSeconds, failed: run.result.load.failed, transitions: m.transitions, failback: m.failbackSeconds, wall: (Date.now() - started) / 1000, loadAverage });
      process.stderr.write(`${definition.name} (${meta.name}): failover ${m.failoverSeconds ?? 'none'} s, outage ${m.outageSeconds} s, ${run.result.load.failed} failed, ${m.transitions} transitions, ${run.passed ? 'as expected' : 'NOT as expected'} (${run.reportDir})\n`);
    }
    figures[definition.name] = {
      runs: count,
      asExpected: `${rows.filter((row) => row.asExpected).length}/${count}`,
      errors,
      failoverSeconds: summary(rows.flatMap((row) => (row.failover === undefined ? [] : [row.failover]))),
      failbackSeconds: summary(rows.flatMap((row) => (row.failback === undefined ? [] : [row.failback]))),
      outageSeconds: summary(rows.map((row) => row.outage)),
      failedRequests: summary(rows.map((row) => row.failed)),
      transitions: summary(rows.map((row) => row.transitions)),
      scenarioWallSeconds: summary(rows.map((row) => row.wall)),
      hostLoadAverage1m: summary(rows.map((row) => row.loadAverage)),
    };
  }
  return figures;
}
