import type { Forwarding, IpvsServiceDef } from './ipvs-service.js';

const FLAG: Record<Forwarding, string> = { dr: '-g', nat: '-m', tun: '-i' };

/**
 * A student's IPVS service (from their ipvsadm commands or listing) in ipvsadm-restore format,
 * as written: their scheduler, persistence, real servers, forwarding and weights. Without a
 * scheduler, commands get ipvsadm's own default (wlc); a listing that does not show it (--stats
 * has no scheduler column) gets the given one.
 */
export function ipvsRulesFrom(service: IpvsServiceDef, listingScheduler: string): string {
  const kind = service.protocol === 'udp' ? '-u' : '-t';
  const endpoint = `${kind} ${service.address}:${service.port ?? 80}`;
  const lines = [`-A ${endpoint} -s ${service.scheduler ?? (service.source === 'listing' ? listingScheduler : 'wlc')}${service.persistence !== undefined ? ` -p ${service.persistence}` : ''}`];
  for (const real of service.realServers) {
    const forwarding = real.forwarding ?? service.forwarding ?? 'dr';
    lines.push(`-a ${endpoint} -r ${real.address}:${real.port ?? service.port ?? 80} ${FLAG[forwarding]} -w ${real.weight ?? 1}`);
  }
  return `${lines.join('\n')}\n`;
}
