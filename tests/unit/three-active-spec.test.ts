import { expect } from 'chai';
import { renderIpvsRules } from '../../src/render/ipvs.js';
import { renderKeepalivedConf } from '../../src/render/keepalived.js';
import { renderNodeEnv } from '../../src/render/node-env.js';
import { vrrpParameters } from '../../src/scenario/run.js';
import { loadSpec, parseSpec } from '../../src/spec/load.js';
import { findNode, vipAddresses, vrrpInstances } from '../../src/spec/types.js';
import { seedSpecPath, seedText } from '../helpers.js';
import { specRejection } from './spec-error.js';

const threeActivePath = seedSpecPath.replace(/seed\.yaml$/, 'three-active.yaml');

const specError = (text: string): string => specRejection(text).message;

/** The seed with vrrp.instances in place of its one instance: two balancers, two VIPs. */
function twoInstances(instances: string, drop: RegExp[] = [/^vip: .*$/m, /^  instance: VI_1$/m, /^  virtual_router_id: 33$/m, /^    vrrp_state: \w+$/gm, /^    priority: \d+$/gm]): string {
  let text = seedText();
  for (const pattern of drop) text = text.replace(pattern, '');
  return text.replace(/^vrrp:\n/m, `vrrp:\n  instances:\n${instances}`);
}

const instancesText = [
  '    - { name: VI_1, virtual_router_id: 51, vip: 172.28.128.200/24, priorities: { balancer1: 150, balancer2: 100 } }',
  '    - { name: VI_2, virtual_router_id: 52, vip: 172.28.128.201/24, priorities: { balancer2: 150, balancer1: 100 } }',
  '',
].join('\n');

