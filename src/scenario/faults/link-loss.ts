import { outageFor, preemptFailback } from '../../checks/fault-expectation.js';
import type { FaultDefinition } from './fault.js';
import { commandFault } from './node-command.js';
import { afterFailbackSeconds, faultAtSeconds } from './schedule.js';

const lossPercent = 30;
const faultSeconds = 12;

/**
 * netem loss on the master's lab interface: its adverts (and the packets it forwards to the
 * backends) are dropped at random. The backup takes over only when three adverts in a row are lost
 * (≈ 0.3³ per advert): a flap is a chance event, counted, not predicted.
 */
export const linkLoss: FaultDefinition = {
  name: 'link-loss',
  description: `tc netem ${lossPercent} % loss on the node's lab interface (outgoing); removed at the revert`,
  target: 'master',
  create: (node, spec) =>
    commandFault('link-loss', node, `tc qdisc add dev ${spec.lab.interface} root netem loss ${lossPercent}%`, `modprobe sch_netem; tc qdisc add dev ${spec.lab.interface} root netem loss ${lossPercent}%`, `tc qdisc del dev ${spec.lab.interface} root`),
  prepare: (spec) => `modprobe sch_netem && tc qdisc show dev ${spec.lab.interface} > /dev/null`,
  expect(vrrp) {
    return {
      outcome: 'flapping',
      says: `${lossPercent} % of ${vrrp.master}'s adverts are lost: ${vrrp.backup} takes over only after three lost in a row, so the VIP may flap (transitions counted; a short double MASTER may show); ${vrrp.master} alone holds it after the revert`,
      failback: preemptFailback(vrrp),
      outageBound: outageFor(undefined, vrrp),
      expectedToFail: [],
      eitherVerdict: ['split-brain'],
    };
  },
  schedule: (expectation) => {
    const revertAt = faultAtSeconds + faultSeconds;
    return { faultAt: faultAtSeconds, revertAt, durationSeconds: revertAt + Math.ceil(expectation.failback.bound) + afterFailbackSeconds };
  },
};
