import { readFileSync } from 'node:fs';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { LabError } from '../errors.js';
import { Communicator, type SshTarget } from '../ssh/communicator.js';
import { holderConnection } from '../uml/sandbox.js';
import type { LabMeta, LabPaths } from './state.js';

/**
 * The one place that knows how each provider's nodes are reached. Everything above it (provisioning,
 * status, scenarios) gets a Communicator or a client stream and cannot tell the providers apart.
 * uml: every TCP stream goes through the lab's sandbox, so nothing leaves its namespace.
 * vagrant: SSH goes to the port Vagrant forwards; the client side of the lab is the host itself,
 * which sits on VirtualBox's host-only network.
 */
export function sshTarget(paths: LabPaths, meta: LabMeta, node: string): SshTarget {
  const entry = meta.nodes.find((candidate) => candidate.name === node);
  if (!entry) {
    throw new LabError('UNKNOWN_NODE', `lab "${meta.name}" has no node "${node}"`, { hint: `use one of: ${meta.nodes.map((n) => n.name).join(', ')}` });
  }
  const keyFile = meta.provider === 'vagrant' ? entry.identityFile : paths.privateKey;
  if (!keyFile) {
    throw new LabError('STATE_CORRUPT', `lab "${meta.name}" records no SSH key for ${node}`, { hint: 'recreate the lab: npm run lab:down, then npm run lab:up' });
  }
  return {
    node,
    host: entry.managementAddress,
    port: entry.sshPort,
    // vagrant: the Vagrantfile authorizes the machine's own key for root, so both providers log in as root.
    username: 'root',
    privateKey: readFileSync(keyFile, 'utf8'),
    ...(entry.hostKey ? { hostKey: entry.hostKey } : {}), // vagrant nodes: none pinned
    openSocket: meta.provider === 'uml' ? () => holderConnection(paths, { op: 'connect', host: entry.managementAddress, port: entry.sshPort }) : undefined,
  };
}

export function connectNode(paths: LabPaths, meta: LabMeta, node: string): Promise<Communicator> {
  return Communicator.connect(sshTarget(paths, meta, node));
}

/** A TCP stream opened by the lab's client (the host side of the lab network), e.g. to the VIP. */
export function clientSocket(paths: LabPaths, meta: LabMeta, host: string, port: number): () => Promise<Duplex> {
  if (meta.provider === 'uml') return () => holderConnection(paths, { op: 'connect', host, port });
  return () => hostConnection(host, port);
}

function hostConnection(host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
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
