/**
 * Parses the other listings of ipvsadm the connections scenario reads: `ipvsadm -Ln` (each real
 * server's ActiveConn and InActConn), `ipvsadm -Lnc` (IPVS's connection table) and
 * `ipvsadm -l --timeout`.
 */
import { IpvsParseError, splitEndpoint } from './ipvsadm-stats.js';

export interface IpvsListedRealServer {
  address: string;
  port: number;
  forward: string;
  weight: number;
  activeConn: number;
  inActConn: number;
}

export interface IpvsListedService {
  protocol: string;
  address: string;
  port: number;
  scheduler: string;
  realServers: IpvsListedRealServer[];
}

function count(text: string | undefined, line: number): number {
  if (!text || !/^\d+$/.test(text)) throw new IpvsParseError(`"${text ?? ''}" is not a count`, line);
  return Number(text);
}

/** `ipvsadm -Ln`: services with their scheduler, real servers with forwarding, weight and connection counts. */
export function parseIpvsadmList(output: string): IpvsListedService[] {
  const services: IpvsListedService[] = [];
  output.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const text = raw.trim();
    if (!text || text.startsWith('IP Virtual Server') || text.startsWith('Prot ') || text.startsWith('-> RemoteAddress:Port')) return;
    const fields = text.split(/\s+/);
    if (fields[0] === '->') {
      const service = services.at(-1);
      if (!service) throw new IpvsParseError('real server before any service', line);
      const [, endpoint = '', forward = '', weight, active, inactive] = fields;
      service.realServers.push({ ...splitEndpoint(endpoint, line), forward, weight: count(weight, line), activeConn: count(active, line), inActConn: count(inactive, line) });
      return;
    }
    const [protocol = '', endpoint = '', scheduler = ''] = fields;
    if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) throw new IpvsParseError(`unexpected line "${text}"`, line);
    services.push({ protocol, ...splitEndpoint(endpoint, line), scheduler, realServers: [] });
  });
  return services;
}

export interface IpvsConnectionEntry {
  protocol: string;
  /** Seconds until IPVS forgets the entry (its state's timeout, restarted by each packet). */
  expiresIn: number;
  state: string;
  client: { address: string; port: number };
  virtual: { address: string; port: number };
  destination: { address: string; port: number };
}

/** `ipvsadm -Lnc`: one entry per connection IPVS tracks, e.g. "TCP 00:07  FIN_WAIT 172.28.128.1:43146 172.28.128.200:80 172.28.128.100:80". */
export function parseIpvsadmConnections(output: string): IpvsConnectionEntry[] {
  const entries: IpvsConnectionEntry[] = [];
  output.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const text = raw.trim();
    if (!text || text.startsWith('IPVS connection entries') || text.startsWith('pro ')) return;
    const [protocol = '', expire = '', state = '', client = '', virtual = '', destination = ''] = text.split(/\s+/);
    const time = /^(\d+):(\d\d)$/.exec(expire);
    if (!time || !destination) throw new IpvsParseError(`unexpected connection entry "${text}"`, line);
    entries.push({
      protocol,
      expiresIn: Number(time[1]) * 60 + Number(time[2]),
      state,
      client: splitEndpoint(client, line),
      virtual: splitEndpoint(virtual, line),
      destination: splitEndpoint(destination, line),
    });
  });
  return entries;
}

export interface IpvsTimeouts {
  tcp: number;
  tcpfin: number;
  udp: number;
}

/** `ipvsadm -l --timeout`: "Timeout (tcp tcpfin udp): 900 120 300". */
export function parseIpvsTimeouts(output: string): IpvsTimeouts {
  const match = /Timeout \(tcp tcpfin udp\):\s+(\d+)\s+(\d+)\s+(\d+)/.exec(output);
  if (!match) throw new IpvsParseError(`no "Timeout (tcp tcpfin udp)" line in "${output.trim().slice(0, 80)}"`, 1);
  return { tcp: Number(match[1]), tcpfin: Number(match[2]), udp: Number(match[3]) };
}
