import { expect } from 'chai';
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labPaths, writeLabMeta } from '../../src/lab/state.js';
import { provisionBundle, provisionCommand, remoteProvisionDir } from '../../src/provision/apply.js';
import { renderNodeFiles } from '../../src/render/bundle.js';
import { loadSpec } from '../../src/spec/load.js';
import { vagrant, vagrantSshConfig, vagrantStatus, type VagrantEnvironment } from '../../src/vagrant/cli.js';
import { vagrantMachinePlan } from '../../src/vagrant/machine-plan.js';
import { nodeAccessFromSshConfig } from '../../src/vagrant/node-access.js';
import { sandboxPlan } from '../../src/uml/plan.js';
import { readFolder, repoRoot, seedSpecPath } from '../helpers.js';
import { leftovers, noStackTrace, runCli } from './cli.js';

/**
 * The vagrant provider with Debian's real Vagrant, without VirtualBox (it cannot run here): the
 * project's Vagrantfile is validated and evaluated by Vagrant itself; `vagrant status` and
 * `vagrant ssh-config` run against a stand-in provider (tests/vagrant) that reports machines as running.
 */
describe('vagrant provider with real Vagrant, no VirtualBox (acceptance)', function () {
  this.timeout(120_000);
  const spec = loadSpec(seedSpecPath);
  let scratch: string;
  let nodeFiles: string;

  before(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'failover-lab-vagrant-'));
    nodeFiles = path.join(scratch, 'node-files');
    const render = await runCli(['render', '--out', nodeFiles]);
    expect(render.code, render.stderr).to.equal(0);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  /** The project's Vagrantfile with the seed spec and the rendered files; the stand-in's beside it. */
  const project = (overrides: Partial<VagrantEnvironment> = {}): VagrantEnvironment => ({ cwd: repoRoot, dotfilePath: path.join(scratch, 'dotfile'), specPath: seedSpecPath, nodeFiles, ...overrides });
  const standIn = () => project({ cwd: path.join(repoRoot, 'tests', 'vagrant'), dotfilePath: path.join(scratch, 'stand-in') });

  it('vagrant validate -p accepts the Vagrantfile with the rendered provisioning files', async () => {
    const result = await vagrant(project(), ['validate', '-p']);
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.include('Vagrantfile validated successfully.');
    for (const node of spec.nodes) expect(result.stdout).to.include(`==> ${node.name}:`);
  });

  it('vagrant up without provisioning files stops at once, saying how to make them', async () => {
    const result = await vagrant(project({ nodeFiles: path.join(scratch, 'none') }), ['up', '--provider', 'virtualbox']);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include(`no provisioning files in ${path.join(scratch, 'none', 'balancer1')}`).and.to.include('npm run lab:render');
    expect(existsSync(path.join(scratch, 'dotfile', 'machines'))).to.equal(false);
  });

  it('vagrant status --machine-readable lists exactly the spec machines', async () => {
    const machines = await vagrantStatus(standIn());
    expect(machines.map((machine) => machine.name)).to.deep.equal(spec.nodes.map((node) => node.name));
    expect(machines.map((machine) => machine.state)).to.deep.equal(spec.nodes.map(() => 'running'));
  });

  it('vagrant ssh-config becomes the SSH access of every node', async () => {
    const nodes = nodeAccessFromSshConfig(spec, await vagrantSshConfig(standIn()));
    expect(nodes.map((node) => node.name)).to.deep.equal(spec.nodes.map((node) => node.name));
    expect(nodes.map((node) => `${node.managementAddress}:${node.sshPort}`)).to.deep.equal(['127.0.0.1:2200', '127.0.0.1:2201', '127.0.0.1:2202', '127.0.0.1:2203']);
    expect(nodes[0]?.identityFile).to.equal('/tmp/failover lab keys/balancer1/private_key');
  });

  /** What the Vagrantfile makes of a spec equals what the TypeScript side and the uml lab make of it. */
  const consistentWith = async (specPath: string, files: string) => {
    const labSpec = loadSpec(specPath);
    const dump = path.join(scratch, 'plan.json');
    const result = await vagrant(project({ specPath, nodeFiles: files, planDump: dump }), ['validate', '-p']);
    expect(result.code, result.stderr).to.equal(0);
    const plan = JSON.parse(readFileSync(dump, 'utf8')) as { remoteDir: string; machines: Record<string, string | number>[] };

    // What the TypeScript side expects of the Vagrantfile.
    const expected = vagrantMachinePlan(labSpec);
    expect(plan.machines.map(({ name, role, address, interface: iface, memoryMb, box }) => ({ name, role, address, interface: iface, memoryMb, box }))).to.deep.equal(expected);
    expect(plan.remoteDir).to.equal(remoteProvisionDir);

    // The uml lab: the same nodes, and each node provisioned with the same files and command.
    const uml = sandboxPlan({ spec: labSpec, paths: labPaths('consistency', scratch), boxImage: '/nonexistent', publicKeyBlob: 'AAAA', hostKeys: new Map() });
    expect(plan.machines.map((machine) => machine.name)).to.deep.equal(uml.nodes.map((node) => node.name));
    for (const machine of plan.machines) {
      const node = labSpec.nodes.find((candidate) => candidate.name === machine.name)!;
      expect(machine.address).to.equal(node.address);
      expect(machine.provisionCommand).to.equal(provisionCommand(node.role));
      const uploaded = readFolder(String(machine.nodeFiles));
      expect(uploaded).to.deep.equal(provisionBundle(renderNodeFiles(labSpec, node))); // what the uml provider uploads over SSH
      expect(uploaded['common.sh']).to.equal(readFileSync(path.join(repoRoot, 'provision', 'common.sh'), 'utf8'));
    }
    return plan;
  };

  it('Vagrant uses the machines, addresses and provisioning of the uml lab', async () => {
    await consistentWith(seedSpecPath, nodeFiles);
  });

  it('and so for the three active balancers (lab/three-active.yaml): five machines, three VIPs on each backend', async () => {
    const threeActive = path.join(repoRoot, 'lab', 'three-active.yaml');
    const files = path.join(scratch, 'three-active-files');
    const render = await runCli(['render', '--spec', threeActive, '--out', files]);
    expect(render.code, render.stderr).to.equal(0);
    const plan = await consistentWith(threeActive, files);
    expect(plan.machines.map((machine) => machine.name)).to.deep.equal(['balancer1', 'balancer2', 'balancer3', 'backend1', 'backend2']);
    expect(readFileSync(path.join(files, 'backend1', 'node.env'), 'utf8')).to.include("VIPS='172.28.128.200 172.28.128.201 172.28.128.202'");
    expect(readFileSync(path.join(files, 'balancer3', 'keepalived.conf'), 'utf8').match(/^vrrp_instance /gm)).to.have.length(3);
  });
});

