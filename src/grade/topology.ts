import { cidrContains, formatIpv4, isNetworkOrBroadcast, parseIpv4, type Cidr } from '../spec/ipv4.js';
import { backends, balancers, type LabSpec } from '../spec/types.js';
import { isPlaceholder } from './check-template.js';
import type { Forwarding, IpvsServiceDef } from './ipvs-service.js';
import type { VrrpInstance } from './keepalived-model.js';
import type { RoleAssignment } from './roles.js';
import type { RawFinding } from './types.js';

/** The lab a submission needs: its own values where it gives them, the seed's otherwise. */
export interface LabTopology {
  subnet: string;
  prefix: number;
  interface: string;
  vip: string;
  balancers: { balancer1: string; balancer2: string };
  backends: string[];
  port: number;
  scheduler: string;
  forwarding: Forwarding;
  unicast: boolean;
  /** Which of the fields above the submission gave (the rest are the seed's). */
  fromSubmission: string[];
}

/** The first vrrp_instance of each balancer's config (the lab has one VRRP router). */
export function instanceOf(assignments: RoleAssignment[], balancer: 'balancer1' | 'balancer2'): VrrpInstance | undefined {
  return assignments.find((assignment) => assignment.balancer === balancer)?.config.config.vrrpInstances[0];
}

/** The service clients use: on the VIP when one is, else the first one found. */
export function mainService(services: IpvsServiceDef[], vip: string | undefined): IpvsServiceDef | undefined {
  return services.find((service) => service.address === vip) ?? services[0];
}

/**
 * Derives the lab topology from the submission. Addresses it leaves out keep the seed's host
 * part in the submission's subnet (a 10.0.0.0/24 submission gets its balancers at .10 and .20).
 * Addresses that cannot share one subnet are a finding, never an exception.
 */
export function deriveTopology(seed: LabSpec, assignments: RoleAssignment[], services: IpvsServiceDef[]): { topology: LabTopology; findings: RawFinding[] } {
  const findings: RawFinding[] = [];
  const given: string[] = [];
  const one = instanceOf(assignments, 'balancer1');
  const two = instanceOf(assignments, 'balancer2');
  const vipEntry = [one, two].flatMap((instance) => instance?.virtualIpaddresses ?? []).find((vip) => parseIpv4(vip.address) !== undefined);
  const service = mainService(services, vipEntry?.address);

  let vip = seed.vip.address;
  let prefix = seed.lab.prefix;
  if (vipEntry) (vip = vipEntry.address), given.push('vip');
  else if (service && parseIpv4(service.address) !== undefined) (vip = service.address), given.push('vip');
  if (vipEntry?.prefix !== undefined) (prefix = vipEntry.prefix), given.push('prefix');

  const seedBalancers = balancers(seed);
  const srcOf = (instance: VrrpInstance | undefined) => validAddress(instance?.unicastSrcIp?.value);
  const onlyPeer = (instance: VrrpInstance | undefined) => (instance?.unicastPeers.length === 1 ? validAddress(instance.unicastPeers[0]!.value) : undefined);
  const givenBalancer1 = srcOf(one) ?? onlyPeer(two);
  const givenBalancer2 = srcOf(two) ?? onlyPeer(one);
  const realServers = (service?.realServers ?? []).map((real) => real.address).filter((address) => parseIpv4(address) !== undefined);
  if (givenBalancer1 ?? givenBalancer2) given.push('balancers');
  if (realServers.length > 0) given.push('backends');

  // The network is where the nodes are; the VIP names it only when the submission gives no node address.
  const anchor = givenBalancer1 ?? givenBalancer2 ?? realServers[0] ?? vip;
  const seedSubnet: Cidr = { network: parseIpv4(seed.lab.subnet.split('/')[0]!)!, prefix: seed.lab.prefix };
  const subnet = networkOf(parseIpv4(anchor)!, prefix);
  const rebase = (address: string) => rebaseInto(address, seedSubnet, subnet);
  const balancer1 = givenBalancer1 ?? rebase(seedBalancers[0]!.address);
  const balancer2 = givenBalancer2 ?? rebase(seedBalancers[1]!.address);
  const backendAddresses = realServers.length > 0 ? realServers : backends(seed).map((node) => rebase(node.address));

  const interfaces = [one?.interface?.value, two?.interface?.value].filter((name): name is string => !!name && !isPlaceholder(name, ''));
  const sameInterface = interfaces.length > 0 && interfaces.every((name) => name === interfaces[0]) ? interfaces[0] : undefined;
  if (sameInterface && sameInterface !== seed.lab.interface) given.push('interface');

  const topology: LabTopology = {
    subnet: `${formatIpv4(subnet.network)}/${prefix}`,
    prefix,
    interface: sameInterface ?? seed.lab.interface,
    vip,
    balancers: { balancer1, balancer2 },
    backends: backendAddresses,
    port: service?.port ?? seed.service.port,
    scheduler: service?.scheduler ?? seed.service.scheduler,
    forwarding: service?.forwarding ?? seed.service.forwarding,
    unicast: (one?.unicastPeers.length ?? 0) > 0 || (two?.unicastPeers.length ?? 0) > 0,
    fromSubmission: given,
  };
  const file = assignments[0]?.config.file ?? '';
  if (!cidrContains(subnet, parseIpv4(vip)!)) findings.push({ code: 'vip-outside-subnet', file, ...(vipEntry ? { line: vipEntry.line } : {}), params: { vip, subnet: topology.subnet } });
  findings.push(...consistency(topology, subnet, file));
  if (findings.length === 0 && differsFromSeed(topology, seed)) findings.push({ code: 'topology-changed', file, params: { detail: describe(topology) } });
  return { topology, findings };
}

