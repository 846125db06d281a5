import { expect } from 'chai';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { note, ok, problem } from '../../src/doctor/check.js';
import { cpuCheck } from '../../src/doctor/vagrant-checks.js';
import { allowedHostOnlyRanges, hasHostOnlyRangeRule, networksConfFix, subnetAllowed } from '../../src/doctor/vbox-networks.js';
import { sshTarget } from '../../src/lab/access.js';
import { labPaths, type LabMeta } from '../../src/lab/state.js';
import { errorExit, machineStates, parseMachineReadable } from '../../src/parse/vagrant-machine-readable.js';
import { parseSshConfig } from '../../src/parse/vagrant-ssh-config.js';
import { chooseProvider } from '../../src/provider/choose.js';
import { parseCidr, type Cidr } from '../../src/spec/ipv4.js';
import { loadSpec } from '../../src/spec/load.js';
import { nodeAccessFromSshConfig } from '../../src/vagrant/node-access.js';
import { writeNodeFiles } from '../../src/vagrant/node-files.js';
import { chooseVagrantEngine } from '../../src/vagrant/engine.js';
import { renderAllNodeFiles } from '../../src/render/bundle.js';
import { provisionScripts } from '../../src/provision/apply.js';
import { fixture, seedSpecPath, tempDir } from '../helpers.js';

const seedNames = ['balancer1', 'balancer2', 'backend1', 'backend2'];
const cidr = (text: string): Cidr => parseCidr(text, true)!;

describe('vagrant status --machine-readable (recorded from Vagrant 2.3.4 here)', () => {
  it('lists each machine with its state and provider', () => {
    const machines = machineStates(parseMachineReadable(fixture('vagrant/status-libvirt-not-created.txt')));
    expect(machines.map((machine) => machine.name)).to.deep.equal(seedNames);
    expect(machines[0]).to.deep.equal({ name: 'balancer1', provider: 'libvirt', state: 'not_created', description: 'not created' });
    const running = machineStates(parseMachineReadable(fixture('vagrant/status-stand-in-running.txt')));
    expect(running.map((machine) => machine.state)).to.deep.equal(['running', 'running', 'running', 'running']);
  });

  it("restores Vagrant's escaped commas and newlines, and finds its error-exit", () => {
    const records = parseMachineReadable(fixture('vagrant/status-virtualbox-missing.txt'));
    const failure = errorExit(records);
    expect(failure?.kind).to.equal('Vagrant::Errors::ProviderNotUsable');
    expect(failure?.message).to.include('Vagrant could not detect VirtualBox!').and.to.include('VBoxManage` binary that ships with VirtualBox, and requires\n');
    expect(machineStates(records)).to.deep.equal([]);
  });
});

describe('vagrant ssh-config (Vagrant 2.3.4 output, with a stand-in for VirtualBox)', () => {
  const entries = parseSshConfig(fixture('vagrant/ssh-config-stand-in.txt'));

  it('reads every Host block, unquoting key paths with spaces', () => {
    expect(entries.map((entry) => [entry.host, entry.hostName, entry.port, entry.user])).to.deep.equal(
      seedNames.map((name, index) => [name, '127.0.0.1', 2200 + index, 'vagrant']),
    );
    expect(entries[2]?.identityFiles).to.deep.equal(['/tmp/failover lab keys/backend1/private_key']);
  });

  it('accepts the other spellings OpenSSH allows and rejects an incomplete block', () => {
    const [entry] = parseSshConfig('Host b1\n  hostname=10.0.0.5\n  PORT 22\n  user root\n  identityfile ~/k\n');
    expect(entry).to.deep.equal({ host: 'b1', hostName: '10.0.0.5', port: 22, user: 'root', identityFiles: ['~/k'] });
    expect(() => parseSshConfig('Host b1\n  HostName 10.0.0.5\n')).to.throw('lacks HostName, Port or User');
  });

  it('becomes the same communicator options as a uml node: root, a key, host and port', () => {
    const spec = loadSpec(seedSpecPath);
    const keys = tempDir('failover lab keys-');
    const withRealKeys = entries.map((entry) => {
      const file = path.join(keys, entry.host, 'private_key');
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `key of ${entry.host}\n`);
      return { ...entry, identityFiles: [file] };
    });
    const nodes = nodeAccessFromSshConfig(spec, withRealKeys);
    expect(nodes.map((node) => [node.name, node.managementAddress, node.sshPort])).to.deep.equal(seedNames.map((name, index) => [name, '127.0.0.1', 2200 + index]));

    const paths = labPaths('vagrant-unit', keys);
    const vagrantMeta: LabMeta = { name: 'vagrant-unit', provider: 'vagrant', spec, createdAt: '', nodes };
    const target = sshTarget(paths, vagrantMeta, 'backend1');
    expect(target).to.deep.equal({ node: 'backend1', host: '127.0.0.1', port: 2202, username: 'root', privateKey: 'key of backend1\n', openSocket: undefined });

    mkdirSync(path.dirname(paths.privateKey), { recursive: true });
    writeFileSync(paths.privateKey, 'lab key\n');
    const umlMeta: LabMeta = { ...vagrantMeta, provider: 'uml', nodes: [{ name: 'backend1', managementAddress: '10.99.0.12', sshPort: 22 }] };
    const uml = sshTarget(paths, umlMeta, 'backend1');
    expect(Object.keys(uml).sort()).to.deep.equal(Object.keys(target).sort());
    expect(uml.username).to.equal(target.username);
    expect(uml.openSocket).to.be.a('function'); // uml streams go through the lab's sandbox
  });

  it('names the node Vagrant gave no SSH details for', () => {
    const spec = loadSpec(seedSpecPath);
    expect(() => nodeAccessFromSshConfig(spec, entries.slice(0, 3))).to.throw('no Host block for backend2');
  });
});

