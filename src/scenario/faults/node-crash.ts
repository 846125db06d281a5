import { masterDownTakeover, outageFor, preemptFailback } from '../../checks/fault-expectation.js';
import type { FaultDefinition } from './fault.js';
import { takeoverSchedule } from './schedule.js';

/**
 * How long a killed node may take from its power-on until it runs keepalived again: a node gets
 * 45 s to answer SSH (the labs' boot deadline), then provisioning (seen: 48 s for both together
 * on this 2-core host at load 4-5, with the scenario's load running).
 */
export const rebootSeconds = 60;

/** The master's VM killed outright (a power cut, through the provider); the revert powers it on again. */
export const nodeCrash: FaultDefinition = {
  name: 'node-crash',
  description: "the node's VM killed outright (its uml process; vagrant halt --force); booted again and provisioned at the revert",
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
  expect(vrrp) {
    const takeover = masterDownTakeover(vrrp);
    return {
      outcome: 'takeover',
      says: `${vrrp.backup} takes the VIP within ${takeover.bound} s; ${vrrp.master} takes it back once it has booted and been provisioned`,
      takeover,
      failback: preemptFailback(vrrp, rebootSeconds, `boot to SSH and provisioning (≤ ${rebootSeconds} s), then `),
      outageBound: outageFor(takeover, vrrp),
      expectedToFail: [],
      eitherVerdict: [],
    };
  },
  schedule: (expectation) => takeoverSchedule(expectation),
};
