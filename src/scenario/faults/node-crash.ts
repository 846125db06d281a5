import { masterDownTakeover, outageFor, preemptFailback } from '../../checks/fault-expectation.js';
import type { FaultDefinition } from './fault.js';
import { afterFailbackSeconds, takeoverSchedule } from './schedule.js';

/** The master's VM killed outright (a power cut, through the provider); the revert powers it on again. */
export const nodeCrash: FaultDefinition = {
  name: 'node-crash',
  description: "the node's VM killed outright (uml: its process; libvirt: virsh destroy; VirtualBox: vagrant halt --force); booted again and provisioned at the revert",
  target: 'master',
  create: (node) => ({
    name: 'node-crash',
    node,
    describe: () => `${node}'s VM killed`,
    repeatable: false,
    inject: (context) => context.power('kill'),
    revert: (context) => context.power('boot'),
    recover: (context) => context.bringBack(),
  }),
  expect(vrrp, _spec, _node, reboot) {
    const takeover = masterDownTakeover(vrrp);
    return {
      outcome: 'takeover',
      says: `${vrrp.backup} takes the VIP within ${takeover.bound} s; ${vrrp.master} takes it back once it has booted and been provisioned`,
      takeover,
      failback: preemptFailback(vrrp, reboot.seconds, `${reboot.basis}, then `),
      outageBound: outageFor(takeover, vrrp),
      expectedToFail: [],
      eitherVerdict: [],
    };
  },
  // The load covers the reboot's whole allowance (uml 60 s, Vagrant 120 s) but ends soon after the failback.
  schedule: (expectation) => ({ ...takeoverSchedule(expectation), loadAfterFailbackSeconds: afterFailbackSeconds }),
};
