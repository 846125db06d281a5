import { expect } from 'chai';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gradeSubmission, type GradeOutcome } from '../../src/grade/grade-submission.js';
import { labPaths } from '../../src/lab/state.js';
import { loadSpec } from '../../src/spec/load.js';
import type { Progress } from '../../src/util/progress.js';
import { ownPidNamespace, pidNamespaceOf } from '../../src/util/procfs.js';
import { repoRoot, seedSpecPath } from '../helpers.js';
import { leftovers, processesInNamespace, processesMentioning } from './cli.js';

const seed = loadSpec(seedSpecPath);
const corpus = (name: string) => path.join(repoRoot, 'tests', 'fixtures', 'submissions', name, 'submission');

/** Records each step's time, to say where a submission's time goes. */
function timingProgress(steps: string[]): Progress {
  return {
    async step(label, work) {
      const started = Date.now();
      try {
        return await work();
      } finally {
        steps.push(`${((Date.now() - started) / 1000).toFixed(1)} s  ${label}`);
      }
    },
    info: () => undefined,
  };
}

/** The PID namespace of the lab's sandbox once its holder runs (polled while the grader works). */
function watchNamespace(lab: string): { namespace: () => string | undefined; stop: () => void } {
  let found: string | undefined;
  const timer = setInterval(() => {
    // The unshare process is in ours; the holder it forks is the sandbox's PID namespace init.
    for (const holder of processesMentioning(labPaths(lab).holderScript)) {
      const namespace = pidNamespaceOf(Number(holder.split(':')[0]));
      if (namespace && namespace !== ownPidNamespace()) found ??= namespace;
    }
  }, 200);
  return { namespace: () => found, stop: () => clearInterval(timer) };
}

function expectNothingLeft(lab: string, namespace: string | undefined): void {
  const paths = labPaths(lab);
  expect(existsSync(paths.dir), paths.dir).to.equal(false);
  expect(existsSync(paths.failedLogs), paths.failedLogs).to.equal(false);
  expect(leftovers(paths.dir)).to.deep.equal([]);
  if (namespace) expect(processesInNamespace(namespace)).to.deep.equal([]);
}

function failing(outcome: GradeOutcome): string[] {
  return outcome.report.criteria.filter((criterion) => !criterion.pass).map((criterion) => `${criterion.id}: ${criterion.message}`);
}

describe('grading a submission in a lab of its own (acceptance)', function () {
  this.timeout(300_000);

  it('the seed answer passes every criterion, in its own lab, which is then removed', async () => {
    const steps: string[] = [];
    const lab = 'gl-seed-answer';
    const watch = watchNamespace(lab);
    const started = Date.now();
    const outcome = await gradeSubmission(corpus('seed-answer'), { seed, lang: 'en', labName: lab, timeoutMs: 240_000, progress: timingProgress(steps) });
    watch.stop();
    console.log(`      seed answer graded in ${((Date.now() - started) / 1000).toFixed(1)} s:\n        ${steps.join('\n        ')}`);
    expect(failing(outcome)).to.deep.equal([]);
    expect(outcome.report).to.include({ verdict: 'pass', score: 12, maxScore: 12 });
    expect(outcome.evidence.ipvsStats.map((stats) => stats.title)).to.have.length(4);
    expect(outcome.evidence.ipvsStats[0]!.text).to.match(/TCP\s+172\.28\.128\.200:80/);
    expect(outcome.evidence.scenarioSummary).to.include('## Verdict: PASS');
    expect(outcome.evidence.roles).to.have.length(2);
    expectNothingLeft(lab, watch.namespace());
  });

  it('virtual_server blocks: keepalived\'s own IPVS serves and fails over (no ipvsadm rules applied)', async () => {
    const lab = 'gl-virtual-server';
    const outcome = await gradeSubmission(corpus('virtual-server-folder'), { seed, lang: 'en', labName: lab, timeoutMs: 240_000, progress: timingProgress([]) });
    expect(failing(outcome)).to.deep.equal([]);
    expect(outcome.report.verdict).to.equal('pass');
    expect(outcome.evidence.labNotes.join('\n')).to.include('virtual_server');
    // keepalived's service on the backup too (it sets IPVS up on both), counters from zero before the fault.
    expect(outcome.evidence.ipvsStats.find((stats) => stats.title.startsWith('balancer2') && stats.title.includes('before'))?.text).to.match(/TCP\s+172\.28\.128\.200:80\s+0\s/);
    expectNothingLeft(lab, undefined);
  });

  it('a vrrp_script that always fails: the lab does not serve, the verdict is fail with keepalived\'s own log lines, nothing is left', async () => {
    const lab = 'gl-failing-check';
    const work = mkdtempSync(path.join(os.tmpdir(), 'gl-failing-check-'));
    cpSync(corpus('seed-answer'), work, { recursive: true });
    const homework = path.join(work, 'homework.md');
    writeFileSync(homework, readFileSync(homework, 'utf8').replaceAll('script "systemctl status nginx"', 'script "/bin/false"'));
    const outcome = await gradeSubmission(work, { seed, lang: 'en', labName: lab, timeoutMs: 240_000, progress: timingProgress([]) });
    expect(outcome.report.verdict, failing(outcome).join('\n')).to.equal('fail');
    expect(outcome.report.criteria.find((criterion) => criterion.id === 'config-valid')?.pass).to.equal(true);
    const vip = outcome.report.criteria.find((criterion) => criterion.id === 'vip-serves')!;
    expect(vip.pass).to.equal(false);
    expect(vip.evidence.join('\n')).to.match(/VIP_NOT_SERVING|VRRP_NOT_CONVERGED/);
    const logs = outcome.evidence.nodeLogs.flatMap((log) => log.lines).join('\n');
    expect(logs).to.match(/chk_nginx|FAULT/);
    expectNothingLeft(lab, undefined);
  });

  it('a timeout: verdict error "timed out", the lab removed and no process of it left', async () => {
    const lab = 'gl-timeout';
    const watch = watchNamespace(lab);
    const started = Date.now();
    const outcome = await gradeSubmission(corpus('seed-answer'), { seed, lang: 'en', labName: lab, timeoutMs: 10_000, progress: timingProgress([]) });
    watch.stop();
    expect(outcome.report.verdict).to.equal('error');
    // Where it was stuck: the lab's step then running (at 10 s: provisioning or waiting for the VIP).
    expect(outcome.report.criteria.find((criterion) => criterion.id === 'failover')?.message).to.match(/timed out after 10 s, in: [a-zA-Z].* \(for \d+\.\d s\)/);
    expect(Date.now() - started).to.be.below(60_000);
    expect(watch.namespace(), 'the lab had started when the time ran out').to.be.a('string');
    expectNothingLeft(lab, watch.namespace());
  });
});
