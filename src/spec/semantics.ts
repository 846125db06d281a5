import { existsSync } from 'node:fs';
import path from 'node:path';
import type { LabSpecDocument } from './schema.js';
import { checkInstances } from './instance-semantics.js';
import { checkTuning } from './tuning-semantics.js';
import { cidrContains, isNetworkOrBroadcast, parseCidr, parseIpv4, type Cidr } from './ipv4.js';

export interface SpecProblem {
  path: string[];
  message: string;
}

/** Checks what a schema cannot: addresses inside their subnets, uniqueness, a workable set of roles. */
export function checkSemantics(spec: LabSpecDocument, specDir: string): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const problem = (path: string[], message: string) => problems.push({ path, message });

  const labSubnet = subnet(spec.networks.lab.subnet, ['networks', 'lab', 'subnet'], problem);
  const managementSubnet = subnet(spec.networks.management.subnet, ['networks', 'management', 'subnet'], problem);
  if (labSubnet && managementSubnet && (cidrContains(labSubnet, managementSubnet.network) || cidrContains(managementSubnet, labSubnet.network))) {
    problem(['networks', 'management', 'subnet'], 'must not overlap the lab subnet');
  }
  if (managementSubnet && managementSubnet.prefix > 27) {
    problem(['networks', 'management', 'subnet'], 'must be a /27 or larger (it holds one address per node)');
  }

  if (spec.networks.lab.interface === 'eth0') {
    problem(['networks', 'lab', 'interface'], 'eth0 is the management interface (SSH); use eth1, as Vagrant does');
  }

  const used = new Map<number, string>();
  const hostAddress = (text: string, where: string[], label: string) => {
    const value = parseIpv4(text);
    if (value === undefined) return problem(where, `"${text}" is not an IPv4 address`);
    if (labSubnet && !cidrContains(labSubnet, value)) return problem(where, `${text} is outside the lab subnet ${spec.networks.lab.subnet}`);
    if (labSubnet && isNetworkOrBroadcast(labSubnet, value)) return problem(where, `${text} is the network or broadcast address of ${spec.networks.lab.subnet}`);
    const owner = used.get(value);
    if (owner) return problem(where, `${text} is already used by ${owner}`);
    used.set(value, label);
  };

  hostAddress(spec.networks.lab.client, ['networks', 'lab', 'client'], 'the client');
  problems.push(...checkInstances(spec, hostAddress));

  const entries = Object.entries(spec.nodes);
  for (const [name, node] of entries) hostAddress(node.address, ['nodes', name, 'address'], name);
  if (!entries.some(([, node]) => node.role === 'balancer')) problem(['nodes'], 'needs at least one node with role "balancer"');
  if (!entries.some(([, node]) => node.role === 'backend')) problem(['nodes'], 'needs at least one node with role "backend"');
  if (managementSubnet && entries.length > 2 ** (32 - managementSubnet.prefix) - 12) {
    problem(['networks', 'management', 'subnet'], `is too small for ${entries.length} nodes`);
  }

  const { vrrp } = spec;
  if (vrrp.auth_type !== undefined && vrrp.auth_pass === undefined) problem(['vrrp', 'auth_pass'], 'is required when auth_type is set');
  if (vrrp.template !== undefined && !existsSync(path.resolve(specDir, vrrp.template))) {
    problem(['vrrp', 'template'], `file ${path.resolve(specDir, vrrp.template)} does not exist`);
  }
  problems.push(...checkTuning(spec));
  return problems;
}

function subnet(text: string, where: string[], problem: (path: string[], message: string) => void): Cidr | undefined {
  if (parseCidr(text) === undefined) {
    problem(where, `"${text}" is not a subnet such as 172.28.128.0/24`);
    return undefined;
  }
  const network = parseCidr(text, true);
  if (network === undefined) problem(where, `"${text}" has host bits set: write the network address, e.g. ${text.replace(/\.\d+\//, '.0/')}`);
  return network;
}
