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
  return Object.entries(values)
    .map(([key, value]) => `${key}='${value.replace(/'/g, `'\\''`)}'`)
    .join('\n')
    .concat('\n');
}
