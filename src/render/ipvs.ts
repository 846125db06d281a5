import type { LabSpec } from '../spec/types.js';
import { backends } from '../spec/types.js';

const forwardingFlag = { dr: '-g' } as const;

/** The IPVS virtual service in ipvsadm-restore format: one service on the VIP, every backend a real server. */
export function renderIpvsRules(spec: LabSpec): string {
  // keepalived's virtual_server blocks own IPVS: an empty file tells balancer.sh to leave it alone.
  if (spec.service.ipvs === 'keepalived') return '';
  if (spec.service.ipvsRules !== undefined) return spec.service.ipvsRules;
  const service = `-t ${spec.vip.address}:${spec.service.port}`;
  const lines = [`-A ${service} -s ${spec.service.scheduler}`];
  for (const backend of backends(spec)) {
    lines.push(`-a ${service} -r ${backend.address}:${spec.service.port} ${forwardingFlag[spec.service.forwarding]} -w 1`);
  }
  return `${lines.join('\n')}\n`;
}
