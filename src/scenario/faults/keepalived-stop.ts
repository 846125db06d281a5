import { keepalivedStartBasis, keepalivedStartSeconds, outageFor, preemptFailback, skewTakeover } from '../../checks/fault-expectation.js';
import type { FaultDefinition } from './fault.js';
import { commandFault } from './node-command.js';
import { takeoverSchedule } from './schedule.js';

/** A graceful stop: keepalived sends a priority-0 advert as it leaves, so the backup need not wait out the master-down interval. */
export const keepalivedStop: FaultDefinition = {
  name: 'keepalived-stop',
  description: 'keepalived stopped gracefully (SIGTERM, as systemctl stop: a priority-0 advert); systemctl start at the revert',
  target: 'master',
  // SIGTERM, as `systemctl stop` sends, from shell builtins: the bound is the skew time (0.8 s), and
  // starting systemctl alone took up to 0.8 s on a busy uml node.
  create: (node) => commandFault('keepalived-stop', node, 'SIGTERM to keepalived (as systemctl stop)', 'read -r pid < /run/keepalived.pid && kill -TERM "$pid"', 'systemctl start keepalived'),
  expect(vrrp) {
    const takeover = skewTakeover(vrrp);
    return {
      outcome: 'takeover',
      says: `${vrrp.backup} takes the VIP after its skew time (≤ ${takeover.bound} s), far below the master-down interval; ${vrrp.master} takes it back once keepalived runs again`,
      takeover,
      failback: preemptFailback(vrrp, keepalivedStartSeconds, keepalivedStartBasis),
      outageBound: outageFor(takeover, vrrp),
      expectedToFail: [],
      eitherVerdict: [],
    };
  },
  schedule: (expectation) => takeoverSchedule(expectation),
};
