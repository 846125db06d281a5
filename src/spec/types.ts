/** A validated lab spec with derived values that every layer needs. */

export type NodeRole = 'balancer' | 'backend';

export interface LabNode {
  name: string;
  role: NodeRole;
  /** Address on the lab network (eth1). */
  address: string;
  /** Only for balancers. */
  vrrp?: { state: 'MASTER' | 'BACKUP'; priority: number };
  /** Only for balancers: a keepalived.conf used as written (a graded student's), instead of the rendered one. */
  keepalivedConf?: string;
}

export interface LabSpec {
  name: string;
  /** Absolute path of the file this spec came from (templates are relative to it). */
  sourcePath: string;
  lab: { subnet: string; prefix: number; client: string; interface: string };
  management: { subnet: string; prefix: number };
  vip: { address: string; prefix: number };
  service: {
    protocol: 'tcp';
    port: number;
    scheduler: string;
    forwarding: 'dr';
    /**
     * Who sets up IPVS on the balancers: the lab's ipvsadm rules (default), or keepalived's own
     * virtual_server blocks — never both, or the two would fight over the same service.
     */
    ipvs?: 'rules' | 'keepalived';
    /** ipvsadm-restore text used instead of the rules rendered from the fields above (a student's own). */
    ipvsRules?: string;
  };
  vrrp: {
    /** VRRP version; 3 allows a sub-second advert_int. Left out (the seed), keepalived's default 2 is used. */
    version?: 2 | 3;
    instance: string;
    virtualRouterId: number;
    advertInt: number;
    auth?: { type: 'PASS' | 'AH'; pass: string };
    preempt: boolean;
    check?: { name: string; script: string; interval: number };
    /** Absolute path of a keepalived.conf template, when the spec names one. */
    templatePath?: string;
  };
  /**
   * Only for a spec with several VRRP instances (vrrp.instances: three active balancers). Then
   * `vip`, `vrrp.instance`, `vrrp.virtualRouterId` and each balancer's `vrrp` describe the first
   * instance. Read every instance through vrrpInstances(spec).
   */
  vrrpInstances?: VrrpInstance[];
  /** Balancer-side IPVS settings; absent in the seed. */
  ipvs?: IpvsTuning;
  nodes: LabNode[];
  memoryMb: number;
}

/** One VRRP instance: a VIP, its router id and every balancer's priority; the highest is its master. */
export interface VrrpInstance {
  name: string;
  virtualRouterId: number;
  vip: { address: string; prefix: number };
  /** By balancer name, highest first. */
  priorities: Record<string, number>;
  master: string;
}

/** The spec's VRRP instances: its list, or the seed's one instance made of vip, vrrp and the balancers' priorities. */
export function vrrpInstances(spec: LabSpec): VrrpInstance[] {
  if (spec.vrrpInstances) return spec.vrrpInstances;
  const ranked = [...balancers(spec)].sort((a, b) => (b.vrrp?.priority ?? 0) - (a.vrrp?.priority ?? 0));
  return [
    {
      name: spec.vrrp.instance,
      virtualRouterId: spec.vrrp.virtualRouterId,
      vip: spec.vip,
      priorities: Object.fromEntries(ranked.map((node) => [node.name, node.vrrp?.priority ?? 0])),
      master: ranked[0]?.name ?? '',
    },
  ];
}

/** Every VIP of the spec, in instance order. */
export function vipAddresses(spec: LabSpec): string[] {
  return vrrpInstances(spec).map((instance) => instance.vip.address);
}

export interface IpvsTuning {
  /**
   * The kernel's IPVS sync daemons, master and backup, on every balancer's lab interface (sync id =
   * virtual_router_id): the director sends its connections, the other balancer holds them.
   */
  syncConnections: boolean;
  /** Largest sync message in bytes (ipvsadm --sync-maxlen); small values send each connection at once. */
  syncMaxlen?: number;
  /** net.ipv4.vs.<name> values set on every balancer, e.g. sync_threshold "2 50". */
  sysctls: Record<string, string>;
}

/**
 * The management (SSH) interface's name in a node: eth0, as Vagrant's NAT, unless the lab
 * network itself is called eth0 (a course variant), when it must step aside.
 */
export function managementInterface(spec: LabSpec): string {
  return spec.lab.interface === 'eth0' ? 'mgmt0' : 'eth0';
}

export function balancers(spec: LabSpec): LabNode[] {
  return spec.nodes.filter((node) => node.role === 'balancer');
}

export function backends(spec: LabSpec): LabNode[] {
  return spec.nodes.filter((node) => node.role === 'backend');
}

export function findNode(spec: LabSpec, name: string): LabNode | undefined {
  return spec.nodes.find((node) => node.name === name);
}
