/** Parses `ipvsadm -Ln --stats` (the seed's evidence) into services and their real servers. */

export interface IpvsCounters {
  conns: number;
  inPkts: number;
  outPkts: number;
  inBytes: number;
  outBytes: number;
}

export interface IpvsRealServer extends IpvsCounters {
  address: string;
  port: number;
}

export interface IpvsService extends IpvsCounters {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  address: string;
  port: number;
  realServers: IpvsRealServer[];
}

export class IpvsParseError extends Error {
  constructor(message: string, readonly line: number) {
    super(`ipvsadm output line ${line}: ${message}`);
    this.name = 'IpvsParseError';
  }
}

/** ipvsadm prints large counters with K/M/G suffixes (decimal, as in its print_largenum). */
function parseCounter(text: string, line: number): number {
  const match = /^(\d+)([KMGT]?)$/.exec(text);
  if (!match) throw new IpvsParseError(`"${text}" is not a counter`, line);
  const scale = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[match[2] as '' | 'K' | 'M' | 'G' | 'T'];
  return Number(match[1]) * scale;
}

export function splitEndpoint(text: string, line: number): { address: string; port: number } {
  const match = /^\[?([0-9a-fA-F.:]+?)\]?:(\d+)$/.exec(text);
  if (!match) throw new IpvsParseError(`"${text}" is not address:port`, line);
  return { address: match[1] ?? '', port: Number(match[2]) };
}

function counters(fields: string[], line: number): IpvsCounters {
  const [conns, inPkts, outPkts, inBytes, outBytes] = fields.map((field) => parseCounter(field, line));
  if (outBytes === undefined) throw new IpvsParseError('expected five counters', line);
  return { conns: conns ?? 0, inPkts: inPkts ?? 0, outPkts: outPkts ?? 0, inBytes: inBytes ?? 0, outBytes };
}

export function parseIpvsadmStats(output: string): IpvsService[] {
  const services: IpvsService[] = [];
  output.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const text = raw.trim();
    if (!text || text.startsWith('IP Virtual Server') || text.startsWith('Prot ') || text === '-> RemoteAddress:Port') return;
    const fields = text.split(/\s+/);
    if (fields[0] === '->') {
      const service = services.at(-1);
      if (!service) throw new IpvsParseError('real server before any service', line);
      service.realServers.push({ ...splitEndpoint(fields[1] ?? '', line), ...counters(fields.slice(2), line) });
      return;
    }
    const protocol = fields[0];
    if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') throw new IpvsParseError(`unexpected line "${text}"`, line);
    services.push({ protocol, ...splitEndpoint(fields[1] ?? '', line), ...counters(fields.slice(2), line), realServers: [] });
  });
  return services;
}
