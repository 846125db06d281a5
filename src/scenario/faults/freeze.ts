import { masterDownTakeover, outageFor } from '../../checks/fault-expectation.js';
import { detectionMarginSeconds } from '../../checks/vrrp-timing.js';
import type { FaultDefinition } from './fault.js';
import { takeoverSchedule } from './schedule.js';

/** How long the VM stays stopped: well past the master-down interval. */
const frozenSeconds = 10;

/**
 * The master's VM stopped (SIGSTOP, through the provider) and continued 10 s later. The backup
 * takes over as for a crash; the thawed master still believes it is MASTER with the VIP (stale
 * state), sends its overdue advert at once and, with the higher priority, the backup yields.
 * Its IPVS connection table is as it was: reused client ports follow stale entries (seen: 599/410
 * after the thaw, where a fresh table splits 50/50).
 */
export const freeze: FaultDefinition = {
  name: 'freeze',
  description: `the node's VM stopped (SIGSTOP of its processes) for ${frozenSeconds} s, then continued (SIGCONT)`,
  target: 'master',
  create: (node) => ({
    name: 'freeze',
    node,
    describe: () => `${node}'s VM frozen (SIGSTOP)`,
    repeatable: false,
    inject: (context) => context.power('freeze'),
    revert: (context) => context.power('thaw'),
  }),
  expect(vrrp) {
    const takeover = masterDownTakeover(vrrp);
    return {
      outcome: 'takeover',
      says: `${vrrp.backup} takes the VIP within ${takeover.bound} s; the thawed ${vrrp.master} wakes as MASTER with the VIP still on (stale state), its overdue advert outranks ${vrrp.backup}, which yields; its IPVS connection table is 10 s stale, so the shares right after the thaw follow old entries`,
      takeover,
      failback: { bound: vrrp.advertInt + detectionMarginSeconds, basis: `the thawed master's overdue advert goes out at once; ${vrrp.backup} yields on it, + ${detectionMarginSeconds} s` },
      staleTableAfterRevert: true,
      outageBound: outageFor(takeover, vrrp),
      expectedToFail: [],
      eitherVerdict: [],
    };
  },
  schedule: (expectation) => takeoverSchedule(expectation, frozenSeconds),
};
