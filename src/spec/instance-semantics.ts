import type { LabSpecDocument } from './schema.js';
import type { SpecProblem } from './semantics.js';

/**
 * A spec names its VRRP instances one of two ways: the seed's one instance (vip, vrrp.instance,
 * vrrp.virtual_router_id, each balancer's vrrp_state and priority), or vrrp.instances, each with
 * its own VIP and every balancer's priority (the highest is MASTER). Mixing the two is an error,
 * as is an instance whose master is ambiguous. `hostAddress` checks a VIP as every lab address.
 */
export function checkInstances(spec: LabSpecDocument, hostAddress: (text: string, where: string[], label: string) => void): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const problem = (path: string[], message: string) => problems.push({ path, message });
  const { vrrp } = spec;
  const balancerNames = Object.entries(spec.nodes).filter(([, node]) => node.role === 'balancer').map(([name]) => name);
  const vipField = (text: string, where: string[], label: string) => {
    const [address, prefix] = text.split('/');
    if (prefix !== undefined && !/^(\d|[12]\d|3[0-2])$/.test(prefix)) problem(where, `"/${prefix}" is not a prefix length`);
    else hostAddress(address ?? '', where, label);
  };

  if (vrrp.instances === undefined) {
    if (spec.vip === undefined) problem(['vip'], 'is required (or give each VRRP instance its VIP in vrrp.instances)');
    else vipField(spec.vip, ['vip'], 'the VIP');
    if (vrrp.instance === undefined) problem(['vrrp', 'instance'], 'is required (or list the instances in vrrp.instances)');
    if (vrrp.virtual_router_id === undefined) problem(['vrrp', 'virtual_router_id'], 'is required (or list the instances in vrrp.instances)');
    for (const [name, node] of Object.entries(spec.nodes)) {
      if (node.role !== 'balancer') continue;
      if (node.vrrp_state === undefined) problem(['nodes', name, 'vrrp_state'], 'is required for a balancer: MASTER or BACKUP');
      if (node.priority === undefined) problem(['nodes', name, 'priority'], 'is required for a balancer: 1-255, the MASTER highest');
    }
    return problems;
  }

  const instead = 'with vrrp.instances, set it per instance there';
  if (spec.vip !== undefined) problem(['vip'], `${instead} (vrrp.instances[].vip)`);
  if (vrrp.instance !== undefined) problem(['vrrp', 'instance'], `${instead} (vrrp.instances[].name)`);
  if (vrrp.virtual_router_id !== undefined) problem(['vrrp', 'virtual_router_id'], `${instead} (vrrp.instances[].virtual_router_id)`);
  if (vrrp.template !== undefined) problem(['vrrp', 'template'], 'a template renders one instance: use it without vrrp.instances');
  if (spec.ipvs?.sync_connections) problem(['ipvs', 'sync_connections'], 'connection sync uses one sync id: use it without vrrp.instances');
  for (const [name, node] of Object.entries(spec.nodes)) {
    if (node.role !== 'balancer') continue;
    if (node.vrrp_state !== undefined) problem(['nodes', name, 'vrrp_state'], `${instead}: the balancer of the highest priority in vrrp.instances[].priorities is MASTER`);
    if (node.priority !== undefined) problem(['nodes', name, 'priority'], `${instead} (vrrp.instances[].priorities)`);
  }
  const names = new Map<string, number>();
  const routerIds = new Map<number, number>();
  vrrp.instances.forEach((instance, index) => {
    const where = (...rest: string[]) => ['vrrp', 'instances', String(index), ...rest];
    const sameName = names.get(instance.name);
    if (sameName !== undefined) problem(where('name'), `${instance.name} is already the name of instance ${sameName + 1}`);
    names.set(instance.name, index);
    const sameId = routerIds.get(instance.virtual_router_id);
    if (sameId !== undefined) problem(where('virtual_router_id'), `${instance.virtual_router_id} is already used by ${vrrp.instances?.[sameId]?.name}: each instance needs its own`);
    routerIds.set(instance.virtual_router_id, index);
    vipField(instance.vip, where('vip'), `the VIP of ${instance.name}`);
    const listed = Object.keys(instance.priorities);
    for (const node of listed.filter((node) => !balancerNames.includes(node))) problem(where('priorities', node), `${node} is not a balancer of this spec (${balancerNames.join(', ')})`);
    const missing = balancerNames.filter((node) => !listed.includes(node));
    if (missing.length > 0) problem(where('priorities'), `gives no priority to ${missing.join(', ')}: every balancer backs up every VIP`);
    const values = Object.values(instance.priorities);
    if (new Set(values).size !== values.length) problem(where('priorities'), 'has two balancers of the same priority: give each its own, so the master and the order of takeover are clear');
  });
  return problems;
}
