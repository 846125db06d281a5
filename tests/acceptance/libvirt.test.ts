import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cpuPriorityAvailable, labCgroups } from '../../src/host/cpu-limit.js';
import { libvirtEngineOf } from '../../src/libvirt/engine.js';
import { labPaths } from '../../src/lab/state.js';
import { pidNamespaceOf, processesInNamespaces } from '../../src/util/procfs.js';
import { labVagrantEnvironment, vagrantStatus } from '../../src/vagrant/cli.js';
import { hostNetworkSnapshot, labCpuPriority, leftovers, noStackTrace, processesInNamespace, processesMentioning, runCli, settledStatusTable } from './cli.js';
import { earlyLab, upEarly } from './early-labs.js';

const lab = 'libvirt-acc';
// Brought up from the suite's start at background CPU priority: the emulated boot takes the CPU
// the scenarios before this file leave idle (their VRRP timing is wall-clock, not CPU, bound). The
// file runs right after the fault catalogue (.mocharc.cjs), when the lab is up.
upEarly(lab, ['--provider', 'vagrant'], 1_800_000);

/**
 * The students' path for real: Vagrant itself (vagrant-libvirt) boots the Vagrantfile's four VMs,
 * whole Debian kernels under qemu (software emulation here: this host's KVM runs no guest), in the
 * lab's own libvirt daemon and namespaces; the same provisioning and the same failover checks.
 */
