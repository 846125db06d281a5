/**
 * The zero-loss profile (lab/zero-loss.yaml) beside the seed in bench:failover: the same scenario
 * in both load modes on a lab of its own, and a side-by-side comparison of failed requests,
 * client-visible outage and failover time per profile and mode. Kept apart from the seed's section.
 */
import os from 'node:os';
import type { ProviderName } from '../src/lab/state.js';
import path from 'node:path';
import { downLab } from '../src/lab/down.js';
import { labPaths } from '../src/lab/state.js';
import { upLab } from '../src/lab/up.js';
import { runFailover } from '../src/scenario/failover.js';
import { seedScenario } from '../src/scenario/run.js';
import type { LoadMode } from '../src/scenario/timeline.js';
import { loadSpec } from '../src/spec/load.js';
import { projectRoot } from '../src/util/paths.js';
import { silentProgress } from '../src/util/progress.js';

export interface ProfileRun {
  mode: LoadMode;
  passed: boolean;
  failed: number;
  failover?: number;
  outage: number;
}

const modes: LoadMode[] = ['new-connection', 'keep-alive'];
const round = (value: number) => Math.round(value * 1000) / 1000;
const loadAverage = () => os.loadavg().map((value) => Math.round(value * 100) / 100);

function spread(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: round(sorted[0] ?? Number.NaN), median: round(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN), max: round(sorted.at(-1) ?? Number.NaN), all: values.map(round) };
}

/** `runs` runs per load mode of the zero-loss lab, brought up for them and removed after. */
export function benchZeroLoss(runs: number): Promise<ProfileBench> {
  return benchProfile(path.join(projectRoot, 'lab', 'zero-loss.yaml'), 'zl-bench', runs);
}

export interface ProfileBench {
  rows: ProfileRun[];
  loadAverage: { before: number[]; after: number[] };
}

/** `runs` runs per load mode of the spec's lab (under `labName`, on `provider`), brought up for them and removed after. */
export async function benchProfile(specPath: string, labName: string, runs: number, provider: ProviderName = 'uml'): Promise<ProfileBench> {
  const spec = loadSpec(specPath, { name: labName });
  const profile = path.basename(specPath, '.yaml');
  const paths = labPaths(spec.name);
  const before = loadAverage();
  await downLab(spec.name, silentProgress);
  const { meta } = await upLab(spec, silentProgress, provider);
  const rows: ProfileRun[] = [];
  try {
    for (const mode of modes) {
      for (let i = 0; i < runs; i += 1) {
        const run = await runFailover(paths, meta, { ...seedScenario, mode }, silentProgress);
        rows.push({ mode, passed: run.passed, failed: run.result.load.failed, failover: run.measures.failoverSeconds, outage: run.measures.outageSeconds });
        process.stderr.write(`${profile} ${mode}: failover ${run.measures.failoverSeconds ?? 'never'} s, outage ${run.measures.outageSeconds} s, ${run.result.load.failed} failed, ${run.passed ? 'PASS' : 'FAIL'} (load ${loadAverage().join(' ')})\n`);
      }
    }
  } finally {
    await downLab(spec.name, silentProgress);
  }
  return { rows, loadAverage: { before, after: loadAverage() } };
}

/** Per profile and mode: how many runs, how many lost nothing, and the spread of each figure. */
export function compareProfiles(profiles: Record<string, ProfileRun[]>) {
  return Object.fromEntries(
    Object.entries(profiles).map(([profile, rows]) => [
      profile,
      Object.fromEntries(
        modes.map((mode) => {
          const own = rows.filter((row) => row.mode === mode);
          return [mode, {
            runs: own.length,
            passedRuns: own.filter((row) => row.passed).length,
            runsWithoutFailedRequests: own.filter((row) => row.failed === 0).length,
            failedRequests: spread(own.map((row) => row.failed)),
            outageSeconds: spread(own.map((row) => row.outage)),
            failoverSeconds: spread(own.map((row) => row.failover ?? Number.NaN)),
          }];
        }),
      ),
    ]),
  );
}

/** The comparison as a plain-text table for the terminal (medians, min–max in brackets). */
export function comparisonTable(comparison: ReturnType<typeof compareProfiles>): string {
  const cell = (figure: { min: number; median: number; max: number }) => `${figure.median} [${figure.min}–${figure.max}]`;
  const lines = [['profile', 'mode', 'runs', 'failed requests', 'outage s', 'failover s', 'runs with 0 failed']];
  for (const [profile, byMode] of Object.entries(comparison)) {
    for (const [mode, figures] of Object.entries(byMode)) {
      if (figures.runs === 0) continue;
      lines.push([profile, mode, String(figures.runs), cell(figures.failedRequests), cell(figures.outageSeconds), cell(figures.failoverSeconds), `${figures.runsWithoutFailedRequests}/${figures.runs}`]);
    }
  }
  const widths = lines[0]!.map((_, column) => Math.max(...lines.map((line) => line[column]!.length)));
  return lines.map((line) => line.map((text, column) => text.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}