describe("VirtualBox's host-only network ranges (networks.conf)", () => {
  it('without the file only 192.168.56.0/21 is allowed: the seed subnet is refused', () => {
    const ranges = allowedHostOnlyRanges(undefined);
    expect(ranges).to.deep.equal(['192.168.56.0/21']);
    expect(subnetAllowed(cidr('172.28.128.0/24'), ranges)).to.equal(false);
    expect(subnetAllowed(cidr('192.168.60.0/24'), ranges)).to.equal(true);
    expect(subnetAllowed(cidr('192.168.64.0/24'), ranges)).to.equal(false);
  });

  it('reads the ranges of the file, ignoring comments, IPv6 and other lines', () => {
    const ranges = allowedHostOnlyRanges('# lab ranges\n* 10.0.0.0/8 192.168.0.0/16\n* 2001::/64\nnonsense 172.16.0.0/12\n');
    expect(ranges).to.deep.equal(['10.0.0.0/8', '192.168.0.0/16']);
    expect(subnetAllowed(cidr('172.28.128.0/24'), ranges)).to.equal(false);
    expect(subnetAllowed(cidr('172.28.128.0/24'), allowedHostOnlyRanges('* 172.16.0.0/12\n'))).to.equal(true);
    expect(subnetAllowed(cidr('172.28.0.0/16'), allowedHostOnlyRanges('* 172.28.128.0/24\n'))).to.equal(false); // a range must hold the whole subnet
  });

  it('the fix keeps the default range when it creates the file', () => {
    expect(networksConfFix(cidr('172.28.128.0/24'), false)).to.equal("sudo mkdir -p /etc/vbox && echo '* 172.28.128.0/24 192.168.56.0/21' | sudo tee -a /etc/vbox/networks.conf");
    expect(networksConfFix(cidr('172.28.128.0/24'), true)).to.equal("sudo mkdir -p /etc/vbox && echo '* 172.28.128.0/24' | sudo tee -a /etc/vbox/networks.conf");
  });

  it('applies from VirtualBox 6.1.28 on', () => {
    expect(['6.0.24r139119', '6.1.26r145957'].map(hasHostOnlyRangeRule)).to.deep.equal([false, false]);
    expect(['6.1.28r147628', '7.0.14r161095', '7.1.4'].map(hasHostOnlyRangeRule)).to.deep.equal([true, true, true]);
  });
});

describe('the host CPU for VirtualBox', () => {
  it('refuses Apple silicon and other non-x86-64 hosts, with what to use instead', () => {
    expect(cpuCheck('win32', 'x64')).to.equal(undefined);
    expect(cpuCheck('darwin', 'x64')).to.equal(undefined);
    const mac = cpuCheck('darwin', 'arm64');
    expect(mac?.status).to.equal('problem');
    expect(mac?.what).to.equal('this is a Mac with Apple silicon: VirtualBox cannot run the x86-64 box debian/bookworm64 here');
    expect(cpuCheck('linux', 'arm64')?.what).to.include('this is a host with an arm64 CPU');
  });
});

