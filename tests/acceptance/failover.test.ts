import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { connectNode, withNodes } from '../../src/lab/access.js';
import { scenarioConvergenceTimeoutMs, waitForConvergence } from '../../src/lab/convergence.js';
import { probeNode } from '../../src/lab/node-probe.js';
import { labPaths, requireLabMeta, type LabMeta, type LabPaths } from '../../src/lab/state.js';
import type { CheckResult } from '../../src/checks/failover-checks.js';
import type { RunRecord } from '../../src/report/run-record.js';
import { runFailover } from '../../src/scenario/failover.js';
import { watchBalancer } from '../../src/scenario/monitors.js';
import { readNodeClock } from '../../src/scenario/node-clock.js';
import type { ConnectionsResult } from '../../src/scenario/connections-plan.js';
import { seedScenario } from '../../src/scenario/run.js';
import type { Communicator } from '../../src/ssh/communicator.js';
import { silentProgress } from '../../src/util/progress.js';
import { seedText, tempFile } from '../helpers.js';
import { runCli, useLab } from './cli.js';

/** Sectors each uml node has written to its root disk since it booted (/proc/diskstats, ubda). */
function sectorsWritten(paths: LabPaths, meta: LabMeta): Promise<Map<string, number>> {
  return withNodes(paths, meta, async (sessions) => {
    const read = async ([node, ssh]: [string, Communicator]) => [node, Number((await ssh.execChecked(`awk '$3 == "ubda" { print $10 }' /proc/diskstats`)).stdout.trim())] as const;
    return new Map(await Promise.all([...sessions].map(read)));
  });
}

/** Every check of a run must pass; a failing one shows its own reason. */
function expectAllPass(checks: CheckResult[], reportDir: string): void {
  for (const check of checks) expect(check.pass, `${check.title}: ${check.reason}\n(report: ${reportDir})`).to.equal(true);
  expect(checks.map((check) => check.id)).to.deep.equal(['before-fault', 'failover', 'balance', 'continuity', 'split-brain', 'failback']);
}

