import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { masterDownTakeover } from '../../src/checks/fault-expectation.js';
import { downLab } from '../../src/lab/down.js';
import { labPaths, requireLabMeta } from '../../src/lab/state.js';
import { upLab } from '../../src/lab/up.js';
import { withTcpCheck } from '../../src/render/tcp-check-variant.js';
import { faultNamed } from '../../src/scenario/faults/catalogue.js';
import { runFailover, type FailoverRun } from '../../src/scenario/failover.js';
import { faultScenario } from '../../src/scenario/run.js';
import type { TimelineEvent } from '../../src/scenario/timeline.js';
import { loadSpec } from '../../src/spec/load.js';
import { silentProgress } from '../../src/util/progress.js';
import { seedSpecPath } from '../helpers.js';
import { runCli, useLab } from './cli.js';
import { providerFor } from '../../src/provider/registry.js';

/** Runs one catalogue fault's short scenario on the lab. */
async function runFault(lab: string, name: string): Promise<FailoverRun> {
  const paths = labPaths(lab);
  const meta = requireLabMeta(paths, lab);
  return runFailover(paths, meta, faultScenario(faultNamed(name), meta.spec, providerFor(meta.provider).rebootAllowance(paths)), silentProgress);
}

/** The run showed what its fault should make: every check PASS, or the FAIL the fault is expected to cause. */
function expectAsExpected(run: FailoverRun): void {
  const failures = run.checks.filter((check) => (check.expected === 'fail' ? check.pass : check.expected !== 'either' && !check.pass));
  expect(failures.map((check) => `${check.id}${check.expected ? ` (expected ${check.expected})` : ''}: ${check.reason}`), `report: ${run.reportDir}`).to.deep.equal([]);
  expect(run.passed).to.equal(true);
  const recorded = JSON.parse(readFileSync(path.join(run.reportDir, 'result.json'), 'utf8')) as { fault?: { name: string; expectation: { says: string } } };
  expect(recorded.fault?.name).to.equal(run.result.fault?.name);
  expect(recorded.fault?.expectation.says).to.be.a('string').and.not.equal('');
}

const check = (run: FailoverRun, id: string) => run.checks.find((candidate) => candidate.id === id);
const powerActions = (run: FailoverRun) => run.result.events.filter((event): event is Extract<TimelineEvent, { kind: 'power' }> => event.kind === 'power').map((event) => `${event.node} ${event.action}`);

