import { expect } from 'chai';
import { LabError } from '../../src/errors.js';
import { withTcpCheck } from '../../src/render/tcp-check-variant.js';
import { tcpCheckTiming } from '../../src/scenario/faults/backend-down.js';
import { faultCatalogue, faultNamed } from '../../src/scenario/faults/catalogue.js';
import { faultScenario, vrrpParameters } from '../../src/scenario/run.js';
import { loadSpec } from '../../src/spec/load.js';
import { vagrantPowerArgs } from '../../src/vagrant/node-power.js';
import { seedSpecPath } from '../helpers.js';

describe('the fault catalogue', () => {
  const spec = loadSpec(seedSpecPath);
  const vrrp = vrrpParameters(spec);
  const reboot = { seconds: 60, basis: 'a node reboots in ≤ 60 s' };

  it('names nine faults, each with a description, a target and a plan whose revert follows the fault inside the load', () => {
    expect(faultCatalogue.map((fault) => fault.name)).to.deep.equal(['link-down', 'keepalived-stop', 'keepalived-kill', 'node-crash', 'director-nginx-stop', 'backend-down', 'vrrp-partition', 'freeze', 'link-loss']);
    for (const fault of faultCatalogue) {
      expect(fault.description, fault.name).to.match(/\w/);
      const plan = faultScenario(fault, spec, reboot);
      expect(plan.fault?.name).to.equal(fault.name);
      expect(plan.faultAt, fault.name).to.be.lessThan(plan.revertAt);
      expect(plan.revertAt, fault.name).to.be.lessThan(plan.durationSeconds);
      // The master's settled counters are read after the takeover bound and the client's ARP move, before the revert's snapshot.
      expect(plan.faultAt + (plan.settleSeconds ?? 0), fault.name).to.be.lessThan(plan.revertAt - 1);
    }
  });

  it('has the faults whose command runs a program a node has not run before read it in before the load', () => {
    const prepared = Object.fromEntries(faultCatalogue.filter((fault) => fault.prepare).map((fault) => [fault.name, fault.prepare?.(spec)]));
    expect(prepared).to.deep.equal({
      'link-loss': 'modprobe sch_netem && tc qdisc show dev eth1 > /dev/null',
      'vrrp-partition': 'iptables-legacy -n -L INPUT > /dev/null',
    });
  });

  it('an unknown name is a usage error listing the catalogue', () => {
    expect(() => faultNamed('meteor')).to.throw(LabError, /unknown fault "meteor".*link-down, keepalived-stop/).with.property('code', 'USAGE');
  });

  it('derives each expectation from the VRRP settings: skew for a graceful stop, master-down for a kill, chk_nginx interval for the director nginx', () => {
    expect(faultNamed('keepalived-stop').expect(vrrp, spec, 'balancer1', reboot).takeover).to.include({ earliest: 0.805, bound: 1.305 });
    expect(faultScenario(faultNamed('director-nginx-stop'), spec, reboot).settleSeconds).to.be.closeTo(3.305 + 2.5, 1e-9);
    expect(faultNamed('keepalived-kill').expect(vrrp, spec, 'balancer1', reboot).takeover).to.include({ earliest: 2.805, latest: 3.805, bound: 4.305 });
    expect(faultNamed('director-nginx-stop').expect(vrrp, spec, 'balancer1', reboot).takeover).to.include({ latest: 2.805, bound: 3.305 });
    const partition = faultNamed('vrrp-partition').expect(vrrp, spec, 'balancer2', reboot);
    expect(partition).to.include({ outcome: 'split-brain' });
    expect(partition.expectedToFail).to.deep.equal(['split-brain']);
    expect(faultNamed('backend-down').expect(vrrp, spec, 'backend2', reboot).backend).to.deep.equal({ backend: 'backend2', healthChecked: false, failedShare: 0.5 });
  });

  it('the TCP_CHECK variant hands IPVS to keepalived and its timing decides the backend-down bound', () => {
    const checked = withTcpCheck(spec);
    expect(checked.service.ipvs).to.equal('keepalived');
    const conf = checked.nodes.find((node) => node.name === 'balancer1')?.keepalivedConf ?? '';
    expect(conf).to.include('virtual_server 172.28.128.200 80 {').and.include('TCP_CHECK {').and.include('vrrp_instance VI_1');
    expect(tcpCheckTiming(checked)).to.deep.equal({ delayLoop: 2, connectTimeout: 1, retry: 1, delayBeforeRetry: 1 });
    expect(faultNamed('backend-down').expect(vrrp, checked, 'backend2', reboot).backend).to.deep.equal({ backend: 'backend2', healthChecked: true, failuresWithinSeconds: 4.5 });
  });

  it('vagrant powers a machine with halt --force, up --no-provision, suspend and resume', () => {
    expect(vagrantPowerArgs('balancer1', 'kill')).to.deep.equal(['halt', '--force', 'balancer1']);
    expect(vagrantPowerArgs('balancer1', 'boot')).to.deep.equal(['up', '--no-provision', 'balancer1']);
    expect(vagrantPowerArgs('balancer1', 'freeze')).to.deep.equal(['suspend', 'balancer1']);
    expect(vagrantPowerArgs('balancer1', 'thaw')).to.deep.equal(['resume', 'balancer1']);
  });
});