describe('provider choice and preflight on this host (acceptance)', function () {
  this.timeout(120_000);
  // VirtualBox's preflight, as on a host where Vagrant would use it (here it would take libvirt: see libvirt.test.ts).
  const withVirtualBox = { ...process.env, VAGRANT_DEFAULT_PROVIDER: 'virtualbox' };

  it('lab:doctor: uml is chosen and ready here; vagrant names each missing piece with its fix', async () => {
    const uml = await runCli(['doctor']);
    expect(uml.code, uml.stdout + uml.stderr).to.equal(0);
    expect(uml.stdout).to.match(/^provider: uml \(the default on Linux/);
    expect(uml.stdout).to.include('uml (chosen): ready');

    const vagrant = await runCli(['doctor', '--provider', 'vagrant'], { env: withVirtualBox });
    expect(vagrant.code).to.equal(1);
    expect(vagrant.stdout).to.include('· engine: virtualbox (chosen with VAGRANT_DEFAULT_PROVIDER)');
    expect(vagrant.stdout).to.include('vagrant (chosen): ');
    expect(vagrant.stdout).to.match(/✓ Vagrant \d+\.\d+\.\d+/);
    expect(vagrant.stdout).to.include('✗ VirtualBox is not installed (no VBoxManage found) — fix: install VirtualBox');
    if (!existsSync('/etc/vbox/networks.conf')) {
      expect(vagrant.stdout).to.include("✗ the lab network 172.28.128.0/24 is outside the host-only ranges VirtualBox allows (192.168.56.0/21, its default) — fix: sudo mkdir -p /etc/vbox && echo '* 172.28.128.0/24 192.168.56.0/21' | sudo tee -a /etc/vbox/networks.conf");
    }
    expect(vagrant.stdout).to.include('not ready for vagrant');
  });

  it("lab:doctor asks Vagrant itself which VirtualBox it supports (stand-in VBoxManage in tests/vagrant/bin)", async () => {
    const doctor = (version: string) =>
      runCli(['doctor', '--provider', 'vagrant'], { env: { ...withVirtualBox, PATH: `${path.join(repoRoot, 'tests', 'vagrant', 'bin')}:${process.env.PATH}`, STAND_IN_VBOX_VERSION: version } });
    const supported = await doctor('7.0.14r161095');
    expect(supported.stdout).to.include('✓ VirtualBox 7.0.14r161095').and.to.include('✓ Vagrant accepts this VirtualBox and the Vagrantfile');
    const unsupported = await doctor('7.1.4r165100'); // newer than Debian's Vagrant 2.3.4 knows
    expect(unsupported.code).to.equal(1);
    expect(unsupported.stdout).to.match(/✗ Vagrant refuses VirtualBox 7\.1\.4r165100: Vagrant has detected that you have a version of VirtualBox installed that is not supported by this version of Vagrant\. .*6\.1, 7\.0 .* — fix: install a Vagrant release that supports this VirtualBox/);
    const old = await doctor('6.1.26r145957'); // before the host-only range rule
    expect(old.stdout).to.include('✓ Vagrant accepts this VirtualBox').and.not.to.include('host-only');
    expect(old.stdout).to.include('vagrant (chosen): ready');
    expect(old.code, old.stdout).to.equal(0);
  });

  it('lab:up --provider vagrant stops before making anything when VirtualBox is missing', async () => {
    const lab = 'vagrant-preflight';
    const result = await runCli(['up', '--provider', 'vagrant', '--name', lab], { env: withVirtualBox });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include('provider: vagrant (chosen with --provider)');
    expect(result.stderr).to.include('vagrant engine: virtualbox (chosen with VAGRANT_DEFAULT_PROVIDER)');
    expect(result.stderr).to.include('the vagrant provider cannot run here').and.to.include('VirtualBox is not installed').and.to.include('npm run lab:doctor -- --provider vagrant');
    expect(noStackTrace(result.stderr), result.stderr).to.equal(true);
    expect(existsSync(labPaths(lab).dir)).to.equal(false);
    expect(leftovers(labPaths(lab).dir)).to.deep.equal([]);
  });

  it('LAB_PROVIDER with an unknown name is a usage error', async () => {
    const result = await runCli(['up', '--name', 'bad-provider'], { env: { ...process.env, LAB_PROVIDER: 'virtualbox' } });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('LAB_PROVIDER must be uml or vagrant, not "virtualbox"');
    expect(existsSync(labPaths('bad-provider').dir)).to.equal(false);
  });
});

/**
 * lab:down of a Vagrant lab whose orchestrator died during `vagrant up`. The state is what
 * startVagrantLab writes before it runs vagrant; the stray process stands in for the orphaned
 * `vagrant up` (found, like it, by the lab's VAGRANT_DOTFILE_PATH in its environment).
 */
describe('lab:down of a Vagrant lab after a crash (acceptance)', function () {
  this.timeout(120_000);
  const lab = 'vagrant-crashed';
  const paths = labPaths(lab);
  const spec = loadSpec(seedSpecPath, { name: lab });

  const writeCrashedState = (): ChildProcess => {
    mkdirSync(paths.vagrantDotfile, { recursive: true });
    copyFileSync(seedSpecPath, paths.vagrantSpec);
    writeLabMeta(paths, { name: lab, provider: 'vagrant', spec, createdAt: new Date().toISOString(), nodes: [] });
    return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { env: { ...process.env, VAGRANT_DOTFILE_PATH: paths.vagrantDotfile }, stdio: 'ignore' });
  };
  const exited = (child: ChildProcess) => new Promise<NodeJS.Signals | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.signalCode) : child.once('exit', (_code, signal) => resolve(signal))));
  after(() => rmSync(paths.dir, { recursive: true, force: true }));

  it('stops the orphaned vagrant process and removes the state when no VM was made yet', async () => {
    const stray = writeCrashedState();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const down = await runCli(['down', '--name', lab]);
    expect(down.code, down.stderr).to.equal(0);
    expect(down.stderr).to.include(`lab ${lab} removed`);
    expect(await exited(stray)).to.equal('SIGINT');
    expect(existsSync(paths.dir)).to.equal(false);
  });

  it('keeps the state, and says so, when Vagrant cannot destroy a VM it made', async () => {
    const stray = writeCrashedState();
    mkdirSync(path.join(paths.vagrantDotfile, 'machines', 'balancer1', 'virtualbox'), { recursive: true });
    writeFileSync(path.join(paths.vagrantDotfile, 'machines', 'balancer1', 'virtualbox', 'id'), 'a1b2c3d4-0000-0000-0000-000000000000');
    const down = await runCli(['down', '--name', lab]);
    await exited(stray);
    expect(down.code).to.equal(1);
    expect(down.stderr).to.include("'vagrant destroy -f' failed");
    expect(noStackTrace(down.stderr), down.stderr).to.equal(true);
    expect(existsSync(paths.vagrantDotfile)).to.equal(true); // the record of the VM is not lost
    expect(existsSync(paths.meta)).to.equal(true);
  });
});
