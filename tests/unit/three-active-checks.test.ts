import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { asExpected } from '../../src/checks/failover-checks.js';
import { faultChecks } from '../../src/checks/fault-checks.js';
import { instanceView } from '../../src/checks/instance-view.js';
import { judgeRun } from '../../src/checks/judge.js';
import { loadReportAssets } from '../../src/report/html/assets.js';
import { chartData } from '../../src/report/html/chart-data.js';
import { renderRunReport } from '../../src/report/html/run-report.js';
import { runRecord } from '../../src/report/run-record.js';
import { renderSummary } from '../../src/report/summary.js';
import type { ScenarioResult, TimelineEvent } from '../../src/scenario/timeline.js';
import { fixture, repoRoot } from '../helpers.js';

/** A real run of `lab:failover --spec lab/three-active.yaml` (link-down on balancer1) on uml: see tests/fixtures/README.md. */
const recorded = (): ScenarioResult => JSON.parse(gunzipSync(readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'three-active', 'link-down.json.gz'))).toString('utf8')) as ScenarioResult;
const verdicts = (result: ScenarioResult) => Object.fromEntries(judgeRun(result).checks.map((check) => [check.id, check.pass]));
const reasonOf = (result: ScenarioResult, id: string) => judgeRun(result).checks.find((check) => check.id === id)?.reason ?? '';
const loadStart = (result: ScenarioResult) => result.events.find((e) => e.kind === 'phase' && e.name === 'load-start')!.t;

