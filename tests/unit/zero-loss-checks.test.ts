import { expect } from 'chai';
import { failoverChecks, measure } from '../../src/checks/failover-checks.js';
import { lossBreakdown } from '../../src/checks/zero-loss.js';
import type { ScenarioResult } from '../../src/scenario/timeline.js';
import { fixture } from '../helpers.js';

/** Real recorded runs of the zero-loss lab (lab/zero-loss.yaml) on uml, one per load mode. */
const keepAlive = (): ScenarioResult => JSON.parse(fixture('failover-result-zero-loss-keep-alive-uml.json')) as ScenarioResult;
const newConnection = (): ScenarioResult => JSON.parse(fixture('failover-result-zero-loss-new-connection-uml.json')) as ScenarioResult;
const seed = (): ScenarioResult => JSON.parse(fixture('failover-result-seed-uml.json')) as ScenarioResult;

const continuity = (result: ScenarioResult) => failoverChecks(result).find((check) => check.id === 'continuity')!;

describe('zero-loss profile: the continuity check requires 0 failed requests', () => {
  it('passes the recorded keep-alive run: every established connection continued through balancer2', () => {
    const result = keepAlive();
    expect(result.vrrp.syncConnections).to.equal(true);
    expect(result.load.failed).to.equal(0);
    const check = continuity(result);
    expect(check.pass, check.reason).to.equal(true);
    expect(check.reason).to.include('zero-loss profile (IPVS connections synced to the backup): 0 failed requests required, 0 failed');
  });

  it('fails the same run with one request reset at the failover, and says where it fell', () => {
    const result = keepAlive();
    const m = measure(result);
    result.events.push({ t: m.faultAt + 600, kind: 'request-failed', error: 'ECONNRESET', connection: 3 });
    result.events.sort((a, b) => a.t - b.t);
    result.load = { ...result.load, sent: result.load.sent + 1, failed: 1 };
    const check = continuity(result);
    expect(check.pass).to.equal(false);
    expect(check.reason).to.include('0 failed requests required, 1 failed (1 at the failover, 0 at the failback, 0 before the fault)');
  });

  it('fails the recorded new-connection run: one request reset at each handover, though its outage is within the bound', () => {
    const result = newConnection();
    const m = measure(result);
    expect(lossBreakdown(result.events, m)).to.deep.equal({ failed: 2, atFailover: 1, atFailback: 1, beforeFault: 0 });
    const check = continuity(result);
    expect(check.pass).to.equal(false);
    expect(check.reason).to.include('0 failed requests required, 2 failed (1 at the failover, 1 at the failback, 0 before the fault)');
    // Without the profile's promise the same run passes: the extra requirement is what fails it.
    const { syncConnections: _dropped, ...withoutSync } = result.vrrp;
    const plain = continuity({ ...result, vrrp: withoutSync });
    expect(plain.pass, plain.reason).to.equal(true);
    expect(plain.reason).not.to.include('zero-loss');
  });

  it('leaves the seed run as it was judged: its 15 failed requests are allowed, and no zero-loss words', () => {
    const check = continuity(seed());
    expect(seed().load.failed).to.equal(15);
    expect(check.reason).not.to.include('zero-loss');
    expect(check.pass, check.reason).to.equal(true);
  });

  it('judges the sub-second timing from the spec: takeover bound 0.88 s, outage bound 3.64 s at advert_int 0.1', () => {
    const checks = failoverChecks(newConnection());
    expect(checks.find((check) => check.id === 'failover')?.reason).to.include('VRRP: 0.28 s–0.38 s, bound 0.88 s');
    expect(checks.find((check) => check.id === 'continuity')?.reason).to.include('bound 3.64 s');
  });
});
