import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { labPaths } from '../../src/lab/state.js';
import { seedText, tempFile } from '../helpers.js';
import { leftovers, noStackTrace, runCli } from './cli.js';

/** Each case: a clear error naming the thing, the place and the fix; nothing left half-built. */
describe('bad input to lab:up (acceptance)', function () {
  this.timeout(180_000);

  const expectNothingBuilt = (lab: string) => {
    const paths = labPaths(lab);
    expect(existsSync(paths.dir), `${paths.dir} exists`).to.equal(false);
    expect(leftovers(paths.dir)).to.deep.equal([]);
  };

  it('a spec with a wrong address', async () => {
    const spec = tempFile('lab.yaml', seedText().replace('address: 172.28.128.110', 'address: 172.28.128.256'));
    const result = await runCli(['up', '--spec', spec, '--name', 'bad-address']);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include(`${spec}:`).and.to.include('nodes.backend2.address: "172.28.128.256" is not an IPv4 address');
    expect(result.stderr).to.include('fix:');
    expect(noStackTrace(result.stderr), result.stderr).to.equal(true);
    expectNothingBuilt('bad-address');
  });

  it('a spec with an unknown node role', async () => {
    const spec = tempFile('lab.yaml', seedText().replace('role: backend', 'role: router'));
    const result = await runCli(['up', '--spec', spec, '--name', 'bad-role']);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include('nodes.backend1').and.to.include('role must be "balancer" or "backend"');
    expect(noStackTrace(result.stderr), result.stderr).to.equal(true);
    expectNothingBuilt('bad-role');
  });

  it('a keepalived template with an unknown placeholder stops before anything starts', async () => {
    const template = tempFile('keepalived.conf.tmpl', 'vrrp_instance {{ instance }} {\n  state {{ sate }}\n}\n');
    const spec = tempFile('lab.yaml', seedText().replace('preempt: true', `preempt: true\n  template: ${template}`));
    const result = await runCli(['up', '--spec', spec, '--name', 'bad-placeholder']);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include(`${template}:2: unknown placeholder {{ sate }}`);
    expect(noStackTrace(result.stderr), result.stderr).to.equal(true);
    expectNothingBuilt('bad-placeholder');
  });

  it('a keepalived template with a syntax error: keepalived itself rejects it, the lab is removed, its logs kept', async () => {
    // The seed's layout with one closing brace missing: keepalived -t reports the unbalanced braces.
    const template = tempFile(
      'keepalived.conf.tmpl',
      [
        'vrrp_instance {{ instance }} {',
        '  state {{ state }}',
        '  interface {{ interface }}',
        '  virtual_router_id {{ virtual_router_id }}',
        '  priority {{ priority }}',
        '  advert_int {{ advert_int }}',
        '  virtual_ipaddress {',
        '    {{ vip }}/{{ vip_prefix }} dev {{ interface }}',
        '}',
        '',
      ].join('\n'),
    );
    const lab = 'bad-keepalived';
    const spec = tempFile('lab.yaml', seedText().replace('preempt: true', `preempt: true\n  template: ${template}`));
    const result = await runCli(['up', '--spec', spec, '--name', lab]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/keepalived on balancer[12] rejected the configuration rendered from/);
    expect(result.stderr).to.include(template).and.to.include("missing '}'");
    expect(noStackTrace(result.stderr), result.stderr).to.equal(true);
    expectNothingBuilt(lab);

    const logs = `${labPaths(lab).dir}.failed`;
    expect(result.stderr).to.include(logs);
    expect(readdirSync(logs)).to.include('balancer1.console.log');
    expect(readFileSync(`${logs}/balancer1.console.log`, 'utf8')).to.include('Linux version');
    const down = await runCli(['down', '--name', lab]);
    expect(down.code).to.equal(0);
    expect(existsSync(logs)).to.equal(false);
  });
});
