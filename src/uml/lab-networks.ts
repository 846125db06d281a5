/**
 * Which addresses the holder may open connections to (imports nothing: the holder is copied out of
 * the checkout). Only the lab's own networks: the control socket must not become a way for whoever
 * can reach it to the sandbox's loopback or, should the sandbox ever get a route out, anywhere else.
 */
import net from 'node:net';

function ipv4Value(address: string): number | undefined {
  if (!net.isIPv4(address)) return undefined;
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function contains(cidr: string, value: number): boolean {
  const [base, prefixText] = cidr.split('/');
  const network = ipv4Value(base ?? '');
  const prefix = Number(prefixText);
  if (network === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
  const size = 2 ** (32 - prefix);
  return Math.floor(value / size) === Math.floor(network / size);
}

/** Why a connection to host:port is refused, or undefined when it goes to a lab address; networks are "a.b.c.d/n". */
export function connectRefusal(host: unknown, port: unknown, networks: readonly string[]): string | undefined {
  const where = `${String(host)}:${String(port)}`;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return `${where}: not a TCP port`;
  const value = typeof host === 'string' ? ipv4Value(host) : undefined;
  if (value === undefined) return `${where}: not an IPv4 address (the holder resolves no names)`;
  if (!networks.some((cidr) => contains(cidr, value))) return `${where} is outside the lab's networks (${networks.join(', ')})`;
  return undefined;
}
