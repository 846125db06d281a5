import { masterDownTakeover, outageFor, preemptFailback } from '../../checks/fault-expectation.js';
import { detectionMarginSeconds } from '../../checks/vrrp-timing.js';
import type { FaultDefinition } from './fault.js';
import { takeoverSchedule } from './schedule.js';

/** How long the VM stays stopped: well past the master-down interval. */
const frozenSeconds = 10;

/**
 * The master's VM stopped (SIGSTOP, through the provider) and continued 10 s later. The backup
 * takes over as for a crash; the thawed master still believes it is MASTER with the VIP (stale
 * state), sends its overdue advert at once and, with the higher priority, the backup yields;
 * unless its track script was running when it froze: then keepalived counts the script timed out
 * at the thaw, goes to FAULT and BACKUP, and preempts after its master-down interval.
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
      says: `${vrrp.backup} takes the VIP within ${takeover.bound} s; the thawed ${vrrp.master} wakes as MASTER with the VIP still on (stale state), its overdue advert outranks ${vrrp.backup}, which yields (or, if its track script was caught mid-run, it passes through FAULT and preempts from BACKUP); its IPVS connection table is 10 s stale, so the shares right after the thaw follow old entries`,
      takeover,
      failback: { bound: vrrp.advertInt + detectionMarginSeconds, basis: `the thawed master's overdue advert goes out at once; ${vrrp.backup} yields on it, + ${detectionMarginSeconds} s` },
      // Seen in about one run of ten: frozen while its chk_nginx ran, keepalived counts the script
      // timed out at the thaw (FAULT), is BACKUP on its next result, and preempts as a backup does.
      failbackViaFault: preemptFailback(vrrp, 0, `its track script, frozen mid-run, timed out at the thaw (FAULT, then BACKUP); from that BACKUP, `),
      staleTableAfterRevert: true,
      outageBound: outageFor(takeover, vrrp),
      expectedToFail: [],
      eitherVerdict: [],
    };
  },
  schedule: (expectation) => takeoverSchedule(expectation, frozenSeconds),
};
