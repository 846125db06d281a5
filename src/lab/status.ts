import { providerFor } from '../provider/registry.js';
import { findNode, vipAddresses } from '../spec/types.js';
import { connectNode } from './access.js';
import { probeNode } from './node-probe.js';
import { nodeStates } from './running.js';
import { labPaths, requireLabMeta } from './state.js';

export interface NodeStatus {
  name: string;
  role: string;
  /** The node's VM as its provider reports it: running, exited (code), poweroff... */
  state: string;
  managementAddress: string;
  labAddress: string;
  keepalived: string;
  holdsVip: boolean;
  /** The VIPs of the spec this balancer holds (several with several VRRP instances). */
  heldVips: string[];
  ipvsService: boolean | undefined;
  /** Why the node could not be asked, when it could not. */
  problem?: string;
}

export interface LabStatus {
  name: string;
  provider: string;
  vip: string;
  vipHolders: string[];
  /** Every VIP with its holders (one entry for the seed). */
  vips: { address: string; holders: string[] }[];
  /** uml: how the lab's CPU is capped. */
  cpuLimit?: string;
  nodes: NodeStatus[];
}

export async function labStatus(name: string): Promise<LabStatus> {
  const paths = labPaths(name);
  const meta = requireLabMeta(paths, name);
  const spec = meta.spec;
  const states = await nodeStates(paths, meta);
  const provider = providerFor(meta.provider);
  // One node after another, balancers first: SSH logins to all four uml nodes at once made the
  // seed's `systemctl status nginx` on balancer1 take up to 3.1 s (0.85 s with one login at a time)
  // against its 2-s interval, so a look sent the master it looked at to FAULT. In parallel the
  // look was no faster on 2 cores (7.3 s).
  const ordered = [...meta.nodes].sort((a, b) => Number(findNode(spec, b.name)?.role === 'balancer') - Number(findNode(spec, a.name)?.role === 'balancer'));
  const looked = await mapInOrder(
    ordered,
    async (entry): Promise<NodeStatus> => {
      const node = findNode(spec, entry.name);
      const vm = states.get(entry.name);
      const base: NodeStatus = {
        name: entry.name,
        role: node?.role ?? '?',
        state: vm?.label ?? 'stopped',
        managementAddress: provider.describeAccess(entry),
        labAddress: node?.address ?? '?',
        keepalived: '-',
        holdsVip: false,
        heldVips: [],
        ipvsService: undefined,
      };
      if (!node || !vm?.running) return base;
      try {
        const ssh = await connectNode(paths, meta, entry.name);
        try {
          const probe = await probeNode(spec, node, ssh);
          // A service on every VIP, as the rendered rules make it.
          const service = vipAddresses(spec).every((vip) => probe.ipvs?.some((svc) => svc.address === vip && svc.port === spec.service.port));
          const balancer = node.role === 'balancer';
          const keepalived = spec.vrrpInstances && probe.instanceStates ? Object.entries(probe.instanceStates).map(([instance, state]) => `${instance} ${state}`).join(', ') : (probe.keepalived ?? '-');
          return { ...base, keepalived, holdsVip: probe.holdsVip && balancer, heldVips: balancer ? probe.heldVips : [], ipvsService: balancer ? service : undefined };
        } finally {
          ssh.close();
        }
      } catch (error) {
        return { ...base, problem: error instanceof Error ? error.message.split('\n')[0] : String(error) };
      }
    },
  );
  const nodes = meta.nodes.map((entry) => looked.find((node) => node.name === entry.name)!);
  const vips = vipAddresses(spec).map((address) => ({ address, holders: nodes.filter((node) => node.heldVips.includes(address)).map((node) => node.name) }));
  return { name, provider: meta.provider, cpuLimit: meta.cpuLimit, vip: spec.vip.address, vipHolders: vips[0]?.holders ?? [], vips, nodes };
}

export function formatStatusTable(status: LabStatus): string {
  const header = ['NODE', 'ROLE', 'STATE', 'MANAGEMENT', 'LAB ADDRESS', 'KEEPALIVED', 'VIP', 'IPVS'];
  const rows = status.nodes.map((node) => [
    node.name,
    node.role,
    node.problem ? 'unreachable' : node.state,
    node.managementAddress,
    node.labAddress,
    node.keepalived,
    status.vips.length > 1 ? node.heldVips.join(' ') || '-' : node.holdsVip ? 'yes' : '-',
    node.ipvsService === undefined ? '-' : node.ipvsService ? 'yes' : 'missing',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  const heldBy = (holders: string[]) => `${holders.length === 0 ? 'nobody' : holders.join(' and ')}${holders.length > 1 ? ' (split brain: more than one holder)' : ''}`;
  const vips = status.vips.map((vip) => `${vip.address} held by ${heldBy(vip.holders)}`);
  const problems = status.nodes.filter((node) => node.problem).map((node) => `${node.name}: ${node.problem}`);
  const cpu = status.cpuLimit ? `, CPU: ${status.cpuLimit}` : '';
  return [`lab ${status.name} (${status.provider}${cpu}): VIP${vips.length > 1 ? 's' : ''} ${vips.join(', ')}`, line(header), ...rows.map(line), ...problems, ''].join('\n');
}

async function mapInOrder<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await work(item));
  return results;
}
