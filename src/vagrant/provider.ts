import net from 'node:net';
import type { Duplex } from 'node:stream';
import { readFileSync } from 'node:fs';
import { LabError } from '../errors.js';
import type { LabProvider } from '../provider/provider.js';
import { destroyVagrantLab, reprovisionVagrantLab, startVagrantLab, vagrantMachineStates } from './lab.js';
import { strayVagrantRunning } from './leftovers.js';
import { powerVagrantNode } from './node-power.js';

/**
 * Vagrant (VirtualBox): SSH goes to the port Vagrant forwards on the host; the lab's client side is
 * the host itself, which sits on VirtualBox's host-only network.
 */
export const vagrantProvider: LabProvider = {
  name: 'vagrant',
  start: async (spec, paths, files, progress) => ({ meta: await startVagrantLab(spec, paths, files, progress), boxBuilt: false }),
  reprovision: (spec, paths, _meta, files, progress) => reprovisionVagrantLab(spec, paths, files, progress),
  // `vagrant up` boots existing machines again (a laptop rebooted): much quicker than new ones.
  resumesStoppedLabs: true,
  async nodeStates(paths) {
    const states = new Map<string, { running: boolean; label: string }>();
    for (const machine of await vagrantMachineStates(paths)) {
      states.set(machine.name, { running: machine.state === 'running', label: machine.state === 'running' ? 'running' : machine.description });
    }
    return states;
  },
  sshTarget(_paths, meta, node) {
    if (!node.identityFile) {
      throw new LabError('STATE_CORRUPT', `lab "${meta.name}" records no SSH key for ${node.name}`, { hint: 'recreate the lab: npm run lab:down, then npm run lab:up' });
    }
    // The Vagrantfile authorizes the machine's own key for root, so both providers log in as root.
    return { node: node.name, host: node.managementAddress, port: node.sshPort, username: 'root', privateKey: readFileSync(node.identityFile, 'utf8'), openSocket: undefined };
  },
  clientSocket: (_paths, _meta, host, port) => () => hostConnection(host, port),
  clientCommand: (_paths, _meta, command, args) => ({ command, args }),
  nodePower: (paths, _meta, node, action) => powerVagrantNode(paths, node, action),
  // SSH goes to a port forwarded on the host, so the address alone would not say which node.
  describeAccess: (node) => `${node.managementAddress}:${node.sshPort}`,
  running: (paths) => strayVagrantRunning(paths.vagrantDotfile),
  removeMachines: async (paths, progress) => ({ processesKilled: 0, machinesDestroyed: await destroyVagrantLab(paths, progress) }),
};

function hostConnection(host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}
