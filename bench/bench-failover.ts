/**
 * npm run bench:failover — the seed scenario 5 times on one lab, and figures to reports/bench-failover.json:
 * the distribution of failover time and client-visible outage, answers/s through the VIP in both
 * load modes, and the share of each run spent outside the scenario's load (setup and teardown).
 * Then every other fault of the catalogue BENCH_FAULT_RUNS times (default 3) on the same lab, and
 * backend-down on a lab with keepalived's TCP_CHECK: failover, outage, failed requests, VRRP
 * transitions and how many runs showed the fault's expected outcome.
 * Then the zero-loss profile and the three active balancers (lab/three-active.yaml: figures of the VIP
 * that moves, failed requests over all three) beside the seed (bench-zero-loss.ts): failed requests,
 * outage, failover time. And the seed through Vagrant on libvirt (BENCH_LIBVIRT_RUNS per load mode).
 * Figures, not assertions: the machines here are noisy.
 */
import os from 'node:os';
import { upLab } from '../src/lab/up.js';
import { downLab } from '../src/lab/down.js';
import { labPaths } from '../src/lab/state.js';
import { runFailover } from '../src/scenario/failover.js';
import { seedScenario, vrrpParameters } from '../src/scenario/run.js';
import type { LoadMode } from '../src/scenario/timeline.js';
import { loadSpec } from '../src/spec/load.js';
import { defaultSpecPath } from '../src/util/paths.js';
import { takeoverWindow } from '../src/checks/vrrp-timing.js';
import { runBench } from './bench-report.js';
import { benchFaults } from './bench-faults.js';
import { silentProgress } from '../src/util/progress.js';
import { benchProfile, benchZeroLoss, compareProfiles, comparisonTable } from './bench-zero-loss.js';
import { projectRoot } from '../src/util/paths.js';
import path from 'node:path';
import { withTcpCheck } from '../src/render/tcp-check-variant.js';

const runs = Number(process.env.BENCH_RUNS ?? 5);
/** Runs per fault of the catalogue (and of backend-down with TCP_CHECK); 0 leaves them out. */
const faultRuns = Number(process.env.BENCH_FAULT_RUNS ?? 3);
/** Runs per load mode of the seed on a Vagrant lab on libvirt; 0 leaves it out. */
const libvirtRuns = Number(process.env.BENCH_LIBVIRT_RUNS ?? 3);
const round = (value: number) => Math.round(value * 1000) / 1000;

/** backend-down again on a lab whose IPVS is keepalived's virtual_server with TCP_CHECK. */
async function benchTcpCheckLab(count: number): Promise<Record<string, unknown>> {
  const spec = withTcpCheck(loadSpec(defaultSpecPath, { name: 'bench-failover-hc' }));
  await downLab(spec.name, silentProgress);
  try {
    const { meta } = await upLab(spec, silentProgress, 'uml');
    const figures = await benchFaults(labPaths(spec.name), meta, count, 'backend-down');
    return { 'backend-down (TCP_CHECK)': figures['backend-down'] };
  } finally {
    await downLab(spec.name, silentProgress);
  }
}

function distribution(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: round(sorted[0] ?? 0), median: round(sorted[Math.floor(sorted.length / 2)] ?? 0), max: round(sorted.at(-1) ?? 0), all: values.map(round) };
}

