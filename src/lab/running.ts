import type { NodeState } from '../provider/provider.js';
import { providerFor } from '../provider/registry.js';
import type { LabMeta, LabPaths } from './state.js';

/** Each node's VM state, asked of the lab's provider. */
export function nodeStates(paths: LabPaths, meta: LabMeta): Promise<Map<string, NodeState>> {
  return providerFor(meta.provider).nodeStates(paths, meta);
}

/** Whether every node of the lab is running. */
export async function labRunning(paths: LabPaths, meta: LabMeta): Promise<boolean> {
  const states = await nodeStates(paths, meta);
  return meta.spec.nodes.every((node) => states.get(node.name)?.running === true);
}
