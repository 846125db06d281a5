import { forwardingFromKeepalived } from './ipvs-service.js';
import type { KeepalivedConfig } from './keepalived-model.js';
import type { RawFinding } from './types.js';

const SCHEDULERS = new Set(['rr', 'wrr', 'lc', 'wlc', 'lblc', 'sh', 'mh', 'dh', 'fo', 'ovf', 'lblcr', 'sed', 'nq', 'twos']);
/** keepalived's synonyms (check_parser.c installs both names on one handler). */
const CANONICAL: Record<string, string> = { lvs_sched: 'lb_algo', lvs_method: 'lb_kind' };

/** keepalived-specific wording of virtual_server blocks: synonyms, schedulers and methods it rejects. */
export function checkVirtualServers(config: KeepalivedConfig): RawFinding[] {
  const findings: RawFinding[] = [];
  const file = config.origin.file;
  for (const server of config.virtualServers) {
    for (const value of [server.scheduler, server.forwarding]) {
      const canonical = value?.keyword ? CANONICAL[value.keyword] : undefined;
      if (value && canonical) findings.push({ code: 'synonym-keyword', file, line: value.line, params: { keyword: value.keyword!, canonical } });
    }
    if (server.scheduler && !SCHEDULERS.has(server.scheduler.value)) findings.push({ code: 'scheduler-invalid', file, line: server.scheduler.line, params: { value: server.scheduler.value } });
    if (server.forwarding && !forwardingFromKeepalived(server.forwarding.value)) {
      findings.push({ code: 'forwarding-invalid', file, line: server.forwarding.line, params: { value: server.forwarding.value } });
    }
  }
  return findings;
}
