import type { Forwarding, IpvsServiceDef } from './ipvs-service.js';
import type { Segment } from './shell-segments.js';

const FORWARDING: Record<string, Forwarding> = { Route: 'dr', Masq: 'nat', Tunnel: 'tun' };

/**
 * Reads the services out of pasted `ipvsadm -Ln` / `-Ln --stats` output. The homework's own
 * answer shows IPVS only this way, so a listing is evidence of a service (the lab rebuilds it from it).
 */
export function servicesFromListing(segment: Segment, file: string): IpvsServiceDef[] {
  const header = segment.lines.findIndex((line) => /Prot\s+LocalAddress:Port/.test(line.text));
  if (header < 0) return [];
  const services: IpvsServiceDef[] = [];
  for (const { text, line } of segment.lines.slice(header + 1)) {
    const service = /^\s*(TCP|UDP)\s+(\d+\.\d+\.\d+\.\d+):(\d+)(?:\s+([a-z]+))?(?:\s+persistent\s+(\d+))?/.exec(text);
    if (service) {
      const [, protocol = 'TCP', address = '', port = '', scheduler, persistence] = service;
      services.push({
        source: 'listing', file, line, protocol: protocol === 'UDP' ? 'udp' : 'tcp', address, port: Number(port), realServers: [],
        ...(segment.host ? { host: segment.host } : {}),
        ...(scheduler ? { scheduler } : {}),
        ...(persistence ? { persistence: Number(persistence) } : {}),
      });
      continue;
    }
    const real = /^\s*->\s*(\d+\.\d+\.\d+\.\d+):(\d+)(?:\s+(Route|Masq|Tunnel|Local))?/.exec(text);
    const current = services[services.length - 1];
    if (real && current) {
      const forwarding = real[3] ? FORWARDING[real[3]] : undefined;
      current.realServers.push({ address: real[1]!, port: Number(real[2]), line, ...(forwarding ? { forwarding } : {}) });
      if (forwarding) current.forwarding ??= forwarding;
    }
  }
  return services;
}
