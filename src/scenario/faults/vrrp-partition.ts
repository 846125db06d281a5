import { masterDownTakeover, outageFor } from '../../checks/fault-expectation.js';
import { detectionMarginSeconds } from '../../checks/vrrp-timing.js';
import type { FaultDefinition } from './fault.js';
import { commandFault } from './node-command.js';
import { takeoverSchedule } from './schedule.js';

/**
 * VRRP adverts (IP protocol 112) dropped on their way into the backup, both links up: it no longer
 * hears the master and becomes MASTER too. The split brain is the point; the master's adverts
 * reach it again at the revert and it steps back at once (higher priority wins). iptables-legacy:
 * the node kernel (Debian's uml) has nf_tables without its IPv4 family.
 */
export const vrrpPartition: FaultDefinition = {
  name: 'vrrp-partition',
  description: "iptables on the backup drops VRRP (IP protocol 112) arriving on its lab interface; both links stay up",
  target: 'backup',
  create(node, spec) {
    const rule = `INPUT -i ${spec.lab.interface} -p 112 -j DROP`;
    return commandFault('vrrp-partition', node, `iptables -I ${rule}`, `iptables-legacy -I ${rule}`, `iptables-legacy -D ${rule}`);
  },
  // Listing the filter table loads iptables' kernel modules too.
  prepare: () => 'iptables-legacy -n -L INPUT > /dev/null',
  expect(vrrp) {
    const takeover = masterDownTakeover(vrrp);
    return {
      outcome: 'split-brain',
      says: `${vrrp.backup} hears no adverts and becomes MASTER too within ${takeover.bound} s: a split brain (the split-brain check must FAIL), healed within one advert_int of the revert`,
      takeover,
      failback: { bound: vrrp.advertInt + detectionMarginSeconds, basis: `${vrrp.master}'s next advert (every advert_int) outranks ${vrrp.backup}, + ${detectionMarginSeconds} s` },
      outageBound: outageFor(takeover, vrrp),
      expectedToFail: ['split-brain'],
      eitherVerdict: [],
    };
  },
  schedule: (expectation) => takeoverSchedule(expectation),
};
