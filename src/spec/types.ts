/** A validated lab spec with derived values that every layer needs. */

export type NodeRole = 'balancer' | 'backend';

export interface LabNode {
  name: string;
  role: NodeRole;
  /** Address on the lab network (eth1). */
  address: string;
  /** Only for balancers. */
  vrrp?: { state: 'MASTER' | 'BACKUP'; priority: number };
}

export interface LabSpec {
  name: string;
  /** Absolute path of the file this spec came from (templates are relative to it). */
  sourcePath: string;
  lab: { subnet: string; prefix: number; client: string; interface: string };
  management: { subnet: string; prefix: number };
  vip: { address: string; prefix: number };
  service: { protocol: 'tcp'; port: number; scheduler: string; forwarding: 'dr' };
  vrrp: {
    instance: string;
    virtualRouterId: number;
    advertInt: number;
    auth?: { type: 'PASS' | 'AH'; pass: string };
    preempt: boolean;
    check?: { name: string; script: string; interval: number };
    /** Absolute path of a keepalived.conf template, when the spec names one. */
    templatePath?: string;
  };
  nodes: LabNode[];
  memoryMb: number;
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
