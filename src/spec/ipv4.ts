/** Small IPv4 helpers for spec validation and address planning (no dependency needed). */

export function parseIpv4(text: string): number | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  if (octets.some((octet) => octet > 255)) return undefined;
  return octets.reduce((value, octet) => value * 256 + octet, 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export interface Cidr {
  network: number;
  prefix: number;
}

/** Parses "a.b.c.d/n"; with requireNetwork the host bits must be zero (a subnet, not an address). */
export function parseCidr(text: string, requireNetwork = false): Cidr | undefined {
  const [address, prefixText, extra] = text.split('/');
  if (address === undefined || prefixText === undefined || extra !== undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  const value = parseIpv4(address);
  const prefix = Number(prefixText);
  if (value === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const network = value - (value % size);
  if (requireNetwork && network !== value) return undefined;
  return { network: requireNetwork ? network : value, prefix };
}

export function cidrContains(subnet: Cidr, address: number): boolean {
  const size = 2 ** (32 - subnet.prefix);
  const base = subnet.network - (subnet.network % size);
  return address >= base && address < base + size;
}

/** The directed broadcast address of the subnet an address such as 10.99.0.1/24 is in. */
export function subnetBroadcast(subnet: Cidr): string {
  const size = 2 ** (32 - subnet.prefix);
  return formatIpv4(subnet.network - (subnet.network % size) + size - 1);
}

/** True for addresses that cannot be a host in the subnet: its network and broadcast addresses. */
export function isNetworkOrBroadcast(subnet: Cidr, address: number): boolean {
  const size = 2 ** (32 - subnet.prefix);
  const base = subnet.network - (subnet.network % size);
  return size > 2 && (address === base || address === base + size - 1);
}
