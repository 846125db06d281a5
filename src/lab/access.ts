import type { Duplex } from 'node:stream';
import { providerFor } from '../provider/registry.js';
import type { ExecResult, RunOptions } from '../ssh/command-runner.js';
import { Communicator, type SshTarget } from '../ssh/communicator.js';
import type { NodeShell } from '../ssh/node-shell.js';
import { nodeAccess, type LabMeta, type LabPaths } from './state.js';

/**
 * How the engine reaches nodes: it asks the lab's provider. Everything above (provisioning,
 * status, scenarios) gets a Communicator or a client stream and cannot tell the providers apart.
 */
export function sshTarget(paths: LabPaths, meta: LabMeta, node: string): SshTarget {
  return providerFor(meta.provider).sshTarget(paths, meta, nodeAccess(meta, node));
}

export function connectNode(paths: LabPaths, meta: LabMeta, node: string): Promise<Communicator> {
  return Communicator.connect(sshTarget(paths, meta, node));
}

/** Runs one command on a node over an SSH connection of its own, closed after (a look, a preparation). */
export async function execOnNewConnection(paths: LabPaths, meta: LabMeta, node: string, command: string, options: RunOptions = {}): Promise<ExecResult> {
  const session = await connectNode(paths, meta, node);
  try {
    return await session.exec(command, options);
  } finally {
    session.close();
  }
}

/** A TCP stream opened by the lab's client (the host side of the lab network), e.g. to the VIP. */
export function clientSocket(paths: LabPaths, meta: LabMeta, host: string, port: number): () => Promise<Duplex> {
  return providerFor(meta.provider).clientSocket(paths, meta, host, port);
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

/** Something to close when the work is done: a session or a shell. */
export interface Closable {
  close(): void;
}

/** A shell kept open on a node over a connection of its own; both are added to `opened` for the caller to close. */
export async function openShell(paths: LabPaths, meta: LabMeta, node: string, opened: Closable[]): Promise<NodeShell> {
  const session = await connectNode(paths, meta, node);
  opened.push(session);
  const shell = await session.openShell();
  opened.push(shell);
  return shell;
}

/** Closes what was opened, newest first (a shell before its session). */
export function closeAll(opened: Closable[]): void {
  for (const item of [...opened].reverse()) item.close();
}

/**
 * Runs fn with a shell kept open on each of the named nodes, connecting one after another: SSH
 * logins to several uml nodes at once slow each node's own processes (keepalived's track script
 * among them) for seconds. fn gets a way to open another shell (e.g. to replace one that hangs).
 */
export async function withShells<T>(
  paths: LabPaths,
  meta: LabMeta,
  nodes: string[],
  fn: (shells: Map<string, NodeShell>, fresh: (node: string) => Promise<NodeShell>) => Promise<T>,
): Promise<T> {
  const opened: Closable[] = [];
  const fresh = (node: string) => openShell(paths, meta, node, opened);
  try {
    const shells = new Map<string, NodeShell>();
    for (const node of nodes) shells.set(node, await fresh(node));
    return await fn(shells, fresh);
  } finally {
    closeAll(opened);
  }
}
