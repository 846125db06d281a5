import type { LabNode, LabSpec } from '../spec/types.js';

/**
 * The shell variables the provision/ scripts read (node.env). Every provider writes the same file,
 * so the scripts never need to know where they run.
 */
export function renderNodeEnv(spec: LabSpec, node: LabNode): string {
  const values: Record<string, string> = {
    LAB_NAME: spec.name,
    NODE_NAME: node.name,
    NODE_ROLE: node.role,
    NODE_ADDRESS: node.address,
    LAB_INTERFACE: spec.lab.interface,
    LAB_PREFIX: String(spec.lab.prefix),
    VIP: spec.vip.address,
    SERVICE_PORT: String(spec.service.port),
  };
  // net.ipv4.vs sysctls for balancer.sh, as "name=value" words; absent unless the spec sets some.
  const sysctls = Object.entries(spec.ipvs?.sysctls ?? {});
  if (node.role === 'balancer' && sysctls.length > 0) values.IPVS_SYSCTLS = sysctls.map(([name, value]) => `${name}=${value.replace(/ /g, ',')}`).join(' ');
  return Object.entries(values)
    .map(([key, value]) => `${key}='${value.replace(/'/g, `'\\''`)}'`)
    .join('\n')
    .concat('\n');
}
