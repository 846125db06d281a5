import { expect } from 'chai';
import { LabError } from '../../src/errors.js';
import { renderIpvsRules } from '../../src/render/ipvs.js';
import { fillTemplate, renderKeepalivedConf } from '../../src/render/keepalived.js';
import { renderNodeEnv } from '../../src/render/node-env.js';
import { renderAllNodeFiles } from '../../src/render/bundle.js';
import { loadSpec, parseSpec } from '../../src/spec/load.js';
import { findNode } from '../../src/spec/types.js';
import { seedSpecPath, seedText, tempFile } from '../helpers.js';

const normalise = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);

describe('rendering node configuration', () => {
  const spec = loadSpec(seedSpecPath);

  it("renders balancer1's keepalived.conf as in the homework", () => {
    const conf = renderKeepalivedConf(spec, findNode(spec, 'balancer1')!);
    expect(normalise(conf)).to.deep.equal([
      'vrrp_script chk_nginx {', 'script "systemctl status nginx"', 'interval 2', '}',
      'vrrp_instance VI_1 {', 'state MASTER', 'interface eth1', 'virtual_router_id 33', 'priority 100', 'advert_int 1',
      'authentication {', 'auth_type PASS', 'auth_pass netology_secret', '}',
      'virtual_ipaddress {', '172.28.128.200/24 dev eth1', '}',
      'track_script {', 'chk_nginx', '}',
      '}',
    ]);
  });

  it("renders balancer2 as BACKUP with priority 50", () => {
    const conf = renderKeepalivedConf(spec, findNode(spec, 'balancer2')!);
    expect(conf).to.match(/state BACKUP\n/).and.to.match(/priority 50\n/);
    expect(conf).not.to.include('nopreempt');
  });

  it('with preempt off, starts every balancer as BACKUP with nopreempt (keepalived ignores nopreempt on MASTER)', () => {
    const noPreempt = parseSpec(seedText().replace('preempt: true', 'preempt: false'), seedSpecPath);
    for (const name of ['balancer1', 'balancer2']) {
      const conf = renderKeepalivedConf(noPreempt, findNode(noPreempt, name)!);
      expect(conf).to.include('state BACKUP').and.to.include('nopreempt');
    }
  });

  it('renders the IPVS service in DR mode with round robin and both real servers', () => {
    expect(renderIpvsRules(spec)).to.equal(
      '-A -t 172.28.128.200:80 -s rr\n' +
        '-a -t 172.28.128.200:80 -r 172.28.128.100:80 -g -w 1\n' +
        '-a -t 172.28.128.200:80 -r 172.28.128.110:80 -g -w 1\n',
    );
  });

  it('writes node.env as shell-safe assignments', () => {
    const env = renderNodeEnv(spec, findNode(spec, 'backend1')!);
    expect(env).to.include("NODE_NAME='backend1'\n").and.to.include("VIPS='172.28.128.200'\n").and.to.include("NODE_ROLE='backend'\n");
  });

  it('gives balancers keepalived.conf and ipvs.rules, backends only node.env', () => {
    const files = renderAllNodeFiles(spec);
    expect(Object.keys(files.get('balancer1') ?? {})).to.have.members(['node.env', 'keepalived.conf', 'ipvs.rules']);
    expect(Object.keys(files.get('backend2') ?? {})).to.deep.equal(['node.env']);
  });

  it('fills a template from the spec', () => {
    const template = tempFile('keepalived.conf.tmpl', 'vrrp_instance {{ instance }} {\n  state {{state}}\n  priority {{ priority }}\n  virtual_ipaddress {\n    {{ vip }}/{{ vip_prefix }} dev {{ interface }}\n  }\n}\n');
    const withTemplate = parseSpec(seedText().replace('preempt: true', `preempt: true\n  template: ${template}`), seedSpecPath);
    const conf = renderKeepalivedConf(withTemplate, findNode(withTemplate, 'balancer2')!);
    expect(conf).to.equal('vrrp_instance VI_1 {\n  state BACKUP\n  priority 50\n  virtual_ipaddress {\n    172.28.128.200/24 dev eth1\n  }\n}\n');
  });

  it('names the line of an unknown or unclosed placeholder', () => {
    const error = (() => {
      try {
        fillTemplate('a\nstate {{ stat }}\nb {{ vip\n', { vip: '1.2.3.4', state: 'MASTER' }, 'student.tmpl');
      } catch (caught) {
        return caught as LabError;
      }
      throw new Error('accepted');
    })();
    expect(error.code).to.equal('TEMPLATE_INVALID');
    expect(error.message).to.include('student.tmpl:2: unknown placeholder {{ stat }}');
    expect(error.message).to.include('student.tmpl:3: "{{" is never closed');
    expect(error.hint).to.include('{{ state }}');
  });
});
