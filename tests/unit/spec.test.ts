import { expect } from 'chai';
import { LabError } from '../../src/errors.js';
import { loadSpec } from '../../src/spec/load.js';
import { balancers, backends } from '../../src/spec/types.js';
import { seedSpecPath, seedText, tempFile } from '../helpers.js';
import { specRejection } from './spec-error.js';

const specError = specRejection;

describe('lab spec', () => {
  it('loads the seed lab of the homework', () => {
    const spec = loadSpec(seedSpecPath);
    expect(spec.name).to.equal('seed');
    expect(spec.vip).to.deep.equal({ address: '172.28.128.200', prefix: 24 });
    expect(balancers(spec).map((node) => [node.name, node.address, node.vrrp?.state, node.vrrp?.priority])).to.deep.equal([
      ['balancer1', '172.28.128.10', 'MASTER', 100],
      ['balancer2', '172.28.128.20', 'BACKUP', 50],
    ]);
    expect(backends(spec).map((node) => node.address)).to.deep.equal(['172.28.128.100', '172.28.128.110']);
    expect(spec.vrrp).to.include({ instance: 'VI_1', virtualRouterId: 33, advertInt: 1, preempt: true });
    expect(spec.vrrp.check).to.deep.equal({ name: 'chk_nginx', script: 'systemctl status nginx', interval: 2 });
    expect(spec.service).to.deep.equal({ protocol: 'tcp', port: 80, scheduler: 'rr', forwarding: 'dr' });
  });

  it('takes another lab name from the caller', () => {
    expect(loadSpec(seedSpecPath, { name: 'other' }).name).to.equal('other');
  });

  it('names the file, line and field of a wrong address', () => {
    const error = specError(seedText().replace('address: 172.28.128.100', 'address: 172.28.128.300'));
    expect(error.code).to.equal('SPEC_INVALID');
    const line = seedText().split('\n').findIndex((text) => text.includes('172.28.128.100')) + 1;
    expect(error.message).to.include(`/labs/broken.yaml:${line}:`);
    expect(error.message).to.include('nodes.backend1.address: "172.28.128.300" is not an IPv4 address');
    expect(error.hint).to.be.a('string');
  });

  it('rejects an address outside the lab subnet, and duplicates', () => {
    const outside = specError(seedText().replace('address: 172.28.128.110', 'address: 10.0.0.5'));
    expect(outside.message).to.include('nodes.backend2.address: 10.0.0.5 is outside the lab subnet 172.28.128.0/24');
    const duplicate = specError(seedText().replace('address: 172.28.128.110', 'address: 172.28.128.100'));
    expect(duplicate.message).to.include('172.28.128.100 is already used by backend1');
    const vip = specError(seedText().replace('vip: 172.28.128.200/24', 'vip: 172.28.128.10/24'));
    expect(vip.message).to.include('already used by the VIP');
  });

  it('rejects an unknown node role', () => {
    const error = specError(seedText().replace('role: backend\n    address: 172.28.128.110', 'role: webserver\n    address: 172.28.128.110'));
    expect(error.message).to.match(/nodes\.backend2(\.role)?: role must be "balancer" or "backend"/);
  });

  it('rejects unknown fields and missing ones', () => {
    expect(specError(seedText().replace('advert_int: 1', 'advert_int: 1\n  advert_intt: 2')).message).to.include('unknown field(s) "advert_intt"');
    expect(specError(seedText().replace(/\s+priority: 50/, '')).message).to.include('nodes.balancer2');
  });

  it('reports YAML syntax errors with their line', () => {
    const error = specError('name: x\nnodes: [\n');
    expect(error.message).to.match(/\/labs\/broken\.yaml:\d+:\d+: YAML syntax/);
  });

  it('rejects a management subnet that overlaps the lab subnet and a subnet with host bits', () => {
    expect(specError(seedText().replace('subnet: 10.99.0.0/24', 'subnet: 172.28.0.0/16')).message).to.include('must not overlap the lab subnet');
    expect(specError(seedText().replace('subnet: 172.28.128.0/24', 'subnet: 172.28.128.5/24')).message).to.include('has host bits set');
  });

  it('rejects a lab without backends', () => {
    const text = seedText().replace(/  backend1:[\s\S]*?(?=\nresources:)/, '');
    expect(specError(text).message).to.include('needs at least one node with role "backend"');
  });

  it('rejects a template file that does not exist, relative to the spec', () => {
    const file = tempFile('lab.yaml', seedText().replace('preempt: true', 'preempt: true\n  template: missing.conf.tmpl'));
    expect(() => loadSpec(file)).to.throw(LabError, /vrrp\.template: file .*missing\.conf\.tmpl does not exist/);
  });

  it('says which file is missing', () => {
    expect(() => loadSpec('/nonexistent/lab.yaml')).to.throw(LabError, 'cannot read the lab spec /nonexistent/lab.yaml');
  });
});
