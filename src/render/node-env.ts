import { vipAddresses, type LabNode, type LabSpec } from '../spec/types.js';

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
    // Space-separated: a spec with several VRRP instances has a VIP each (the backends hold them all on lo).
    VIPS: vipAddresses(spec).join(' '),
    SERVICE_PORT: String(spec.service.port),
  };
  if (node.role === 'balancer') Object.assign(values, ipvsTuningEnv(spec));
  return Object.entries(values)
    .map(([key, value]) => `${key}='${value.replace(/'/g, `'\\''`)}'`)
    .join('\n')
    .concat('\n');
}

/** balancer.sh's IPVS settings beyond the service; none unless the spec asks (the seed renders as before). */
function ipvsTuningEnv(spec: LabSpec): Record<string, string> {
  const values: Record<string, string> = {};
  const ipvs = spec.ipvs;
  // net.ipv4.vs sysctls as "name=value" words, a comma between a vector's values.
  const sysctls = Object.entries(ipvs?.sysctls ?? {});
  if (sysctls.length > 0) values.IPVS_SYSCTLS = sysctls.map(([name, value]) => `${name}=${value.replace(/ /g, ',')}`).join(' ');
  if (ipvs?.syncConnections) {
    values.IPVS_SYNC_INTERFACE = spec.lab.interface;
    values.IPVS_SYNC_ID = String(spec.vrrp.virtualRouterId);
    if (ipvs.syncMaxlen !== undefined) values.IPVS_SYNC_MAXLEN = String(ipvs.syncMaxlen);
  }
  return values;
}
