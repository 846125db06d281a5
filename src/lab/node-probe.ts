import { holdsAddress, parseIpAddrJson } from '../parse/ip-addr.js';
import { parseIpvsadmStats, type IpvsService } from '../parse/ipvsadm-stats.js';
import { parseKeepalivedData } from '../parse/keepalived-data.js';
import type { CommandRunner } from '../ssh/command-runner.js';
import type { LabNode, LabSpec } from '../spec/types.js';

/** What one node says about itself, read in one SSH exec (process starts are slow under uml). */
export interface NodeProbe {
  /** The lab interface is administratively up. */
  labLinkUp: boolean;
  holdsVip: boolean;
  /** keepalived's state of the spec's VRRP instance (MASTER, BACKUP, FAULT, ...) or STOPPED. */
  keepalived?: string;
  ipvs?: IpvsService[];
}

const marker = '##failover-lab:';

function probeScript(spec: LabSpec, node: LabNode): string {
  const parts = [`echo '${marker}addr'`, `ip -j addr show dev ${spec.lab.interface}`];
  if (node.role === 'balancer') {
    parts.push(
      `echo '${marker}keepalived'`,
      // SIGUSR1 makes keepalived write its state; wait until the dump is complete. Shell builtins
      // only, but for sleep: a process start is what a busy uml node is slowest at, and a probe
      // abandoned by its caller's timeout still runs to its end (bounded: 30 tries, 10 s; SECONDS
      // is reset as the probe may run in a shell kept open for longer).
      'SECONDS=0; read -r pid < /run/keepalived.pid 2>/dev/null && kill -0 "$pid" 2>/dev/null && { : > /tmp/keepalived.data; kill -USR1 "$pid"; dump=;' +
        " for ((i = 0; i < 30 && SECONDS < 10; i++)); do sleep 0.1; dump=; while IFS= read -r line; do dump+=\"$line\"$'\\n'; done < /tmp/keepalived.data; [[ $dump == *'Interfaces >'* ]] && break; done;" +
        ' printf %s "$dump"; } || echo STOPPED',
      `echo '${marker}ipvs'`,
      'ipvsadm -Ln --stats 2>/dev/null || true',
    );
  }
  return parts.join('\n');
}

function sections(output: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const chunk of output.split(marker).slice(1)) {
    const newline = chunk.indexOf('\n');
    result.set(chunk.slice(0, newline), chunk.slice(newline + 1));
  }
  return result;
}

export async function probeNode(spec: LabSpec, node: LabNode, ssh: CommandRunner): Promise<NodeProbe> {
  const result = await ssh.execChecked(probeScript(spec, node), { timeoutMs: 15_000 });
  const parts = sections(result.stdout);
  const interfaces = parseIpAddrJson(parts.get('addr') ?? '[]');
  const probe: NodeProbe = {
    labLinkUp: interfaces.some((entry) => entry.name === spec.lab.interface && entry.up),
    holdsVip: holdsAddress(interfaces, spec.lab.interface, spec.vip.address),
  };
  if (node.role === 'balancer') {
    const dump = parts.get('keepalived') ?? '';
    probe.keepalived = dump.trim() === 'STOPPED' ? 'STOPPED' : (parseKeepalivedData(dump).get(spec.vrrp.instance) ?? 'UNKNOWN');
    probe.ipvs = parseIpvsadmStats(parts.get('ipvs') ?? '');
  }
  return probe;
}