describe('three active balancers: checks over N balancers on a recorded run', () => {
  it('passes the recorded run: VI_1 moves to balancer2 and back, VI_2 and VI_3 stay and answer throughout, all balanced', () => {
    const result = recorded();
    const { checks, measures } = judgeRun(result);
    expect(checks.filter((check) => !asExpected(check)).map((check) => `${check.id}: ${check.reason}`)).to.deep.equal([]);
    expect(checks.map((check) => check.id)).to.deep.equal([
      'vip-placement',
      'VI_1/before-fault', 'VI_1/failover', 'VI_1/balance', 'VI_1/continuity', 'VI_1/split-brain', 'VI_1/failback',
      'VI_2/stays', 'VI_2/answers', 'VI_3/stays', 'VI_3/answers',
      'balance-all',
    ]);
    expect(measures.failoverSeconds).to.be.within(2, 4.2);
    expect(reasonOf(result, 'vip-placement')).to.include('172.28.128.200: balancer1 → balancer2 (moved').and.to.include('172.28.128.201: balancer2 → balancer2');
    // Each VIP's requests add up to the whole load.
    const perVip = Object.values(result.load.perVip ?? {});
    expect(perVip).to.have.length(3);
    expect(perVip.reduce((sum, counts) => sum + counts.sent, 0)).to.equal(result.load.sent);
  });

  it('sees one VIP through its own events: the moved VIP judged as the seed judges its one VIP', () => {
    const result = recorded();
    const view = instanceView(result, result.vrrp.instances![0]!);
    expect(view.events.every((e) => !('vip' in e) || e.vip === undefined || e.vip === '172.28.128.200')).to.equal(true);
    expect(view.events.some((e) => e.kind === 'fault')).to.equal(true);
    expect(view.load.sent).to.equal(result.load.perVip?.['172.28.128.200']?.sent);
    expect(faultChecks(view).every(asExpected)).to.equal(true);
  });

  it('fails when a second VIP moves too: the placement and that VIP\'s stay', () => {
    const result = recorded();
    const at = loadStart(result) + 8_000;
    const moved: TimelineEvent[] = [
      { t: at, kind: 'vip', node: 'balancer2', action: 'removed', vip: '172.28.128.201' },
      { t: at + 100, kind: 'vip', node: 'balancer3', action: 'added', vip: '172.28.128.201' },
    ];
    const broken = { ...result, events: [...result.events, ...moved].sort((a, b) => a.t - b.t) };
    const verdict = verdicts(broken);
    expect(verdict['vip-placement']).to.equal(false);
    expect(verdict['VI_2/stays']).to.equal(false);
    expect(verdict['VI_3/stays']).to.equal(true);
    expect(reasonOf(broken, 'vip-placement')).to.include('172.28.128.201: balancer2 → balancer3 — expected balancer2 → balancer2');
  });

  it('fails a steady VIP that lost one request, and the lab balance when one balancer scheduled to one backend only', () => {
    const result = recorded();
    const failed: TimelineEvent = { t: loadStart(result) + 9_000, kind: 'request-failed', error: 'ECONNRESET', connection: 2, vip: '172.28.128.202' };
    const perVip = { ...result.load.perVip!, '172.28.128.202': { ...result.load.perVip!['172.28.128.202']!, failed: 1, answered: result.load.perVip!['172.28.128.202']!.answered - 1 } };
    const lost = { ...result, load: { ...result.load, perVip }, events: [...result.events, failed].sort((a, b) => a.t - b.t) };
    expect(verdicts(lost)['VI_3/answers']).to.equal(false);
    expect(reasonOf(lost, 'VI_3/answers')).to.include('1 failed');

    const skewed = {
      ...result,
      events: result.events.map((e) => (e.kind === 'ipvs' && e.node === 'balancer3' && e.label === 'before-revert' ? { ...e, perBackend: { backend1: (e.perBackend.backend1 ?? 0) + (e.perBackend.backend2 ?? 0), backend2: 0 } } : e)),
    };
    expect(verdicts(skewed)['balance-all']).to.equal(false);
    expect(reasonOf(skewed, 'balance-all')).to.match(/IPVS balancer3 during the fault: backend1 \d+, backend2 -?\d+ \(differ by/);
  });

  it('leaves a two-balancer run judged as before', () => {
    const seed = JSON.parse(fixture('failover-result-seed-uml.json')) as ScenarioResult;
    expect(judgeRun(seed).checks).to.deep.equal(faultChecks(seed));
  });

  it('reports each VIP in the summary: who held it during the fault, its gap, its requests', () => {
    const result = recorded();
    const { checks, measures } = judgeRun(result);
    const summary = renderSummary(result, checks, measures);
    expect(summary).to.match(/\| 172\.28\.128\.200 \| VI_1 \| balancer1 \| balancer2 after \d\.\d\d s \| \d\.\d\d s \|/);
    expect(summary).to.match(/\| 172\.28\.128\.202 \| VI_3 \| balancer3 \| stays \| - \|/);
    expect(summary).to.include('balancer1 holds 172.28.128.200').and.to.include('keepalived VI_1 enters FAULT');
  });

  it('shows each VIP in report.html too; its chart bands follow the VIP the fault moves', () => {
    const result = recorded();
    const { checks, measures } = judgeRun(result);
    const record = runRecord(result, checks, measures);
    const html = renderRunReport(record, loadReportAssets());
    expect(html).to.include('<h2>Each VIP</h2>').and.to.match(/<td>172\.28\.128\.201<\/td><td>VI_2<\/td><td>balancer2<\/td><td>stays<\/td>/);
    expect(html).to.include('Bands: who holds 172.28.128.200, the VIP the fault moves');
    const bands = chartData(record).vipHolders.map((span) => span.holders.join('+'));
    expect(bands).to.include('balancer2').and.not.to.include('balancer3');
  });
});

describe('report.html of a fault whose expected effect is a FAIL', () => {
  it('says PASS when every check saw what the fault should make (vrrp-partition: the split brain)', () => {
    const result = JSON.parse(gunzipSync(readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'faults', 'vrrp-partition.json.gz'))).toString('utf8')) as ScenarioResult;
    const { checks, measures } = judgeRun(result);
    expect(checks.find((check) => check.id === 'split-brain')).to.include({ pass: false, expected: 'fail' });
    const html = renderRunReport(runRecord(result, checks, measures), loadReportAssets());
    expect(html).to.match(/Verdict: <span class="pass">PASS<\/span> \(\d+\/\d+ checks as the fault should make them\)/);
    expect(html).to.include('<span class="fail">FAIL</span> (expected: the fault makes this fail)');
  });
});
