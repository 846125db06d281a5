import { z } from 'zod';

/** The shape of a lab spec file; semantic checks (addresses, roles, uniqueness) live in validate.ts. */

const name = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must start with a letter and use only a-z, 0-9 and "-" (at most 31 characters)');

const balancerNode = z.strictObject({
  role: z.literal('balancer'),
  address: z.string(),
  // Required unless vrrp.instances gives each instance's priorities (checked in semantics.ts).
  vrrp_state: z.enum(['MASTER', 'BACKUP']).optional(),
  priority: z.number().int().min(1).max(255).optional(),
});

const backendNode = z.strictObject({
  role: z.literal('backend'),
  address: z.string(),
});

const node = z.discriminatedUnion('role', [balancerNode, backendNode], {
  error: (issue) => (issue.code === 'invalid_union' ? 'role must be "balancer" or "backend"' : undefined),
});

/** IPVS settings of the balancers beyond the service: connection synchronisation and net.ipv4.vs sysctls. */
const ipvs = z.strictObject({
  sync_connections: z.boolean().optional(),
  // A sync message's header and one IPv4 connection take 44 bytes; 1472 fills an Ethernet frame.
  sync_maxlen: z.number().int().min(50).max(1472).optional(),
  sysctls: z.record(z.string(), z.union([z.number().int().min(0), z.array(z.number().int().min(0)).min(1).max(2)])).optional(),
});

/** One VRRP instance of a spec with several (three active balancers): its VIP and each balancer's priority. */
const vrrpInstance = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a keepalived instance name such as VI_1'),
  virtual_router_id: z.number().int().min(1).max(255),
  vip: z.string(),
  priorities: z.record(name, z.number().int().min(1).max(254)),
});

export const labSpecSchema = z.strictObject({
  name,
  networks: z.strictObject({
    lab: z.strictObject({
      subnet: z.string(),
      client: z.string(),
      interface: z.string().regex(/^[a-z][a-z0-9]{0,14}$/, 'must be an interface name such as eth1'),
    }),
    management: z.strictObject({ subnet: z.string() }),
  }),
  // One VIP (the seed), or none here and one per entry of vrrp.instances.
  vip: z.string().optional(),
  service: z.strictObject({
    protocol: z.enum(['tcp']),
    port: z.number().int().min(1).max(65535),
    scheduler: z.enum(['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh']),
    forwarding: z.enum(['dr']),
  }),
  vrrp: z.strictObject({
    /** 3: RFC 5798, advert_int in centiseconds and no authentication; 2 (keepalived's default) when left out. */
    version: z.union([z.literal(2), z.literal(3)], { error: 'must be 2 or 3' }).optional(),
    instance: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a keepalived instance name such as VI_1').optional(),
    virtual_router_id: z.number().int().min(1).max(255).optional(),
    /** Several VRRP instances instead of instance + virtual_router_id + vip: each balancer MASTER of one (homework Q3). */
    instances: z.array(vrrpInstance).min(1).max(16).optional(),
    advert_int: z.number().positive().max(255),
    auth_type: z.enum(['PASS', 'AH']).optional(),
    auth_pass: z.string().min(1).optional(),
    preempt: z.boolean(),
    check: z
      .strictObject({
        name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a keepalived script name such as chk_nginx'),
        script: z.string().min(1),
        interval: z.number().positive(),
      })
      .optional(),
    template: z.string().min(1).optional(),
  }),
  ipvs: ipvs.optional(),
  nodes: z.record(name, node),
  resources: z.strictObject({
    memory_mb: z.number().int().min(96).max(4096),
  }),
});

export type LabSpecDocument = z.infer<typeof labSpecSchema>;
export type NodeDocument = z.infer<typeof node>;
