import type { LabSpec } from '../spec/types.js';
import { backends, vipAddresses } from '../spec/types.js';

const forwardingFlag = { dr: '-g' } as const;

/** The IPVS virtual service in ipvsadm-restore format: one service on each VIP, every backend a real server. */
export function renderIpvsRules(spec: LabSpec): string {
  // keepalived's virtual_server blocks own IPVS: an empty file tells balancer.sh to leave it alone.
  if (spec.service.ipvs === 'keepalived') return '';
  if (spec.service.ipvsRules !== undefined) return spec.service.ipvsRules;
  const lines: string[] = [];
  // Every balancer has a service for every VIP, so whichever holds a VIP can direct it.
  for (const vip of vipAddresses(spec)) {
    const service = `-t ${vip}:${spec.service.port}`;
    lines.push(`-A ${service} -s ${spec.service.scheduler}`);
    for (const backend of backends(spec)) {
      lines.push(`-a ${service} -r ${backend.address}:${spec.service.port} ${forwardingFlag[spec.service.forwarding]} -w 1`);
    }
  }
  return `${lines.join('\n')}\n`;
}
