import { holderStatus, sandboxRunning } from '../uml/sandbox.js';
import { vagrantMachineStates } from '../vagrant/lab.js';
import type { LabMeta, LabPaths } from './state.js';

/** A node's VM as its provider sees it. */
export interface NodeState {
  running: boolean;
  /** e.g. "running", "exited (1)", "poweroff", "not created". */
  label: string;
}

/** Each node's VM state, asked of the lab's provider (uml: the sandbox's holder; vagrant: vagrant status). */
export async function nodeStates(paths: LabPaths, meta: LabMeta): Promise<Map<string, NodeState>> {
  const states = new Map<string, NodeState>();
  if (meta.provider === 'vagrant') {
    for (const machine of await vagrantMachineStates(paths)) {
      states.set(machine.name, { running: machine.state === 'running', label: machine.state === 'running' ? 'running' : machine.description });
    }
  } else if (sandboxRunning(paths)) {
    for (const node of (await holderStatus(paths)).nodes) {
      states.set(node.name, { running: node.running, label: node.running ? 'running' : `exited (${node.exitCode ?? node.signal})` });
    }
  }
  return states;
}

/** Whether every node of the lab is running. */
export async function labRunning(paths: LabPaths, meta: LabMeta): Promise<boolean> {
  const states = await nodeStates(paths, meta);
  return meta.spec.nodes.every((node) => states.get(node.name)?.running === true);
}
