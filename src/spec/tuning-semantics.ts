import type { LabSpecDocument } from './schema.js';
import type { SpecProblem } from './semantics.js';

/**
 * net.ipv4.vs sysctls a spec may set on its balancers: the ones that decide what happens to
 * connections across a failover. sync_threshold alone takes two values (threshold and period).
 */
export const ipvsSysctlNames = [
  'conn_reuse_mode', 'expire_nodest_conn', 'expire_quiescent_template', 'sloppy_tcp', 'sync_persist_mode', 'sync_ports',
  'sync_qlen_max', 'sync_refresh_period', 'sync_retries', 'sync_sock_size', 'sync_threshold', 'sync_version',
] as const;

/** VRRPv3's advertisement interval is 12 bits of centiseconds (RFC 5798 §5.2.7). */
const maxV3AdvertInt = 40.95;

/** The zero-loss options: VRRP version against advert_int and authentication, IPVS sync and sysctls. */
export function checkTuning(spec: LabSpecDocument): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const problem = (path: string[], message: string) => problems.push({ path, message });
  const { vrrp, ipvs } = spec;

  if (vrrp.version === 3) {
    if (vrrp.auth_type !== undefined) problem(['vrrp', 'auth_type'], 'VRRP version 3 has no authentication (RFC 5798): remove auth_type and auth_pass');
    else if (vrrp.auth_pass !== undefined) problem(['vrrp', 'auth_pass'], 'VRRP version 3 has no authentication (RFC 5798): remove auth_pass');
    const centiseconds = vrrp.advert_int * 100;
    if (Math.abs(centiseconds - Math.round(centiseconds)) > 1e-6) problem(['vrrp', 'advert_int'], `${vrrp.advert_int} is not a whole number of centiseconds (VRRP version 3 counts in 0.01 s)`);
    else if (vrrp.advert_int > maxV3AdvertInt) problem(['vrrp', 'advert_int'], `${vrrp.advert_int} is over ${maxV3AdvertInt} s, the longest interval VRRP version 3 can carry`);
  } else if (!Number.isInteger(vrrp.advert_int)) {
    // keepalived rounds a VRRPv2 interval up to whole seconds, silently changing every timing bound.
    problem(['vrrp', 'advert_int'], `${vrrp.advert_int} is not whole seconds, which VRRP version 2 requires; add "version: 3" for a sub-second interval`);
  }
  if (vrrp.template !== undefined && vrrp.version !== undefined) problem(['vrrp', 'version'], 'cannot be combined with a template: write "version" in the template itself');

  if (ipvs?.sync_maxlen !== undefined && !ipvs.sync_connections) problem(['ipvs', 'sync_maxlen'], 'applies only with sync_connections: true');
  for (const [name, value] of Object.entries(ipvs?.sysctls ?? {})) {
    const where = ['ipvs', 'sysctls', name];
    if (!(ipvsSysctlNames as readonly string[]).includes(name)) {
      problem(where, `is not one of the IPVS sysctls a spec may set (${ipvsSysctlNames.join(', ')})`);
    } else if (name === 'sync_threshold') {
      const [threshold, period] = [value].flat();
      // As the kernel's own check: a period of 0 syncs only at the threshold and on state changes.
      if (period === undefined || threshold === undefined || (period !== 0 && threshold >= period)) problem(where, 'must be [threshold, period] with threshold < period (or period 0), e.g. [3, 50], the kernel default');
    } else if (Array.isArray(value)) {
      problem(where, 'takes one number');
    }
  }
  return problems;
}
