import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { connectNode, withNodes } from '../../src/lab/access.js';
import { scenarioConvergenceTimeoutMs, waitForConvergence } from '../../src/lab/convergence.js';
import { probeNode } from '../../src/lab/node-probe.js';
import { labPaths, requireLabMeta } from '../../src/lab/state.js';
import { runFailover, type FailoverRun } from '../../src/scenario/failover.js';
import type { ConnectionsResult } from '../../src/scenario/connections-plan.js';
import { seedScenario } from '../../src/scenario/run.js';
import type { Communicator } from '../../src/ssh/communicator.js';
import { silentProgress } from '../../src/util/progress.js';
import { seedText, tempFile } from '../helpers.js';
import { runCli, useLab } from './cli.js';

/** Every check of a run must pass; a failing one shows its own reason. */
function expectAllPass(run: FailoverRun): void {
  for (const check of run.checks) expect(check.pass, `${check.title}: ${check.reason}\n(report: ${run.reportDir})`).to.equal(true);
  expect(run.checks.map((check) => check.id)).to.deep.equal(['before-fault', 'failover', 'balance', 'continuity', 'split-brain', 'failback']);
}

describe('failover of the seed lab under load (acceptance)', function () {
  this.timeout(180_000);
  const lab = 'failover';
  const paths = labPaths(lab);
  useLab(lab);

  it('with a new connection per request: balancer2 takes over within the VRRP bound, the load stays balanced, balancer1 preempts back', async () => {
    const run = await runFailover(paths, requireLabMeta(paths, lab), seedScenario, silentProgress);
    expectAllPass(run);
    expect(run.measures.failoverSeconds).to.be.within(2.3, 4.31); // 2.8–3.8 s by VRRP, less GARP/monitor jitter
    expect(run.result.load.answered).to.be.greaterThan(1000);
    // The seed's evidence: balancer2's counters, zero before the fault, show the load after it.
    const stats = run.result.ipvsText.balancer2;
    expect(stats?.before).to.match(/TCP\s+172\.28\.128\.200:80\s+0\s+0\s+0\s+0\s+0/);
    expect(stats?.after).not.to.match(/TCP\s+172\.28\.128\.200:80\s+0\s/);
    // What a grader reads.
    expect(existsSync(path.join(run.reportDir, 'result.json'))).to.equal(true);
    expect(readFileSync(path.join(run.reportDir, 'report.html'), 'utf8')).to.include('id="chart-data"');
    expect(readFileSync(path.join(run.reportDir, 'summary.md'), 'utf8')).to.include('## Verdict: PASS (6/6 checks)');
  });

  it('with keep-alive connections: the same checks pass (balance judged on IPVS, which balances connections)', async () => {
    const run = await runFailover(paths, requireLabMeta(paths, lab), { ...seedScenario, mode: 'keep-alive' }, silentProgress);
    expectAllPass(run);
    expect(run.result.load.answered).to.be.greaterThan(3000);
  });

  it('npm run lab:failover prints the verdict and exits 0', async () => {
    const cli = await runCli(['failover', '--name', lab]);
    expect(cli.code, cli.stdout + cli.stderr).to.equal(0);
    expect(cli.stdout).to.include('## Verdict: PASS').and.to.include('ipvsadm -Ln --stats');
    expect(cli.stderr).to.match(/report: .*summary\.md/);
  });

  it('npm run lab:connections (homework Q1): ActiveConn while 12 connections are held, InActConn after the close until tcpfin; the node keeps its own timeout', async () => {
    // After the runs above IPVS still holds thousands of their closed connections: the scenario tells its own apart.
    const cli = await runCli(['connections', '--name', lab, '--connections', '12', '--hold', '3', '--fin-timeout', '6']);
    expect(cli.code, cli.stdout + cli.stderr).to.equal(0);
    expect(cli.stdout).to.include('## Verdict: PASS').and.to.include('InActConn');
    const dir = /report: (.*)\/report\.html/.exec(cli.stderr)?.[1] ?? '';
    const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as ConnectionsResult & { checks: { id: string; pass: boolean }[] };
    expect(result.connections).to.have.length(12);
    expect(result.timeouts.run.tcpfin).to.equal(6);
    expect(result.checks.map((check) => `${check.id} ${check.pass}`)).to.deep.equal(['active-while-open true', 'inactive-after-close true', 'forgotten-after-timeout true', 'scheduled-round-robin true']);
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).to.include('id="chart-data"');
    const timeout = await runCli(['exec', '--name', lab, result.master, 'ipvsadm', '-l', '--timeout']);
    expect(timeout.stdout).to.include(`Timeout (tcp tcpfin udp): ${result.timeouts.node.tcp} ${result.timeouts.node.tcpfin} ${result.timeouts.node.udp}`);
    expect(result.timeouts.node.tcpfin).to.equal(120);
  });

  it('waits for a balancer whose keepalived started late to preempt, so the fault hits the real master', async () => {
    const meta = requireLabMeta(paths, lab);
    await withNodes(paths, meta, async (sessions) => {
      const [first, second] = [sessions.get('balancer1')!, sessions.get('balancer2')!];
      const balancer2 = meta.spec.nodes.find((node) => node.name === 'balancer2')!;
      try {
        await first.execChecked('systemctl stop keepalived');
        const deadline = Date.now() + 20_000;
        while (!(await probeNode(meta.spec, balancer2, second)).holdsVip) expect(Date.now(), 'balancer2 never took the VIP').to.be.below(deadline);
        // balancer1 comes back as BACKUP under balancer2 and preempts one master-down interval later.
        await first.execChecked('systemctl start keepalived');
        const started = Date.now();
        // A probe that hangs is sent again over a new connection, as the scenarios do.
        const spares: Communicator[] = [];
        const fresh = async (node: string) => {
          const session = await connectNode(paths, meta, node);
          spares.push(session);
          return session;
        };
        const probes = await waitForConvergence(meta.spec, new Map([['balancer1', first], ['balancer2', second]]), scenarioConvergenceTimeoutMs, fresh).finally(() => spares.forEach((session) => session.close()));
        expect([...probes].filter(([, probe]) => probe.holdsVip).map(([name]) => name)).to.deep.equal(['balancer1']);
        expect(probes.get('balancer1')?.keepalived).to.equal('MASTER');
        expect(Date.now() - started, 'the master-down interval (3 × advert_int + skew) has to pass').to.be.above(3_000);
      } finally {
        await first.exec('systemctl start keepalived');
      }
    });
  });
});

describe('failover with nopreempt in the spec (acceptance)', function () {
  this.timeout(180_000);
  const lab = 'nopreempt';
  const paths = labPaths(lab);
  useLab(lab, ['--spec', tempFile('nopreempt.yaml', seedText().replace('preempt: true', 'preempt: false'))]);

  it('the balancer that took over keeps the VIP after the first one comes back (whichever came up first is master)', async () => {
    const run = await runFailover(paths, requireLabMeta(paths, lab), seedScenario, silentProgress);
    expectAllPass(run);
    expect(run.measures.failbackAt).to.equal(undefined);
    expect(run.checks.find((check) => check.id === 'failback')?.title).to.include('nopreempt');
  });
});
