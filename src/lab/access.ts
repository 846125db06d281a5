import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { LabError } from '../errors.js';
import { Communicator, type SshTarget } from '../ssh/communicator.js';
import { holderConnection } from '../uml/sandbox.js';
import type { LabMeta, LabPaths } from './state.js';

/** SSH details of a node of a running lab: the TCP stream goes through the lab's sandbox. */
export function sshTarget(paths: LabPaths, meta: LabMeta, node: string): SshTarget {
  const entry = meta.nodes.find((candidate) => candidate.name === node);
  if (!entry) {
    throw new LabError('UNKNOWN_NODE', `lab "${meta.name}" has no node "${node}"`, { hint: `use one of: ${meta.nodes.map((n) => n.name).join(', ')}` });
  }
  return {
    node,
    host: entry.managementAddress,
    port: entry.sshPort,
    username: 'root',
    privateKey: readFileSync(paths.privateKey, 'utf8'),
    openSocket: () => holderConnection(paths, { op: 'connect', host: entry.managementAddress, port: entry.sshPort }),
  };
}

export function connectNode(paths: LabPaths, meta: LabMeta, node: string): Promise<Communicator> {
  return Communicator.connect(sshTarget(paths, meta, node));
}

/** A TCP stream opened by the lab's client (the host side of the lab network), e.g. to the VIP. */
export function clientSocket(paths: LabPaths, host: string, port: number): () => Promise<Duplex> {
  return () => holderConnection(paths, { op: 'connect', host, port });
}

/** Runs fn with one SSH session per node, closing them all afterwards. */
export async function withNodes<T>(paths: LabPaths, meta: LabMeta, fn: (sessions: Map<string, Communicator>) => Promise<T>): Promise<T> {
  const sessions = new Map<string, Communicator>();
  try {
    await Promise.all(meta.nodes.map(async (node) => sessions.set(node.name, await connectNode(paths, meta, node.name))));
    return await fn(sessions);
  } finally {
    for (const session of sessions.values()) session.close();
  }
}
