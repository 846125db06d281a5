import { holdsAddress, parseIpAddrJson } from '../parse/ip-addr.js';
import { parseIpvsadmStats, type IpvsService } from '../parse/ipvsadm-stats.js';
import { parseKeepalivedData } from '../parse/keepalived-data.js';
import type { CommandRunner } from '../ssh/command-runner.js';
import { vipAddresses, vrrpInstances, type LabNode, type LabSpec } from '../spec/types.js';

/** What one node says about itself, read in one SSH exec (process starts are slow under uml). */
export interface NodeProbe {
  /** The lab interface is administratively up. */
  labLinkUp: boolean;
  /** Holds the spec's (first instance's) VIP. */
  holdsVip: boolean;
  /** Every VIP of the spec this node holds, in instance order. */
  heldVips: string[];
  /** keepalived's state of the spec's (first) VRRP instance (MASTER, BACKUP, FAULT, ...) or STOPPED. */
  keepalived?: string;
  /** keepalived's state of each of the spec's instances, by name (all STOPPED when it is not running). */
  instanceStates?: Record<string, string>;
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
    heldVips: vipAddresses(spec).filter((vip) => holdsAddress(interfaces, spec.lab.interface, vip)),
  };
  if (node.role === 'balancer') {
    const dump = parts.get('keepalived') ?? '';
    const states = parseKeepalivedData(dump);
    const stateOf = (instance: string) => (dump.trim() === 'STOPPED' ? 'STOPPED' : (states.get(instance) ?? 'UNKNOWN'));
    probe.keepalived = stateOf(spec.vrrp.instance);
    probe.instanceStates = Object.fromEntries(vrrpInstances(spec).map((instance) => [instance.name, stateOf(instance.name)]));
    probe.ipvs = parseIpvsadmStats(parts.get('ipvs') ?? '');
  }
  return probe;
}
