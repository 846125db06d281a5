import { readFileSync } from 'node:fs';
import type { LabPaths, NodeAccess } from '../lab/state.js';
import type { SshTarget } from '../ssh/communicator.js';
import { holderConnection } from './sandbox.js';

/**
 * SSH to a uml node: the lab's own key, as root, over a stream the sandbox opens to its management
 * address; the node must present the host key made for it at lab:up.
 */
export function umlSshTarget(paths: LabPaths, node: NodeAccess): SshTarget {
  return {
    node: node.name,
    host: node.managementAddress,
    port: node.sshPort,
    username: 'root',
    privateKey: readFileSync(paths.privateKey, 'utf8'),
    ...(node.hostKey ? { hostKey: node.hostKey } : {}),
    openSocket: () => holderConnection(paths, { op: 'connect', host: node.managementAddress, port: node.sshPort }),
  };
}