describe('three active balancers: spec and rendering (homework Q3)', () => {
  const spec = loadSpec(threeActivePath);

  it('loads lab/three-active.yaml: three instances, each balancer master of one VIP; the first stands for the spec\'s VIP', () => {
    expect(vrrpInstances(spec).map((instance) => [instance.name, instance.virtualRouterId, instance.vip.address, instance.master])).to.deep.equal([
      ['VI_1', 51, '172.28.128.200', 'balancer1'],
      ['VI_2', 52, '172.28.128.201', 'balancer2'],
      ['VI_3', 53, '172.28.128.202', 'balancer3'],
    ]);
    expect(spec.vip.address).to.equal('172.28.128.200');
    expect(findNode(spec, 'balancer1')?.vrrp).to.deep.equal({ state: 'MASTER', priority: 150 });
    expect(findNode(spec, 'balancer3')?.vrrp).to.deep.equal({ state: 'BACKUP', priority: 50 });
  });

  it('leaves the seed as it was: its one instance, made of vip, vrrp and the balancers\' priorities', () => {
    const seed = loadSpec(seedSpecPath);
    expect(seed.vrrpInstances).to.equal(undefined);
    expect(vrrpInstances(seed)).to.deep.equal([{ name: 'VI_1', virtualRouterId: 33, vip: { address: '172.28.128.200', prefix: 24 }, priorities: { balancer1: 100, balancer2: 50 }, master: 'balancer1' }]);
    expect(renderIpvsRules(seed).trim().split('\n')).to.have.length(3);
  });

  it('renders every instance into each balancer\'s keepalived.conf with its own state and priority, chk_nginx tracked in each', () => {
    const conf = renderKeepalivedConf(spec, findNode(spec, 'balancer2')!);
    const blocks = conf.split(/^vrrp_instance /m).slice(1);
    expect(blocks.map((block) => [/^(\w+)/.exec(block)?.[1], /state (\w+)/.exec(block)?.[1], /priority (\d+)/.exec(block)?.[1], /virtual_router_id (\d+)/.exec(block)?.[1]])).to.deep.equal([
      ['VI_1', 'BACKUP', '100', '51'],
      ['VI_2', 'MASTER', '150', '52'],
      ['VI_3', 'BACKUP', '50', '53'],
    ]);
    expect(blocks.every((block) => block.includes('track_script {\n                chk_nginx'))).to.equal(true);
    expect(conf).to.include('172.28.128.201/24 dev eth1');
    expect(conf.match(/^vrrp_script /gm)).to.have.length(1);
  });

  it('gives every balancer an IPVS service on every VIP, and every backend all three VIPs on lo', () => {
    expect(renderIpvsRules(spec).trim().split('\n')).to.deep.equal(
      vipAddresses(spec).flatMap((vip) => [`-A -t ${vip}:80 -s rr`, `-a -t ${vip}:80 -r 172.28.128.100:80 -g -w 1`, `-a -t ${vip}:80 -r 172.28.128.110:80 -g -w 1`]),
    );
    expect(renderNodeEnv(spec, findNode(spec, 'backend1')!)).to.include("VIPS='172.28.128.200 172.28.128.201 172.28.128.202'\n");
  });

  it('judges a run by the instance whose master the fault hits: its backup is the next priority', () => {
    expect(vrrpParameters(spec)).to.deep.include({ master: 'balancer1', backup: 'balancer2', priorities: { balancer1: 150, balancer2: 100, balancer3: 50 } });
    const second = vrrpParameters(spec, 'balancer2');
    expect(second).to.deep.include({ master: 'balancer2', backup: 'balancer3' });
    expect(second.instances?.map((instance) => `${instance.vip} ${instance.master}>${instance.backup}`)).to.deep.equal([
      '172.28.128.200 balancer1>balancer2',
      '172.28.128.201 balancer2>balancer3',
      '172.28.128.202 balancer3>balancer1',
    ]);
  });

  it('accepts the seed rewritten with vrrp.instances', () => {
    const spec = parseSpec(twoInstances(instancesText), '/labs/two.yaml');
    expect(vipAddresses(spec)).to.deep.equal(['172.28.128.200', '172.28.128.201']);
  });

  it('rejects mixing the two forms, each field named with its line and what to do', () => {
    const mixed = specError(twoInstances(instancesText, [/^  instance: VI_1$/m]));
    expect(mixed).to.match(/broken\.yaml:\d+:\d+: vip: with vrrp\.instances, set it per instance there \(vrrp\.instances\[\]\.vip\)/);
    expect(mixed).to.include('nodes.balancer1.vrrp_state: with vrrp.instances, set it per instance there');
    expect(mixed).to.include('nodes.balancer2.priority: with vrrp.instances, set it per instance there (vrrp.instances[].priorities)');
    expect(mixed).not.to.include('vrrp.instance:');
    const noInstance = specError(seedText().replace(/^    priority: 50$/m, '').replace(/^vip: .*$/m, ''));
    expect(noInstance).to.include('vip: is required (or give each VRRP instance its VIP in vrrp.instances)');
    expect(noInstance).to.include('nodes.balancer2.priority: is required for a balancer');
  });

  it('rejects an instance without a priority for some balancer, a shared router id or VIP, two equal priorities, a stranger', () => {
    const broken = [
      '    - { name: VI_1, virtual_router_id: 51, vip: 172.28.128.200/24, priorities: { balancer1: 150 } }',
      '    - { name: VI_2, virtual_router_id: 51, vip: 172.28.128.200/24, priorities: { balancer2: 100, balancer1: 100, backend1: 50 } }',
      '',
    ].join('\n');
    const message = specError(twoInstances(broken));
    expect(message).to.include('vrrp.instances.0.priorities: gives no priority to balancer2: every balancer backs up every VIP');
    expect(message).to.include('vrrp.instances.1.virtual_router_id: 51 is already used by VI_1');
    expect(message).to.include('vrrp.instances.1.vip: 172.28.128.200 is already used by the VIP of VI_1');
    expect(message).to.include('vrrp.instances.1.priorities: has two balancers of the same priority');
    expect(message).to.include('vrrp.instances.1.priorities.backend1: backend1 is not a balancer of this spec (balancer1, balancer2)');
  });

  it('rejects a template or connection sync with several instances (each speaks of one instance)', () => {
    const message = specError(twoInstances(instancesText).replace(/^  preempt: true$/m, '  preempt: true\n  template: keepalived.conf.tmpl') + 'ipvs:\n  sync_connections: true\n');
    expect(message).to.include('vrrp.template: a template renders one instance: use it without vrrp.instances');
    expect(message).to.include('ipvs.sync_connections: connection sync uses one sync id: use it without vrrp.instances');
  });
});