/** Every address in the subnet, none of them twice, none the network or broadcast address. */
function consistency(topology: LabTopology, subnet: Cidr, file: string): RawFinding[] {
  const problems: string[] = [];
  const named: [string, string][] = [
    ['balancer1', topology.balancers.balancer1],
    ['balancer2', topology.balancers.balancer2],
    ...topology.backends.map((address, index) => [`backend${index + 1}`, address] as [string, string]),
  ];
  const seen = new Map<string, string>([[topology.vip, 'the VIP']]);
  for (const [name, address] of named) {
    const value = parseIpv4(address);
    if (value === undefined) continue;
    if (!cidrContains(subnet, value)) problems.push(`${name} ${address} ∉ ${topology.subnet}`);
    else if (isNetworkOrBroadcast(subnet, value)) problems.push(`${name} ${address} = network/broadcast`);
    const other = seen.get(address);
    if (other) problems.push(`${name} ${address} = ${other}`);
    seen.set(address, name);
  }
  return problems.length > 0 ? [{ code: 'topology-inconsistent', file, params: { detail: problems.join('; ') } }] : [];
}

function differsFromSeed(topology: LabTopology, seed: LabSpec): boolean {
  const seedBalancers = balancers(seed).map((node) => node.address);
  const seedBackends = backends(seed).map((node) => node.address);
  return topology.vip !== seed.vip.address || topology.interface !== seed.lab.interface || topology.prefix !== seed.lab.prefix
    || topology.balancers.balancer1 !== seedBalancers[0] || topology.balancers.balancer2 !== seedBalancers[1]
    || topology.backends.join() !== seedBackends.join();
}

function describe(topology: LabTopology): string {
  return `VIP ${topology.vip}/${topology.prefix} on ${topology.interface}, balancers ${topology.balancers.balancer1}, ${topology.balancers.balancer2}, backends ${topology.backends.join(', ')}`;
}

function networkOf(address: number, prefix: number): Cidr {
  const size = 2 ** (32 - prefix);
  return { network: address - (address % size), prefix };
}

function rebaseInto(address: string, from: Cidr, to: Cidr): string {
  const value = parseIpv4(address)!;
  const size = 2 ** (32 - to.prefix);
  return formatIpv4(to.network + ((value - from.network) % size));
}

function validAddress(text: string | undefined): string | undefined {
  return text !== undefined && parseIpv4(text) !== undefined ? text : undefined;
}
