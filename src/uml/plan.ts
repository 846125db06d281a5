import path from 'node:path';
import { formatIpv4, parseIpv4, subnetBroadcast } from '../spec/ipv4.js';
import type { LabPaths } from '../lab/state.js';
import { managementInterface, type LabNode, type LabSpec } from '../spec/types.js';
import type { SandboxRoot } from './holder-root.js';
import { programFiles } from './root-files.js';

/** What the sandbox holder builds inside the lab's namespaces: written as plan.json, read by holder-main. */
export interface SandboxPlan {
  lab: string;
  controlSocket: string;
  /** uml's uml_dir: one folder per node (umid) with its control socket. */
  umlDir: string;
  /** The only files the sandbox sees once it runs (see holder-root.ts). */
  root: SandboxRoot;
  /** The only networks the control socket opens connections to ("a.b.c.d/n"). */
  networks: string[];
  /** The host side's bridges: address "a.b.c.d/n", and the broadcast address the holder wakes the nodes with (link-kick.ts). */
  bridges: { name: string; address: string; broadcast: string }[];
  nodes: PlannedNode[];
}

export interface PlannedNode {
  name: string;
  managementAddress: string;
  links: { bridge: string; hostEnd: string; guestEnd: string }[];
  umid: string;
  /** The node's copy-on-write disk over the shared image: a fresh one is a fresh node. */
  disk: string;
  command: string;
  args: string[];
  consoleLog: string;
}

export const managementBridge = 'mgmt0';
export const labBridge = 'lab0';
export const umlBinary = '/usr/bin/linux.uml';

/** The orchestrator's side of the management network is .1; node i gets .(10 + i). */
export function managementAddresses(spec: LabSpec): { host: string; nodes: Map<string, string> } {
  const base = parseIpv4(spec.management.subnet) ?? 0;
  return {
    host: formatIpv4(base + 1),
    nodes: new Map(spec.nodes.map((node, index) => [node.name, formatIpv4(base + 10 + index)])),
  };
}

/** uml's id of a node's VM: it names the VM's control folder and marks its host processes' command lines. */
export function umidOf(lab: string, node: string): string {
  return `${lab}-${node}`;
}

export interface PlanInputs {
  spec: LabSpec;
  paths: LabPaths;
  boxImage: string;
  /** Base64 blob of the lab's ed25519 public key. */
  publicKeyBlob: string;
  /** Per node: its host key's private body (lab.hostkey=), which only that node's kernel command line carries. */
  hostKeys: Map<string, string>;
}

/** What uml needs once the sandbox's root is pivoted: uml itself and umount (which detaches the host's root). */
export function sandboxRoot(paths: LabPaths, boxImage: string): SandboxRoot {
  const programs = [umlBinary, '/usr/bin/umount'].flatMap(programFiles);
  return { mountPoint: paths.sandboxRoot, readOnly: [...new Set([...programs, boxImage])], writable: [paths.sandbox] };
}

function bridge(name: string, address: string, prefix: number): SandboxPlan['bridges'][number] {
  return { name, address: `${address}/${prefix}`, broadcast: subnetBroadcast({ network: parseIpv4(address) ?? 0, prefix }) };
}

export function sandboxPlan({ spec, paths, boxImage, publicKeyBlob, hostKeys }: PlanInputs): SandboxPlan {
  const management = managementAddresses(spec);
  return {
    lab: spec.name,
    controlSocket: paths.controlSocket,
    umlDir: paths.umlDir,
    root: sandboxRoot(paths, boxImage),
    networks: [`${spec.management.subnet}/${spec.management.prefix}`, `${spec.lab.subnet}/${spec.lab.prefix}`],
    bridges: [
      bridge(managementBridge, management.host, spec.management.prefix),
      bridge(labBridge, spec.lab.client, spec.lab.prefix),
    ],
    nodes: spec.nodes.map((node, index) => plannedNode(spec, node, index, management.nodes.get(node.name) ?? '', { paths, boxImage, publicKeyBlob, hostKeys })),
  };
}

function plannedNode(
  spec: LabSpec,
  node: LabNode,
  index: number,
  managementAddress: string,
  { paths, boxImage, publicKeyBlob, hostKeys }: Omit<PlanInputs, 'spec'>,
): PlannedNode {
  const dir = paths.nodeDir(node.name);
  // Interface names must fit in 15 characters whatever the node is called, hence the index.
  const links = [
    { bridge: managementBridge, hostEnd: `n${index}mh`, guestEnd: `n${index}m` },
    { bridge: labBridge, hostEnd: `n${index}lh`, guestEnd: `n${index}l` },
  ];
  const umid = umidOf(spec.name, node.name);
  const disk = path.join(dir, 'disk.cow');
  const args = [
    `umid=${umid}`,
    `uml_dir=${paths.umlDir}`,
    `mem=${spec.memoryMb}M`,
    `ubd0=${disk},${boxImage}`,
    'root=/dev/ubda',
    'rw',
    // The raw transport reads a veth end in the sandbox: no /dev/net/tun, so no root needed.
    // gro=1: the host hands a veth's TCP data over in GSO frames of up to 64 KiB; without it uml
    // reads them into MTU-sized buffers and the truncated segments are lost ("Incoming GSO frames
    // and GRO disabled" on the console), so an SSH session with more than a segment in flight
    // stalled in retransmission back-off until it was dropped (balancers stopped answering).
    `vec0:transport=raw,ifname=${links[0]?.guestEnd},gro=1`,
    `vec1:transport=raw,ifname=${links[1]?.guestEnd},gro=1`,
    `lab.if=${managementInterface(spec)}/vec0/${managementAddress}/${spec.management.prefix}`,
    `lab.if=${spec.lab.interface}/vec1/${node.address}/${spec.lab.prefix}`,
    `lab.key=${publicKeyBlob}`,
    `lab.hostkey=${hostKeys.get(node.name) ?? ''}`,
    `systemd.hostname=${node.name}`,
    'con=null',
    'con0=null,fd:1',
  ];
  return { name: node.name, managementAddress, links, umid, disk, command: umlBinary, args, consoleLog: path.join(dir, 'console.log') };
}