describe('failover of the seed lab under load (acceptance)', function () {
  this.timeout(180_000);
  const lab = 'failover';
  const paths = labPaths(lab);
  useLab(this, lab, [], 2); // bad-input and crash-cleanup before it: ~20 s

  it('npm run lab:failover, a new connection per request: balancer2 takes over within the VRRP bound, the load stays balanced, balancer1 preempts back; the verdict printed, exit 0', async () => {
    const cli = await runCli(['failover', '--name', lab]);
    expect(cli.code, cli.stdout + cli.stderr).to.equal(0);
    expect(cli.stdout).to.include('## Verdict: PASS (6/6 checks)').and.to.include('ipvsadm -Ln --stats');
    const reportDir = /report: (.*)\/report\.html/.exec(cli.stderr)?.[1] ?? '';
    expect(reportDir, cli.stderr).not.to.equal('');
    // What a grader reads: the run as recorded.
    const run = JSON.parse(readFileSync(path.join(reportDir, 'result.json'), 'utf8')) as RunRecord;
    expectAllPass(run.checks, reportDir);
    expect(run.scenario).to.equal(seedScenario.name);
    expect(run.measures.failoverSeconds).to.be.within(2.3, 4.31); // 2.8–3.8 s by VRRP, less GARP/monitor jitter
    expect(run.load.answered).to.be.greaterThan(1000);
    // The load starts when the worker starts sending (its spawn took up to 3.5 s): no answer before it, the first soon after.
    const loadStart = run.events.find((event) => event.kind === 'phase' && event.name === 'load-start')?.t ?? Infinity;
    const firstAnswer = Math.min(...run.events.filter((event) => event.kind === 'response').map((event) => event.t));
    expect(firstAnswer - loadStart, 'ms from load-start to the first answer').to.be.within(0, 2_000);
    // The seed's evidence: balancer2's counters, zero before the fault, show the load after it.
    const stats = run.ipvsText.balancer2;
    expect(stats?.before).to.match(/TCP\s+172\.28\.128\.200:80\s+0\s+0\s+0\s+0\s+0/);
    expect(stats?.after).not.to.match(/TCP\s+172\.28\.128\.200:80\s+0\s/);
    expect(readFileSync(path.join(reportDir, 'report.html'), 'utf8')).to.include('id="chart-data"');
    expect(readFileSync(path.join(reportDir, 'summary.md'), 'utf8')).to.include('## Verdict: PASS (6/6 checks)');
  });

  it('with keep-alive connections: the same checks pass (balance judged on IPVS, which balances connections)', async () => {
    const before = await sectorsWritten(paths, requireLabMeta(paths, lab));
    const run = await runFailover(paths, requireLabMeta(paths, lab), { ...seedScenario, mode: 'keep-alive' }, silentProgress);
    expectAllPass(run.checks, run.reportDir);
    expect(run.result.load.answered).to.be.greaterThan(3000);
    // What the lab writes while it runs stays in the nodes' memory (box/overlay/etc/fstab): uml's
    // disk I/O was seen to stall nodes for minutes once written to. nginx's access log alone would
    // be over 150 KB per backend here; 128 sectors (64 KB) leave room for the root file system's
    // own (a first run after provisioning still flushes some of it: 40 KB seen).
    const after = await sectorsWritten(paths, requireLabMeta(paths, lab));
    for (const [node, sectors] of after) expect(sectors - (before.get(node) ?? 0), `sectors ${node} wrote to its disk during the run`).to.be.below(128);
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

  it('calls VRRP settled only once no balancer has changed state for the master-down interval, as a scenario waits before its load', async () => {
    const meta = requireLabMeta(paths, lab);
    const spec = meta.spec;
    await withNodes(paths, meta, async (sessions) => {
      const backup = sessions.get('balancer2')!;
      const seen: string[] = [];
      let lastChangeAt: number | undefined;
      const watcher = watchBalancer(backup, 'balancer2', { interfaceName: spec.lab.interface, vips: [spec.vip.address], instances: [spec.vrrp.instance], seconds: 60, clock: await readNodeClock(backup) }, (event) => {
        if (event.kind !== 'vrrp-state') return;
        seen.push(event.state);
        lastChangeAt = Date.now();
      });
      try {
        await new Promise((resolve) => setTimeout(resolve, 1_000)); // the monitors start
        // The backup's link flaps: FAULT, then BACKUP again. balancer1 stays master throughout, so
        // every probe after the flap says "settled"; only the transitions seen say "not yet".
        await backup.execChecked(`ip link set down ${spec.lab.interface}; sleep 1; ip link set up ${spec.lab.interface}`);
        const deadline = Date.now() + 20_000;
        while (!seen.includes('BACKUP')) {
          expect(Date.now(), `balancer2's FAULT and return were not seen (seen: ${seen.join(', ')})`).to.be.below(deadline);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const forMs = 4_000;
        const probes = await waitForConvergence(spec, sessions, scenarioConvergenceTimeoutMs, undefined, { lastChangeAt: () => lastChangeAt, forMs });
        expect(seen).to.include.members(['FAULT', 'BACKUP']);
        expect(Date.now() - lastChangeAt!, 'settled before the quiet period passed').to.be.at.least(forMs);
        expect(probes.get('balancer1')?.keepalived).to.equal('MASTER');
        expect(probes.get('balancer2')?.keepalived).to.equal('BACKUP');
      } finally {
        await backup.exec(`ip link set up ${spec.lab.interface}`);
        await watcher.stop();
      }
    });
  });
});

describe('failover with nopreempt in the spec (acceptance)', function () {
  this.timeout(180_000);
  const lab = 'nopreempt';
  const paths = labPaths(lab);
  useLab(this, lab, ['--spec', tempFile('nopreempt.yaml', seedText().replace('preempt: true', 'preempt: false'))]);

  it('the balancer that took over keeps the VIP after the first one comes back (whichever came up first is master)', async () => {
    const run = await runFailover(paths, requireLabMeta(paths, lab), seedScenario, silentProgress);
    expectAllPass(run.checks, run.reportDir);
    expect(run.measures.failbackAt).to.equal(undefined);
    expect(run.checks.find((check) => check.id === 'failback')?.title).to.include('nopreempt');
  });
});
