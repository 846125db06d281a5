import type { IpvsServiceDef } from './ipvs-service.js';
import type { LabTopology } from './topology.js';
import { mainService } from './topology.js';
import type { RawFinding } from './types.js';

/** IPVS's schedulers (keepalived 2.2.7's list, check_parser.c). */
const SCHEDULERS = new Set(['rr', 'wrr', 'lc', 'wlc', 'lblc', 'sh', 'mh', 'dh', 'fo', 'ovf', 'lblcr', 'sed', 'nq', 'twos']);
/** Schedulers that hash an address: one client keeps reaching one backend. */
const STICKY = new Set(['sh', 'dh', 'mh']);

export interface ServicesByBalancer {
  balancer1: IpvsServiceDef[];
  balancer2: IpvsServiceDef[];
}

/** Is there an IPVS service on the VIP that can show a balance, set up the same on both balancers? */
export function checkIpvs(services: IpvsServiceDef[], topology: LabTopology, byBalancer: ServicesByBalancer, fallbackFile: string): RawFinding[] {
  if (services.length === 0) return [{ code: 'no-ipvs-service', file: fallbackFile }];
  const findings: RawFinding[] = [];
  const at = (code: string, service: IpvsServiceDef, params: Record<string, string | number> = {}, line = service.line) => findings.push({ code, file: service.file, line, params });
  const service = mainService(services, topology.vip)!;
  const name = (def: IpvsServiceDef) => `${def.address}:${def.port ?? '?'}`;

  if (services.every((def) => def.source === 'listing')) at('ipvs-from-listing', service, { service: name(service) });
  if (service.address !== topology.vip) at('vip-not-ipvs-service', service, { service: name(service), vip: topology.vip });
  if (service.realServers.length === 0) at('ipvs-no-real-servers', service, { service: name(service) });
  for (const def of services) {
    if (def.persistence !== undefined) at('persistence-timeout', def, { seconds: def.persistence });
    if (def.scheduler && def.source === 'ipvsadm' && !SCHEDULERS.has(def.scheduler)) at('scheduler-invalid', def, { value: def.scheduler });
    if (def.scheduler && STICKY.has(def.scheduler)) at('scheduler-sticky', def, { value: def.scheduler });
    if (def.forwarding && def.forwarding !== 'dr') at('forwarding-not-dr', def, { value: def.forwarding.toUpperCase() });
  }
  const one = mainService(byBalancer.balancer1, topology.vip);
  const two = mainService(byBalancer.balancer2, topology.vip);
  if (one && two && signature(one) !== signature(two)) {
    at('ipvs-services-differ', two, { detail: `${signature(one)} / ${signature(two)}` });
  }
  return findings;
}

/** What clients see of a service (a listing without --stats has no scheduler, so it is left out). */
function signature(def: IpvsServiceDef): string {
  const reals = def.realServers.map((real) => `${real.address}:${real.port ?? def.port ?? '?'}`).sort();
  return `${def.address}:${def.port ?? '?'} → ${reals.join(', ')}`;
}