runBench('bench-failover', async () => {
  const spec = loadSpec(defaultSpecPath, { name: 'bench-failover' });
  const paths = labPaths(spec.name);
  await downLab(spec.name, silentProgress);
  const upStarted = Date.now();
  const { meta } = await upLab(spec, silentProgress, 'uml');
  const upSeconds = (Date.now() - upStarted) / 1000;
  let faults: Record<string, unknown> = {};
  const rows: { mode: LoadMode; passed: boolean; failed: number; failover?: number; outage: number; answersPerSecond: number; wallSeconds: number; outsideShare: number }[] = [];
  try {
    const modes: LoadMode[] = [...Array.from({ length: runs }, () => 'new-connection' as const), 'keep-alive'];
    for (const mode of modes) {
      const started = Date.now();
      const run = await runFailover(paths, meta, { ...seedScenario, mode }, silentProgress);
      const wallSeconds = (Date.now() - started) / 1000;
      rows.push({
        mode,
        passed: run.passed,
        failed: run.result.load.failed,
        failover: run.measures.failoverSeconds,
        outage: run.measures.outageSeconds,
        answersPerSecond: run.result.load.requestsPerSecond,
        wallSeconds,
        outsideShare: 1 - seedScenario.durationSeconds / wallSeconds,
      });
      process.stderr.write(`${mode}: failover ${run.measures.failoverSeconds ?? 'never'} s, outage ${run.measures.outageSeconds} s, ${run.passed ? 'PASS' : 'FAIL'} (${wallSeconds.toFixed(1)} s)\n`);
    }
    if (faultRuns > 0) faults = await benchFaults(paths, meta, faultRuns, 'catalogue');
  } finally {
    await downLab(spec.name, silentProgress);
  }
  const tcpCheck = faultRuns > 0 ? await benchTcpCheckLab(faultRuns) : {};
  // The zero-loss profile, after the seed's lab is gone (one lab at a time), and both side by side.
  const seedLoadAverage = os.loadavg();
  const zeroLoss = await benchZeroLoss(runs);
  const threeActive = await benchProfile(path.join(projectRoot, 'lab', 'three-active.yaml'), 'ta-bench', runs);
  // The seed again through Vagrant on libvirt (whole Debian kernels; emulated where KVM does not run).
  const onLibvirt = libvirtRuns > 0 ? await benchProfile(defaultSpecPath, 'seed-libvirt-bench', libvirtRuns, 'vagrant') : undefined;
  const profiles = compareProfiles({ seed: rows, 'zero-loss': zeroLoss.rows, 'three-active': threeActive.rows, ...(onLibvirt ? { 'seed on libvirt': onLibvirt.rows } : {}) });
  process.stderr.write(`\n${comparisonTable(profiles)}\n(load average after the seed's runs ${seedLoadAverage.map((v) => v.toFixed(2)).join(' ')}, after the zero-loss runs ${zeroLoss.loadAverage.after.join(' ')}, after the three-active runs ${threeActive.loadAverage.after.join(' ')})\n\n`);
  const seed = rows.filter((row) => row.mode === 'new-connection');
  const vrrp = vrrpParameters(spec);
  const bound = takeoverWindow(vrrp.priorities[vrrp.backup] ?? 0, vrrp.advertInt).bound;
  return {
    scenario: seedScenario,
    runs: seed.length,
    passedRuns: seed.filter((row) => row.passed).length,
    failoverSeconds: distribution(seed.map((row) => row.failover ?? Number.NaN)),
    failoverWithinRfcBound: `${seed.filter((row) => row.failover !== undefined && row.failover <= bound).length}/${seed.length}`,
    outageSeconds: distribution(seed.map((row) => row.outage)),
    answersPerSecond: {
      'new-connection': distribution(seed.map((row) => row.answersPerSecond)),
      'keep-alive': distribution(rows.filter((row) => row.mode === 'keep-alive').map((row) => row.answersPerSecond)),
    },
    scenarioWallSeconds: distribution(seed.map((row) => row.wallSeconds)),
    shareOutsideLoad: distribution(seed.map((row) => row.outsideShare)),
    labUpSecondsBeforeRuns: round(upSeconds),
    targets: { failoverWithinRfcBound: '5/5', scenarioWallSeconds: 30 },
    faultRuns,
    faults: { ...faults, ...tcpCheck },
    profiles,
    profileLoadAverage: { seedAfter: seedLoadAverage.map((v) => Math.round(v * 100) / 100), zeroLoss: zeroLoss.loadAverage, threeActive: threeActive.loadAverage },
    profileTargets: { 'zero-loss': { failedRequests: 0, failoverSeconds: 0.5 } },
  };
});
