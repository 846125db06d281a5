import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LabProvider } from '../provider/provider.js';
import { cpuPriorityAvailable, setCpuPriority } from '../host/cpu-limit.js';
import { provisionUmlLab, startUmlLab } from './lab.js';
import { holderConnection, holderStatus, killSandboxNode, restartSandboxNode, sandboxRunning, signalSandboxNode, stopSandbox } from './sandbox.js';
import { umidOf } from './plan.js';
import { umlSshTarget } from './access.js';

/**
 * User-Mode Linux: the nodes run in the lab's sandbox (its own network, PID and mount namespaces),
 * and everything that talks to them (SSH, HTTP probes, the load generator) goes through it.
 */
export const umlProvider: LabProvider = {
  name: 'uml',
  start: (spec, paths, files, progress, priority) => startUmlLab(spec, paths, files, progress, priority),
  reprovision: (spec, paths, meta, files, progress) => provisionUmlLab(paths, meta, spec, files, progress),
  resumesStoppedLabs: false,
  // The lab's cgroup (cpu-limit.ts), found by the lab's name.
  setCpuPriority: (paths, priority) => setCpuPriority(path.basename(paths.dir), priority),
  cpuPriorityAvailable,
  async nodeStates(paths) {
    const states = new Map<string, { running: boolean; label: string }>();
    if (!sandboxRunning(paths)) return states;
    for (const node of (await holderStatus(paths)).nodes) {
      states.set(node.name, { running: node.running, label: node.running ? 'running' : `exited (${node.exitCode ?? node.signal})` });
    }
    return states;
  },
  sshTarget: (paths, meta, node) => umlSshTarget(paths, node),
  clientSocket: (paths, _meta, host, port) => () => holderConnection(paths, { op: 'connect', host, port }),
  clientCommand(paths, _meta, command, args) {
    // Inside the lab's user and network namespaces, entered through the sandbox's holder.
    const holderPid = Number(readFileSync(paths.holderPid, 'utf8').trim());
    return { command: 'nsenter', args: ['--target', String(holderPid), '--user', '--net', '--preserve-credentials', '--', command, ...args] };
  },
  async nodePower(paths, meta, node, action) {
    const umid = umidOf(meta.name, node);
    if (action === 'kill') await killSandboxNode(paths, umid, node);
    // A fresh copy-on-write disk, as a reinstalled machine: the engine provisions it again.
    else if (action === 'boot') await restartSandboxNode(paths, umid, node);
    else signalSandboxNode(paths, umid, node, action === 'freeze' ? 'SIGSTOP' : 'SIGCONT');
    return undefined; // a signal, at once
  },
  // The labs' boot deadline (45 s to answer SSH), then provisioning: seen 48 s for two nodes together
  // on a 2-core host at load 4-5 with the scenario's load running.
  rebootAllowance: () => ({ seconds: 60, basis: 'a uml node boots to SSH and is provisioned in ≤ 60 s' }),
  describeAccess: (node) => node.managementAddress,
  running: (paths) => sandboxRunning(paths),
  async removeMachines(paths) {
    const processesKilled = await stopSandbox(paths);
    return { processesKilled, machinesDestroyed: false };
  },
};