describe('vagrant on libvirt: the seed lab booted by real Vagrant and qemu (acceptance)', function () {
  this.timeout(900_000);
  const paths = labPaths(lab);
  let hostBefore: string;
  let namespace: string | undefined;

  after(async () => {
    await runCli(['down', '--name', lab]);
  });

  it('lab:up --provider vagrant --background takes libvirt where VirtualBox is missing: the box from the recipe, vagrant up of four VMs in the lab\'s cgroup, provisioned', async () => {
    const early = await earlyLab(lab);
    const up = early.up;
    hostBefore = early.hostNetworkBefore;
    expect(up.code, up.stderr).to.equal(0);
    expect(up.stderr).to.include('vagrant engine: libvirt (no VirtualBox here');
    expect(up.stderr).to.match(/vagrant up: booting and provisioning balancer1, balancer2, backend1, backend2 in libvirt: done in [\d.]+ s/);
    // The box was put in the lab's pool beforehand: Vagrant found it and uploaded nothing.
    expect(up.stderr).to.include('vagrant up: booting');
    expect(up.stderr).not.to.include('Uploading base box image');
    // The box has a version: vagrant-libvirt has no advice to give about it.
    expect(up.stderr).not.to.include('No version detected');
    const engine = libvirtEngineOf(paths);
    expect(engine?.box).to.match(/^failover-lab\/bookworm-[0-9a-f]{16}$/);
    // Vagrant's own view: every machine made by it, on libvirt, running.
    const machines = await vagrantStatus(labVagrantEnvironment(paths));
    expect(machines.map((machine) => `${machine.name} ${machine.provider} ${machine.state}`)).to.deep.equal(['balancer1', 'balancer2', 'backend1', 'backend2'].map((name) => `${name} libvirt running`));
    const table = await settledStatusTable(lab);
    expect(table.stdout).to.match(/balancer1 +balancer +running +192\.168\.121\.\d+:22 +172\.28\.128\.10 +MASTER +yes +yes/);
    expect(table.stdout).to.match(/backend2 +backend +running/);
    // Everything of the lab is in its namespaces: the host's links, addresses and routes are as they were.
    expect(hostNetworkSnapshot()).to.equal(hostBefore);
    const holder = processesMentioning(path.join(paths.dir, 'libvirt', 'plan.json')).map((entry) => Number(entry.split(':')[0]));
    namespace = holder.map((pid) => pidNamespaceOf(pid)).find((ns) => ns !== pidNamespaceOf('self'));
    expect(namespace, 'the holder runs in a PID namespace of its own').to.be.a('string');
    expect(processesInNamespace(namespace!).length, 'libvirtd, dnsmasq and four qemu in it').to.be.at.least(6);
    // Under software emulation each qemu runs with the Vagrantfile's 128-MiB translation cache (a
    // libvirt element vagrant-libvirt has no setting for: this catches the day its template changes).
    const qemus = processesInNamespaces(new Set([namespace!])).map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0')).filter((argv) => argv[0]?.includes('qemu-system'));
    const accelerators = qemus.map((argv) => (argv.includes('-accel') ? argv[argv.indexOf('-accel') + 1] : 'none'));
    expect(accelerators).to.have.length(4);
    for (const accelerator of accelerators) expect(accelerator).to.match(/^(tcg,tb-size=128$|kvm)/);
    // The daemon, its VMs and vagrant ran in the lab's cgroup, in the background (libvirt itself manages no cgroups here).
    if (cpuPriorityAvailable()) {
      expect(up.stderr).to.include('at background CPU priority: it takes the CPU time other work leaves');
      expect(labCpuPriority(lab)).to.equal('background');
      const qemuPids = processesInNamespaces(new Set([namespace!])).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('qemu-system'));
      for (const pid of qemuPids) expect(readFileSync(`/proc/${pid}/cgroup`, 'utf8'), `qemu ${pid}'s cgroups`).to.include(`/failover-lab/${lab}\n`);
    }
  });

  it('lab:failover passes over them: the same checks and VRRP bounds as on uml', async () => {
    const run = await runCli(['failover', '--name', lab], { timeoutMs: 300_000 });
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.include('## Verdict: PASS (6/6 checks)');
    // Its scenario ran at the default weight: lab:failover raised the lab brought up in the background.
    if (cpuPriorityAvailable()) expect(labCpuPriority(lab)).to.equal('foreground');
  });

  it('freeze through the lab\'s libvirtd (virsh suspend/resume): the same fault checks pass', async () => {
    // A paused VM is timed from when it paused, not from Vagrant's start-up. (node-crash is left out:
    // an emulated reboot took 43-72 s here, around the 60-s boot allowance derived for uml nodes.)
    const run = await runCli(['failover', '--name', lab, '--fault', 'freeze'], { timeoutMs: 300_000 });
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.include('## Verdict: PASS (6/6 checks)');
  });

  it('lab:down removes all of it: VMs, libvirtd, dnsmasq, bridges, mounts and the lab folder', async () => {
    const down = await runCli(['down', '--name', lab]);
    expect(down.code, down.stderr).to.equal(0);
    expect(existsSync(paths.dir)).to.equal(false);
    expect(leftovers(paths.dir)).to.deep.equal([]);
    expect(processesInNamespace(namespace!)).to.deep.equal([]);
    expect(labCgroups(lab)).to.deep.equal([]);
    expect(hostNetworkSnapshot()).to.equal(hostBefore);
  });

  it('lab:down after the orchestrator was killed during vagrant up leaves nothing either', async () => {
    const crashed = 'libvirt-crash';
    const crashedPaths = labPaths(crashed);
    const up = await runCli(['up', '--provider', 'vagrant', '--name', crashed], {
      timeoutMs: 300_000,
      whileRunning: (child) => {
        let seen = '';
        child.stderr?.on('data', (chunk: Buffer | string) => {
          seen += chunk.toString();
          // Killed once qemu runs the VMs (they are started, not yet booted): the daemon, the VMs
          // and a vagrant up are all there to find.
          if (seen.includes('Waiting for domain to get an IP address')) child.kill('SIGKILL');
        });
      },
    });
    expect(up.code).to.equal(null);
    const orphans = processesMentioning(crashedPaths.dir);
    expect(orphans.filter((entry) => entry.includes('qemu-system')), `qemu runs the VMs:\n${orphans.join('\n')}`).not.to.be.empty;
    const down = await runCli(['down', '--name', crashed]);
    expect(down.code, down.stderr).to.equal(0);
    expect(noStackTrace(down.stderr), down.stderr).to.equal(true);
    expect(existsSync(crashedPaths.dir)).to.equal(false);
    expect(leftovers(crashedPaths.dir)).to.deep.equal([]);
    expect(labCgroups(crashed), 'the crashed lab\'s cgroups').to.deep.equal([]);
    expect(hostNetworkSnapshot()).to.equal(hostBefore);
  });
});
