import { outageFor, preemptFailback, skewTakeover } from '../../checks/fault-expectation.js';
import type { FaultDefinition } from './fault.js';
import { commandFault } from './node-command.js';
import { takeoverTiming } from './timing.js';

/** A graceful stop: keepalived sends a priority-0 advert as it leaves, so the backup need not wait out the master-down interval. */
export const keepalivedStop: FaultDefinition = {
  name: 'keepalived-stop',
  description: 'systemctl stop keepalived (graceful: a priority-0 advert); start at the revert',
  target: 'master',
  create: (node) => commandFault('keepalived-stop', node, 'systemctl stop keepalived', 'systemctl stop keepalived', 'systemctl start keepalived'),
  expect(vrrp) {
    const takeover = skewTakeover(vrrp);
    return {
      outcome: 'takeover',
      says: `${vrrp.backup} takes the VIP after its skew time (≤ ${takeover.bound} s), far below the master-down interval; ${vrrp.master} takes it back once keepalived runs again`,
      takeover,
      failback: preemptFailback(vrrp),
      outageBound: outageFor(takeover, vrrp),
      expectedToFail: [],
      eitherVerdict: [],
    };
  },
  timing: (expectation) => takeoverTiming(expectation),
};
