import type { LabSpec } from '../spec/types.js';
import type { RoleAssignment } from './roles.js';
import type { LabTopology } from './topology.js';
import type { RawFinding } from './types.js';

/** Vagrant's NAT interface on VirtualBox (Debian and Ubuntu boxes): private to each VM. */
const NAT_INTERFACES = new Set(['eth0', 'enp0s3']);

/**
 * Addresses against the derived topology: VRRP on the seed's own network must use its shared
 * interface (eth0 is each Vagrant VM's private NAT), and unicast peers must be the other balancer.
 */
export function checkAddresses(assignments: RoleAssignment[], topology: LabTopology, seed: LabSpec): RawFinding[] {
  const findings: RawFinding[] = [];
  const seedSubnet = `${seed.lab.subnet}/${seed.lab.prefix}`;
  for (const { balancer, config } of assignments) {
    const instance = config.config.vrrpInstances[0];
    if (!instance) continue;
    const file = config.file;
    const ownInterface = instance.interface?.value;
    if (ownInterface && topology.subnet === seedSubnet && NAT_INTERFACES.has(ownInterface)) {
      findings.push({ code: 'interface-not-lab', file, line: instance.interface!.line, params: { interface: ownInterface, expected: seed.lab.interface, subnet: seedSubnet } });
    }
    const other = balancer === 'balancer1' ? topology.balancers.balancer2 : topology.balancers.balancer1;
    for (const peer of instance.unicastPeers) {
      if (peer.value !== other) findings.push({ code: 'unicast-peer-unknown', file, line: peer.line, params: { peer: peer.value, expected: other } });
    }
  }
  return findings;
}
