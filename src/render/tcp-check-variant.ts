import { backends, type LabSpec } from '../spec/types.js';
import { renderKeepalivedConf } from './keepalived.js';

/** keepalived's health check timing for the variant (seconds). */
export interface TcpCheckSettings {
  delayLoop: number;
  connectTimeout: number;
  retry: number;
  delayBeforeRetry: number;
}

export const quickTcpCheck: TcpCheckSettings = { delayLoop: 2, connectTimeout: 1, retry: 1, delayBeforeRetry: 1 };

/**
 * The lab with IPVS set up by keepalived's own virtual_server block, each real server behind a
 * TCP_CHECK, instead of plain ipvsadm rules: the health-checked variant of the backend-down fault.
 */
export function withTcpCheck(spec: LabSpec, check: TcpCheckSettings = quickTcpCheck): LabSpec {
  const realServers = backends(spec).flatMap((node) => [
    `    real_server ${node.address} ${spec.service.port} {`,
    '        weight 1',
    '        TCP_CHECK {',
    `            connect_timeout ${check.connectTimeout}`,
    `            retry ${check.retry}`,
    `            delay_before_retry ${check.delayBeforeRetry}`,
    '        }',
    '    }',
  ]);
  const block = [
    `virtual_server ${spec.vip.address} ${spec.service.port} {`,
    `    delay_loop ${check.delayLoop}`,
    `    lb_algo ${spec.service.scheduler}`,
    '    lb_kind DR',
    '    protocol TCP',
    ...realServers,
    '}',
    '',
  ].join('\n');
  return {
    ...spec,
    service: { ...spec.service, ipvs: 'keepalived' },
    nodes: spec.nodes.map((node) => (node.role === 'balancer' ? { ...node, keepalivedConf: `${renderKeepalivedConf(spec, node)}\n${block}` } : node)),
  };
}
