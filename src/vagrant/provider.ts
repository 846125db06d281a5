import net from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { readFileSync } from 'node:fs';
import { LabError } from '../errors.js';
import { cpuPriorityAvailable, setCpuPriority } from '../host/cpu-limit.js';
import type { LabProvider } from '../provider/provider.js';
import { destroyVagrantLab, reprovisionVagrantLab, startVagrantLab, vagrantMachineStates } from './lab.js';
import { stopStrayVagrant, strayVagrantRunning } from './leftovers.js';
import { libvirtConnection, libvirtDaemonRunning, libvirtHolderPid, stopLibvirtDaemon } from '../libvirt/daemon.js';
import { libvirtEngineOf } from '../libvirt/engine.js';
import type { LabPaths } from '../lab/state.js';
import { hostVagrantEngine } from './engine.js';
import { powerVagrantNode } from './node-power.js';

/**
 * Vagrant. On VirtualBox, SSH goes to the port Vagrant forwards on the host, and the lab's client
 * side is the host itself, which sits on VirtualBox's host-only network. On libvirt, everything of
 * the lab is in its own namespaces (see libvirt/): SSH, the client and vagrant itself go through them.
 */
export const vagrantProvider: LabProvider = {
  name: 'vagrant',
  start: async (spec, paths, files, progress, priority) => ({ meta: await startVagrantLab(spec, paths, files, progress, priority), boxBuilt: false }),
  reprovision: (spec, paths, _meta, files, progress) => reprovisionVagrantLab(spec, paths, files, progress),
  // `vagrant up` boots existing machines again (a laptop rebooted): much quicker than new ones.
  resumesStoppedLabs: true,
  // A libvirt lab runs in its cgroup (daemon, VMs, vagrant); VirtualBox's VMs are not weighed.
  setCpuPriority: (paths, priority) => libvirtEngineOf(paths) !== undefined && setCpuPriority(path.basename(paths.dir), priority),
  cpuPriorityAvailable: () => hostVagrantEngine().name === 'libvirt' && cpuPriorityAvailable(),
  async nodeStates(paths) {
    const states = new Map<string, { running: boolean; label: string }>();
    for (const machine of await vagrantMachineStates(paths)) {
      states.set(machine.name, { running: machine.state === 'running', label: machine.state === 'running' ? 'running' : machine.description });
    }
    return states;
  },
  sshTarget(paths, meta, node) {
    if (!node.identityFile) {
      throw new LabError('STATE_CORRUPT', `lab "${meta.name}" records no SSH key for ${node.name}`, { hint: 'recreate the lab: npm run lab:down, then npm run lab:up' });
    }
    // The Vagrantfile authorizes the machine's own key for root, so both providers log in as root.
    const libvirt = libvirtEngineOf(paths);
    return {
      node: node.name,
      host: node.managementAddress,
      port: node.sshPort,
      username: 'root',
      privateKey: readFileSync(node.identityFile, 'utf8'),
      openSocket: libvirt ? () => libvirtConnection(libvirt.plan, node.managementAddress, node.sshPort) : undefined,
    };
  },
  clientSocket(paths, _meta, host, port) {
    const libvirt = libvirtEngineOf(paths);
    return libvirt ? () => libvirtConnection(libvirt.plan, host, port) : () => hostConnection(host, port);
  },
  clientCommand(paths, _meta, command, args) {
    const libvirt = libvirtEngineOf(paths);
    if (!libvirt) return { command, args };
    return { command: 'nsenter', args: ['--target', String(libvirtHolderPid(libvirt.plan)), '--net', '--', command, ...args] };
  },
  nodePower: (paths, _meta, node, action) => powerVagrantNode(paths, node, action),
  // libvirt under software emulation: `vagrant up` of the killed VM and provisioning took 43-72 s
  // on a 2-core host (72 s with the test suite's other work around it). Not measured on VirtualBox.
  rebootAllowance: (paths) => ({
    seconds: 120,
    basis: `a ${libvirtEngineOf(paths) ? 'libvirt VM (seen emulated: 43-72 s)' : 'VirtualBox VM (not measured)'} boots through vagrant up and is provisioned in ≤ 120 s`,
  }),
  // SSH goes to a port forwarded on the host, so the address alone would not say which node.
  describeAccess: (node) => `${node.managementAddress}:${node.sshPort}`,
  running: (paths) => strayVagrantRunning(paths.vagrantDotfile) || libvirtRunning(paths),
  async removeMachines(paths, progress) {
    const libvirt = libvirtEngineOf(paths);
    if (!libvirt) return { processesKilled: 0, machinesDestroyed: await destroyVagrantLab(paths, progress) };
    // The VMs, their networks and dnsmasq die with the lab's namespaces; their disks are in the lab's folder.
    await stopStrayVagrant(paths.vagrantDotfile);
    const processesKilled = await stopLibvirtDaemon(libvirt.plan);
    return { processesKilled, machinesDestroyed: processesKilled > 0 };
  },
};

function hostConnection(host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

function libvirtRunning(paths: LabPaths): boolean {
  const libvirt = libvirtEngineOf(paths);
  return libvirt !== undefined && libvirtDaemonRunning(libvirt.plan);
}
