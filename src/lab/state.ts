import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.js';
import type { LabSpec } from '../spec/types.js';
import { labStateRoot } from '../util/paths.js';

/**
 * The one module that knows the layout of a lab's state directory:
 *   lab.json      what is running (spec, provider, node addresses)
 *   plan.json     the sandbox plan the holder executes; holder-main.js, the holder itself
 *   holder.pid    holder.log
 *   sandbox.pidns the sandbox's PID namespace: lab:down waits until no process is left in it
 *   ssh/          the lab's key pair (uml)
 *   vagrant/      Vagrant's machine state (VAGRANT_DOTFILE_PATH), so lab:down finds the VMs
 *   spec.yaml     the lab's copy of its spec file, which the Vagrantfile reads (LAB_SPEC)
 *   node-files/   per node: the provision/ scripts and rendered files the Vagrantfile uploads
 *   sandbox/      the only part the sandbox may write (owned by its unprivileged user):
 *     holder.sock, nodes/NAME/{disk.cow,console.log}, uml/ (uml's control sockets, uml_dir),
 *     root/ (empty: where the sandbox mounts its own minimal root, see uml/holder-root.ts)
 */
export interface LabPaths {
  dir: string;
  meta: string;
  plan: string;
  holderPid: string;
  holderLog: string;
  sandboxNamespace: string;
  privateKey: string;
  publicKey: string;
  holderScript: string;
  /** Where a failed `up` keeps its logs until the next up or down of the lab. */
  failedLogs: string;
  sandbox: string;
  vagrantDotfile: string;
  vagrantNodeFiles: string;
  vagrantSpec: string;
  controlSocket: string;
  sandboxRoot: string;
  umlDir: string;
  nodesDir: string;
  nodeDir: (node: string) => string;
}

export function labPaths(name: string, root = labStateRoot()): LabPaths {
  const dir = path.join(root, name);
  const nodesDir = path.join(dir, 'sandbox', 'nodes');
  return {
    dir,
    meta: path.join(dir, 'lab.json'),
    plan: path.join(dir, 'plan.json'),
    holderPid: path.join(dir, 'holder.pid'),
    holderLog: path.join(dir, 'holder.log'),
    sandboxNamespace: path.join(dir, 'sandbox.pidns'),
    privateKey: path.join(dir, 'ssh', 'id_ed25519'),
    publicKey: path.join(dir, 'ssh', 'id_ed25519.pub'),
    holderScript: path.join(dir, 'holder-main.js'),
    failedLogs: `${dir}.failed`,
    sandbox: path.join(dir, 'sandbox'),
    vagrantDotfile: path.join(dir, 'vagrant'),
    vagrantNodeFiles: path.join(dir, 'node-files'),
    vagrantSpec: path.join(dir, 'spec.yaml'),
    controlSocket: path.join(dir, 'sandbox', 'holder.sock'),
    sandboxRoot: path.join(dir, 'sandbox', 'root'),
    umlDir: path.join(dir, 'sandbox', 'uml'),
    nodesDir,
    nodeDir: (node) => path.join(nodesDir, node),
  };
}

export type ProviderName = 'uml' | 'vagrant';

/** How to reach a node's sshd. uml: through the sandbox to the management address; vagrant: a forwarded port. */
export interface NodeAccess {
  name: string;
  managementAddress: string;
  sshPort: number;
  /** vagrant: the machine's key from `vagrant ssh-config` (uml nodes use the lab's key pair). */
  identityFile?: string;
  /** uml: the node's own SSH host key ("ssh-ed25519 BASE64"), made for it at lab:up; SSH refuses any other. Vagrant nodes have none pinned. */
  hostKey?: string;
}

export interface LabMeta {
  name: string;
  provider: ProviderName;
  spec: LabSpec;
  /** uml: the node image the nodes boot from. */
  boxImage?: string;
  createdAt: string;
  /** uml: how the sandbox's CPU is capped (see uml/cpu-limit.ts), for lab:status. */
  cpuLimit?: string;
  /** Set once every node is provisioned and the VIP answers. */
  readyAt?: string;
  nodes: NodeAccess[];
}

/** A node's access record, or an error naming the nodes there are. */
export function nodeAccess(meta: LabMeta, node: string): NodeAccess {
  const entry = meta.nodes.find((candidate) => candidate.name === node);
  if (!entry) {
    throw new LabError('UNKNOWN_NODE', `lab "${meta.name}" has no node "${node}"`, { hint: `use one of: ${meta.nodes.map((n) => n.name).join(', ')}` });
  }
  return entry;
}

export function writeLabMeta(paths: LabPaths, meta: LabMeta): void {
  mkdirSync(paths.dir, { recursive: true });
  writeFileSync(paths.meta, `${JSON.stringify(meta, null, 2)}\n`);
}

export function readLabMeta(paths: LabPaths): LabMeta | undefined {
  if (!existsSync(paths.meta)) return undefined;
  try {
    return JSON.parse(readFileSync(paths.meta, 'utf8')) as LabMeta;
  } catch (cause) {
    throw new LabError('STATE_CORRUPT', `the lab state ${paths.meta} cannot be read`, { cause, hint: 'remove the lab with: npm run lab:down' });
  }
}

export function requireLabMeta(paths: LabPaths, name: string): LabMeta {
  const meta = readLabMeta(paths);
  if (!meta) {
    throw new LabError('LAB_NOT_UP', `lab "${name}" is not up`, { hint: 'start it with: npm run lab:up' });
  }
  return meta;
}
