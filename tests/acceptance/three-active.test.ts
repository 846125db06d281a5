import { expect } from 'chai';
import path from 'node:path';
import { asExpected } from '../../src/checks/failover-checks.js';
import { labPaths, requireLabMeta } from '../../src/lab/state.js';
import { runFailover, type FailoverRun } from '../../src/scenario/failover.js';
import { seedScenario } from '../../src/scenario/run.js';
import { silentProgress } from '../../src/util/progress.js';
import { repoRoot } from '../helpers.js';
import { runCli, useLab } from './cli.js';

const threeActive = path.join(repoRoot, 'lab', 'three-active.yaml');
/** Every check with its verdict and figures, for a failure's message: CI keeps no report folder. */
const shown = (run: FailoverRun) => [...run.checks.map((check) => `${check.id} ${check.pass ? 'pass' : 'FAIL'}: ${check.reason}`), `(report: ${run.reportDir})`].join('\n');

/**
 * Homework question 3, three active balancers (lab/three-active.yaml): three VRRP instances, three
 * VIPs, each balancer MASTER of one; the load spread over the three VIPs; balancer1's link cut.
 */
describe('three active balancers under the failover scenario (acceptance)', function () {
  this.timeout(180_000);
  const lab = 'three-active';
  const paths = labPaths(lab);
  useLab(this, lab, ['--spec', threeActive]);

  it('lab:status: each balancer holds its own VIP, keepalived MASTER of its instance and BACKUP of the others, IPVS on every VIP', async () => {
    const status = await runCli(['status', '--name', lab]);
    expect(status.code, status.stderr).to.equal(0);
    expect(status.stdout).to.include('VIPs 172.28.128.200 held by balancer1, 172.28.128.201 held by balancer2, 172.28.128.202 held by balancer3');
    expect(status.stdout).to.match(/^balancer2 +balancer +running +\S+ +172\.28\.128\.20 +VI_1 BACKUP, VI_2 MASTER, VI_3 BACKUP +172\.28\.128\.201 +yes$/m);
    const lo = await runCli(['exec', '--name', lab, 'backend2', 'ip', '-o', '-4', 'addr', 'show', 'dev', 'lo']);
    for (const vip of ['172.28.128.200', '172.28.128.201', '172.28.128.202']) expect(lo.stdout).to.include(`inet ${vip}/32`);
  });

  it('link down on balancer1: only its VIP moves (to balancer2, then back), the other two keep answering every request, all balanced', async () => {
    const run = await runFailover(paths, requireLabMeta(paths, lab), seedScenario, silentProgress);
    expect(run.checks.filter((check) => !asExpected(check)).map((check) => check.id), shown(run)).to.deep.equal([]);
    expect(run.checks.map((check) => check.id)).to.include.members(['vip-placement', 'VI_1/failover', 'VI_1/failback', 'VI_2/stays', 'VI_3/answers', 'balance-all']);
    expect(run.passed).to.equal(true);
    // The load went to all three VIPs, a third of the connections each.
    const perVip = run.result.load.perVip ?? {};
    expect(Object.keys(perVip).sort()).to.deep.equal(['172.28.128.200', '172.28.128.201', '172.28.128.202']);
    for (const counts of Object.values(perVip)) expect(counts.answered, shown(run)).to.be.above(500);
    expect(run.result.load.perVip?.['172.28.128.201']?.failed, shown(run)).to.equal(0);
  });

  it('refuses, before any lab work, a fault judged for two balancers only, naming the ones it runs', async () => {
    const result = await runCli(['failover', '--name', lab, '--spec', threeActive, '--fault', 'vrrp-partition']);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('vrrp-partition is judged for two balancers; lab "three-active" has 3 VRRP instances: use one of link-down, keepalived-stop, node-crash, freeze');
  });
});