describe('provider choice', () => {
  const umlFine = () => [ok('root'), note('tun not needed')];
  it('takes --provider, then LAB_PROVIDER, and refuses unknown names', () => {
    expect(chooseProvider({ flag: 'vagrant', env: 'uml', platform: 'linux', umlChecks: umlFine })).to.deep.equal({ name: 'vagrant', reason: 'chosen with --provider' });
    expect(chooseProvider({ env: 'vagrant', platform: 'linux', umlChecks: umlFine }).name).to.equal('vagrant');
    expect(() => chooseProvider({ env: 'virtualbox', platform: 'linux', umlChecks: umlFine })).to.throw('LAB_PROVIDER must be uml or vagrant, not "virtualbox"');
  });

  it('is uml on Linux when uml can run, vagrant elsewhere, with the reason', () => {
    expect(chooseProvider({ platform: 'linux', umlChecks: umlFine }).name).to.equal('uml');
    expect(chooseProvider({ platform: 'darwin', umlChecks: umlFine })).to.deep.equal({ name: 'vagrant', reason: 'the default on darwin (uml needs Linux)' });
    const blocked = chooseProvider({ platform: 'linux', umlChecks: () => [problem('the node image is not built yet, and building it needs root', 'sudo npm run lab:image')] });
    expect(blocked).to.deep.equal({ name: 'vagrant', reason: 'uml cannot run here: the node image is not built yet, and building it needs root' });
  });
});

describe("Vagrant's engine: VirtualBox or libvirt", () => {
  const host = { platform: 'linux' as const, virtualBoxInstalled: false, libvirtReady: false, libvirtInstallable: false };
  it('takes VAGRANT_DEFAULT_PROVIDER first, and refuses a provider the lab has no engine for', () => {
    expect(chooseVagrantEngine({ ...host, env: 'virtualbox', libvirtReady: true })).to.deep.equal({ name: 'virtualbox', reason: 'chosen with VAGRANT_DEFAULT_PROVIDER' });
    expect(chooseVagrantEngine({ ...host, env: 'libvirt', virtualBoxInstalled: true }).name).to.equal('libvirt');
    expect(() => chooseVagrantEngine({ ...host, env: 'docker' })).to.throw('VAGRANT_DEFAULT_PROVIDER must be virtualbox or libvirt for this lab, not "docker"');
  });

  it('is VirtualBox where it is installed (laptops), libvirt on a Linux host without it that has or can install libvirt', () => {
    expect(chooseVagrantEngine({ ...host, virtualBoxInstalled: true, libvirtReady: true }).name).to.equal('virtualbox');
    expect(chooseVagrantEngine({ ...host, libvirtReady: true })).to.deep.equal({ name: 'libvirt', reason: 'no VirtualBox here; libvirt is installed' });
    expect(chooseVagrantEngine({ ...host, libvirtInstallable: true }).reason).to.equal('no VirtualBox here; libvirt is installed on the first lab:up (apt-get)');
    // Elsewhere VirtualBox, whose preflight then says what to install.
    expect(chooseVagrantEngine({ ...host, platform: 'darwin', libvirtInstallable: true }).name).to.equal('virtualbox');
    expect(chooseVagrantEngine(host).name).to.equal('virtualbox');
  });
});

describe('node files for the Vagrantfile', () => {
  it('one folder per node with the scripts and rendered files; nothing else in the folder is touched', () => {
    const spec = loadSpec(seedSpecPath);
    const out = tempDir('failover-lab-render-');
    writeFileSync(path.join(out, 'notes.txt'), 'mine\n');
    mkdirSync(path.join(out, 'balancer1'));
    writeFileSync(path.join(out, 'balancer1', 'stale.conf'), 'old\n');
    writeNodeFiles(out, renderAllNodeFiles(spec));
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).to.equal('mine\n');
    expect(existsSync(path.join(out, 'balancer1', 'stale.conf'))).to.equal(false);
    expect(readdirSync(path.join(out, 'balancer1')).sort()).to.deep.equal([...Object.keys(provisionScripts()), 'ipvs.rules', 'keepalived.conf', 'node.env'].sort());
    expect(readdirSync(path.join(out, 'backend2')).sort()).to.deep.equal([...Object.keys(provisionScripts()), 'node.env'].sort());
  });
});
