import { linkDownExpectation } from '../../checks/fault-expectation.js';
import type { FaultDefinition } from './fault.js';
import { commandFault } from './node-command.js';
import { takeoverSchedule } from './schedule.js';

/** The seed's fault: `ip link set down eth1` on a node; the management link (eth0) stays up. */
export const linkDown: FaultDefinition = {
  name: 'link-down',
  description: 'ip link set down on the lab interface (eth1) of the node; up again at the revert',
  target: 'master',
  create: (node, spec) => commandFault('link-down', node, `ip link set down ${spec.lab.interface}`, `ip link set down ${spec.lab.interface}`, `ip link set up ${spec.lab.interface}`),
  expect: (vrrp) => linkDownExpectation(vrrp),
  schedule: (expectation) => takeoverSchedule(expectation),
};
