import { outageFor, preemptFailback, skewTakeover } from '../../checks/fault-expectation.js';
import { LabError } from '../../errors.js';
import type { FaultDefinition } from './fault.js';
import { commandFault } from './node-command.js';
import { takeoverSchedule } from './schedule.js';

/**
 * The seed's `vrrp_script chk_nginx` tracks nginx on the balancer itself (not the backends): when
 * it fails, keepalived puts the instance in FAULT, which drops the VIP with a priority-0 advert.
 */
export const directorNginxStop: FaultDefinition = {
  name: 'director-nginx-stop',
  description: "systemctl stop nginx on the director: its tracked vrrp_script fails, keepalived enters FAULT; start at the revert",
  target: 'master',
  create: (node) => commandFault('director-nginx-stop', node, 'systemctl stop nginx (tracked by the vrrp_script)', 'systemctl stop nginx', 'systemctl start nginx'),
  expect(vrrp, spec) {
    const check = spec.vrrp.check;
    if (!check) throw new LabError('USAGE', 'director-nginx-stop needs a vrrp_script tracking nginx (vrrp.check in the spec); this lab has none');
    const notice = `${check.name} fails within its interval (${check.interval} s), then `;
    const takeover = skewTakeover(vrrp, check.interval, notice);
    return {
      outcome: 'takeover',
      says: `${check.name} fails on ${vrrp.master}: it enters FAULT and ${vrrp.backup} takes the VIP within ${takeover.bound} s — the balancer's own nginx, not the backends, moved the VIP; it comes back when ${check.name} passes again`,
      takeover,
      failback: preemptFailback(vrrp, check.interval, `${check.name} passes within ${check.interval} s, then `),
      outageBound: outageFor(takeover, vrrp),
      expectedToFail: [],
      eitherVerdict: [],
    };
  },
  schedule: (expectation) => takeoverSchedule(expectation),
};