describe('the fault catalogue on one uml lab (acceptance)', function () {
  this.timeout(240_000);
  const lab = 'faults-acc';
  useLab(this, lab);

  it('keepalived-stop: the priority-0 advert hands the VIP over after the skew time, well before the master-down interval', async () => {
    const run = await runFault(lab, 'keepalived-stop');
    expectAsExpected(run);
    const takeover = run.result.fault?.expectation.takeover;
    expect(run.measures.failoverSeconds).to.be.at.most(takeover?.bound ?? 0);
    expect(run.measures.failoverSeconds).to.be.below(masterDownTakeover(run.result.vrrp).earliest);
  });

  it('keepalived-kill: takeover at the master-down interval, and the stale VIP left on the master is a split brain (expected FAIL)', async () => {
    const run = await runFault(lab, 'keepalived-kill');
    expectAsExpected(run);
    expect(check(run, 'split-brain')).to.include({ pass: false, expected: 'fail' });
    expect(run.measures.failoverSeconds).to.be.within(masterDownTakeover(run.result.vrrp).earliest - 1, masterDownTakeover(run.result.vrrp).bound);
    expect(run.summary).to.include('(expected: the fault makes this fail)');
  });

  it("director-nginx-stop: chk_nginx puts the master in FAULT, the VIP moves, and the report says the balancer's own nginx did it", async () => {
    const run = await runFault(lab, 'director-nginx-stop');
    expectAsExpected(run);
    const master = run.result.vrrp.master;
    expect(run.result.events.some((event) => event.kind === 'vrrp-state' && event.node === master && event.state === 'FAULT')).to.equal(true);
    expect(run.summary).to.include("the balancer's own nginx, not the backends, moved the VIP");
  });

  it('backend-down without health checks: the VIP stays, about half of the requests fail until nginx is back', async () => {
    const run = await runFault(lab, 'backend-down');
    expectAsExpected(run);
    expect(run.measures.takeoverAt).to.equal(undefined);
    expect(run.measures.transitions).to.equal(0);
    expect(run.result.load.failed).to.be.greaterThan(100);
  });

  it('vrrp-partition: both balancers become MASTER — the split-brain check FAILS, as it must — and it heals at the revert', async () => {
    const run = await runFault(lab, 'vrrp-partition');
    expectAsExpected(run);
    expect(check(run, 'split-brain')).to.include({ pass: false, expected: 'fail' });
    expect(check(run, 'both-masters')?.pass).to.equal(true);
    expect(check(run, 'healed')?.pass).to.equal(true);
  });

  it('link-loss: 30 % loss on the master; transitions and failed requests counted, the master alone holds the VIP after the revert', async () => {
    const run = await runFault(lab, 'link-loss');
    expectAsExpected(run);
    expect(run.measures.transitions).to.be.a('number');
    expect(check(run, 'split-brain')?.expected).to.equal('either');
    expect(check(run, 'healed')?.pass).to.equal(true);
  });

  it('freeze: the backup takes over; the thawed master, still MASTER with the VIP, wins it back within an advert', async () => {
    const run = await runFault(lab, 'freeze');
    expectAsExpected(run);
    const master = run.result.vrrp.master;
    expect(powerActions(run)).to.deep.equal([`${master} freeze`, `${master} thaw`]);
    // Each balancer's table was read before the load: the earlier faults' entries (FIN_WAIT for
    // 2 min) are what the balance check weighs the client's shares against.
    const tables = run.result.events.filter((event) => event.kind === 'ipvs-entries').map((event) => event.node);
    expect(tables.sort()).to.deep.equal([master, run.result.vrrp.backup].sort());
    // Back within an advert, or (its chk_nginx caught mid-run by the freeze) through FAULT and BACKUP.
    const failback = check(run, 'failback')?.reason ?? '';
    const withinAnAdvert = (run.measures.failbackSeconds ?? Infinity) <= (run.result.fault?.expectation.failback.bound ?? 0);
    expect(withinAnAdvert || failback.includes('through FAULT at'), failback).to.equal(true);
  });

  it('node-crash: the master VM is killed, the backup takes over, the master boots, is provisioned and preempts', async () => {
    const run = await runFault(lab, 'node-crash');
    expectAsExpected(run);
    const master = run.result.vrrp.master;
    expect(powerActions(run)).to.deep.equal([`${master} kill`, `${master} boot`]);
    expect(run.measures.failbackAt).to.be.a('number');
    expect(run.result.ipvsText[master]?.after).to.match(/TCP\s+172\.28\.128\.200:80/);
    // The load ran on 3 s past the failback, not to the end of the reboot's allowance.
    const ended = run.result.events.find((event) => event.kind === 'phase' && event.name === 'load ended 3 s after the failback');
    expect(ended?.t, 'the load ended after the failback').to.be.at.least((run.measures.failbackAt ?? Infinity) + 3_000);
    const meta = requireLabMeta(labPaths(lab), lab);
    const planned = faultScenario(faultNamed('node-crash'), meta.spec, providerFor(meta.provider).rebootAllowance(labPaths(lab))).durationSeconds;
    expect(run.result.load.durationSeconds).to.be.below(planned);
  });

  it('an unknown fault is a usage error that lists the catalogue', async () => {
    const cli = await runCli(['failover', '--name', lab, '--fault', 'meteor']);
    expect(cli.code).to.equal(2);
    expect(cli.stderr).to.include('unknown fault "meteor"').and.include('keepalived-stop').and.include('node-crash');
  });
});

describe('backend-down with keepalived virtual_server + TCP_CHECK (acceptance)', function () {
  this.timeout(240_000);
  const lab = 'faults-hc';

  before(async function () {
    this.timeout(300_000);
    await downLab(lab, silentProgress);
    await upLab(withTcpCheck(loadSpec(seedSpecPath, { name: lab })), silentProgress, 'uml');
  });
  after(async function () {
    this.timeout(60_000);
    await downLab(lab, silentProgress);
  });

  it('keepalived removes the stopped backend within delay_loop: failures stop, the other backend answers everything', async () => {
    const run = await runFault(lab, 'backend-down');
    expectAsExpected(run);
    expect(run.result.fault?.expectation.backend?.healthChecked).to.equal(true);
    const backend = run.result.fault?.node ?? '';
    const removed = run.result.events.find((event) => event.kind === 'ipvs' && event.node === run.result.vrrp.master && event.label === 'before-revert');
    expect(removed && removed.kind === 'ipvs' ? Object.keys(removed.perBackend) : []).not.to.include(backend);
  });
});
