import { expect } from 'chai';
import { checkInstances } from '../../src/grade/check-instance.js';
import { checkTemplate } from '../../src/grade/check-template.js';
import { checkVirtualServers } from '../../src/grade/check-virtual-server.js';
import { parseKeepalivedConfig } from '../../src/grade/keepalived-model.js';
import { fixture } from '../helpers.js';

const origin = { file: 'homework.md', firstLine: 1 };

/** The static checks of one recorded config, as "line code" pairs. */
function staticFindings(name: string): string[] {
  const config = parseKeepalivedConfig(fixture(`keepalived-t/${name}.conf`), origin);
  return [...config.findings, ...checkTemplate(config.statements, origin.file), ...checkInstances(config), ...checkVirtualServers(config)]
    .map((finding) => `${finding.line} ${finding.code}`);
}

describe('grader: keepalived.conf parser', () => {
  it("reads the seed's balancer1 config into a model with each value's line", () => {
    const config = parseKeepalivedConfig(fixture('keepalived-t/seed-balancer1.conf'), { file: 'homework.md', firstLine: 20 });
    const [instance] = config.vrrpInstances;
    expect(config.vrrpScripts.map((script) => [script.name, script.line, script.interval?.value])).to.deep.equal([['chk_nginx', 20, '2']]);
    expect(instance).to.include({ name: 'VI_1', line: 25 });
    expect(instance!.state).to.include({ value: 'MASTER', line: 26 });
    expect(instance!.virtualRouterId).to.include({ value: '33', line: 28 });
    expect(instance!.priority?.value).to.equal('100');
    expect(instance!.authType?.value).to.equal('PASS');
    expect(instance!.authPass).to.include({ value: 'netology_secret', line: 33 });
    expect(instance!.virtualIpaddresses).to.deep.equal([{ address: '172.28.128.200', prefix: 24, dev: 'eth1', line: 36 }]);
    expect(instance!.trackScripts.map((tracked) => tracked.value)).to.deep.equal(['chk_nginx']);
    expect(config.findings).to.deep.equal([]);
  });

  it('reads virtual_server blocks with either keyword of each synonym pair, and real servers with their checks', () => {
    const config = parseKeepalivedConfig(fixture('keepalived-t/virtual-server.conf'), origin);
    const [first, second] = config.virtualServers;
    expect(first).to.include({ address: '172.28.128.200', port: '80', line: 10 });
    expect(first!.scheduler).to.include({ value: 'rr', keyword: 'lvs_sched' });
    expect(first!.forwarding).to.include({ value: 'DR', keyword: 'lvs_method' });
    expect(first!.persistenceTimeout?.value).to.equal('50');
    expect(first!.realServers.map((real) => [real.address, real.port, real.checks.map((check) => check.value)])).to.deep.equal([
      ['172.28.128.100', '80', ['TCP_CHECK']],
      ['172.28.128.110', '80', ['HTTP_GET']],
    ]);
    expect(second!.scheduler).to.include({ value: 'roundrobin', keyword: 'lb_algo' });
    // delay_loop 6 of the virtual_server, connect_timeout 3 of each check.
    expect(first!.realServers.map((real) => real.recoverySeconds)).to.deep.equal([9, 9]);
  });

  it('takes a health check\'s delay_loop and connect_timeout from the check, else its real_server, else its virtual_server, else keepalived\'s 60 s and 5 s', () => {
    const config = parseKeepalivedConfig(
      'virtual_server 10.0.0.200 80 {\n  delay_loop 4\n  real_server 10.0.0.1 80 {\n    connect_timeout 2\n    TCP_CHECK {\n      delay_loop 3\n    }\n  }\n  real_server 10.0.0.2 80 {\n    TCP_CHECK {\n    }\n  }\n  real_server 10.0.0.3 80 {\n    weight 1\n  }\n}\n' +
        'virtual_server 10.0.0.201 80 {\n  real_server 10.0.0.1 80 {\n    HTTP_GET {\n    }\n  }\n}\n',
      origin,
    );
    expect(config.virtualServers.flatMap((server) => server.realServers.map((real) => real.recoverySeconds))).to.deep.equal([5, 9, undefined, 65]);
  });

  it('reads unicast peers, nopreempt, comments (# and !) and one-line blocks', () => {
    const config = parseKeepalivedConfig(
      'vrrp_instance VI_1 { # the only one\n  state BACKUP ! starts as backup\n  unicast_src_ip 10.0.0.2\n  unicast_peer { 10.0.0.1 }\n  nopreempt\n  virtual_ipaddress {\n    10.0.0.200\n  }\n}\n',
      origin,
    );
    const [instance] = config.vrrpInstances;
    expect(instance!.state?.value).to.equal('BACKUP');
    expect(instance!.unicastSrcIp?.value).to.equal('10.0.0.2');
    expect(instance!.unicastPeers).to.deep.equal([{ value: '10.0.0.1', line: 4 }]);
    expect(instance!.nopreempt).to.deep.equal({ line: 5 });
    expect(instance!.virtualIpaddresses).to.deep.equal([{ address: '10.0.0.200', line: 7 }]);
    expect(config.findings).to.deep.equal([]);
  });

  // Each recorded config (tests/fixtures/keepalived-t) against what keepalived 2.2.7 itself printed for it.
  const agreesWithKeepalived: Record<string, string[]> = {
    'seed-balancer1': ['14 auth-pass-truncated'],
    'seed-balancer2': ['9 auth-pass-truncated', '15 track-script-order'],
    unicast: ['11 track-script-undefined'],
    'unknown-keyword': ['7 unknown-keyword', '10 unknown-keyword', '1 vip-missing'],
    'bad-values': ['2 state-invalid', '4 vrid-invalid', '5 priority-invalid', '6 advert-int-invalid', '8 auth-type-invalid'],
    'template-unfilled': ['2 template-unfilled', '3 template-unfilled', '4 template-unfilled', '5 template-unfilled', '8 template-unfilled'],
    'missing-brace': ['8 brace-missing'],
    'extra-brace': ['10 brace-extra'],
    'include-unicast': ['1 include-not-followed'],
    'virtual-server': ['12 synonym-keyword', '13 synonym-keyword', '34 scheduler-invalid', '35 forwarding-invalid'],
  };
  for (const [name, expected] of Object.entries(agreesWithKeepalived)) {
    it(`finds in ${name}.conf what keepalived -t reported`, () => {
      expect(staticFindings(name)).to.have.members(expected);
    });
  }
});
