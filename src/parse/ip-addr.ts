/** Reads `ip -j addr show` output: which IPv4 addresses an interface holds, and its state. */

export interface InterfaceAddresses {
  name: string;
  up: boolean;
  operstate: string;
  ipv4: { address: string; prefix: number }[];
}

interface IpJsonInterface {
  ifname?: string;
  flags?: string[];
  operstate?: string;
  addr_info?: { family?: string; local?: string; prefixlen?: number }[];
}

export function parseIpAddrJson(output: string): InterfaceAddresses[] {
  const parsed = JSON.parse(output) as IpJsonInterface[];
  if (!Array.isArray(parsed)) throw new Error('ip -j addr: expected a JSON array');
  return parsed.map((entry) => ({
    name: entry.ifname ?? '',
    up: (entry.flags ?? []).includes('UP'),
    operstate: entry.operstate ?? 'UNKNOWN',
    ipv4: (entry.addr_info ?? [])
      .filter((info) => info.family === 'inet' && info.local !== undefined)
      .map((info) => ({ address: info.local ?? '', prefix: info.prefixlen ?? 32 })),
  }));
}

export function holdsAddress(interfaces: InterfaceAddresses[], interfaceName: string, address: string): boolean {
  return interfaces.some((entry) => entry.name === interfaceName && entry.ipv4.some((info) => info.address === address));
}
