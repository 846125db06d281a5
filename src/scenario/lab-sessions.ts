import { connectNode, sshTarget } from '../lab/access.js';
import type { LabMeta, LabPaths } from '../lab/state.js';
import { parseIpvsadmStats } from '../parse/ipvsadm-stats.js';
import { providerFor } from '../provider/registry.js';
import type { NodePowerAction } from '../provider/provider.js';
import { provisionNode } from '../provision/apply.js';
import { renderNodeFiles } from '../render/bundle.js';
import { Communicator } from '../ssh/communicator.js';
import { balancers, findNode, type LabSpec } from '../spec/types.js';
import type { FaultContext } from './faults/fault.js';
import { watchBalancer } from './monitors.js';
import type { TimelineEvent } from './timeline.js';

/** How long a node booted again by a fault may take to answer SSH. */
const rebootSshTimeoutMs = 90_000;

/**
 * The scenario's hold on the lab: one SSH session per node it touches, the balancers watched,
 * IPVS snapshots, and the nodes a fault has powered off or frozen (they are not asked anything
 * until they are back). It is also the context faults act through.
 */
export class LabSessions implements FaultContext {
  private readonly sessions = new Map<string, Communicator>();
  private readonly watchers = new Map<string, { stop: () => Promise<void> }>();
  /** Nodes a fault has killed or frozen. */
  private readonly away = new Set<string>();

  constructor(
    readonly spec: LabSpec,
    readonly paths: LabPaths,
    readonly meta: LabMeta,
    private readonly record: (event: TimelineEvent) => void,
    private readonly watchSeconds: number,
  ) {}

  async session(node: string): Promise<Communicator> {
    const open = this.sessions.get(node);
    if (open) return open;
    const ssh = await connectNode(this.paths, this.meta, node);
    this.sessions.set(node, ssh);
    return ssh;
  }

  /** Opens the balancers' sessions and starts watching them. */
  async watchBalancers(): Promise<Map<string, Communicator>> {
    const opened = new Map<string, Communicator>();
    for (const node of balancers(this.spec)) opened.set(node.name, await this.session(node.name));
    for (const node of opened.keys()) this.watch(node);
    return opened;
  }

  private watch(node: string): void {
    const ssh = this.sessions.get(node);
    if (!ssh) return;
    const { lab, vip, vrrp } = this.spec;
    this.watchers.set(node, watchBalancer(ssh, node, { interfaceName: lab.interface, vip: vip.address, instance: vrrp.instance, seconds: this.watchSeconds }, this.record));
  }

  async power(node: string, action: NodePowerAction): Promise<void> {
    // Stamped before the act: from this instant the node's own records may no longer come.
    if (action === 'kill' || action === 'freeze') this.away.add(node);
    this.record({ t: Date.now(), kind: 'power', node, action });
    await providerFor(this.meta.provider).nodePower(this.paths, this.meta, node, action);
    if (action === 'kill') this.forget(node);
    if (action === 'thaw') this.away.delete(node);
  }

  async bringBack(node: string): Promise<void> {
    const spec = this.spec;
    const ssh = await Communicator.waitReady(sshTarget(this.paths, this.meta, node), rebootSshTimeoutMs);
    this.record({ t: Date.now(), kind: 'phase', name: `${node} answers SSH again` });
    this.sessions.set(node, ssh);
    const labNode = findNode(spec, node);
    // Watched before it is provisioned: provisioning starts keepalived, which may take the VIP at once.
    if (labNode?.role === 'balancer') this.watch(node);
    if (labNode) await provisionNode(spec, labNode, ssh, renderNodeFiles(spec, labNode));
    this.record({ t: Date.now(), kind: 'phase', name: `${node} provisioned again` });
    this.away.delete(node);
  }

  private forget(node: string): void {
    const watcher = this.watchers.get(node);
    this.watchers.delete(node);
    void watcher?.stop();
    this.sessions.get(node)?.close();
    this.sessions.delete(node);
  }

  /** `ipvsadm -Ln --stats` on every balancer that is up, recorded; returns each one's text. */
  async snapshot(label: string, backendNames: Record<string, string>): Promise<Map<string, string>> {
    const { vip, service } = this.spec;
    const reachable = balancers(this.spec).map((node) => node.name).filter((node) => !this.away.has(node) && this.sessions.has(node));
    const texts = await Promise.all(
      reachable.map(async (node) => {
        const text = (await this.sessions.get(node)!.execChecked('ipvsadm -Ln --stats')).stdout;
        const found = parseIpvsadmStats(text).find((svc) => svc.address === vip.address && svc.port === service.port);
        const perBackend = Object.fromEntries((found?.realServers ?? []).map((server) => [backendNames[server.address] ?? server.address, server.conns]));
        this.record({ t: Date.now(), kind: 'ipvs', node, label, conns: found?.conns ?? 0, perBackend, inPkts: found?.inPkts ?? 0, outPkts: found?.outPkts ?? 0 });
        return [node, text] as const;
      }),
    );
    return new Map(texts);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.watchers.values()].map((watcher) => watcher.stop()));
    for (const ssh of this.sessions.values()) ssh.close();
  }
}
