import { outageFor } from '../../checks/fault-expectation.js';
import { detectionMarginSeconds } from '../../checks/vrrp-timing.js';
import { backends, balancers, type LabSpec } from '../../spec/types.js';
import type { FaultDefinition } from './fault.js';
import { commandFault } from './node-command.js';
import { faultAtSeconds } from './schedule.js';

/** keepalived's TCP_CHECK timing, read from the first balancer's virtual_server block (keepalived's defaults where unset). */
export function tcpCheckTiming(spec: LabSpec): { delayLoop: number; connectTimeout: number; retry: number; delayBeforeRetry: number } {
  const conf = balancers(spec)[0]?.keepalivedConf ?? '';
  const value = (keyword: string, fallback: number) => Number(new RegExp(`^\\s*${keyword}\\s+(\\d+(?:\\.\\d+)?)`, 'm').exec(conf)?.[1] ?? fallback);
  return { delayLoop: value('delay_loop', 60), connectTimeout: value('connect_timeout', 5), retry: value('retry', 1), delayBeforeRetry: value('delay_before_retry', 1) };
}

/**
 * nginx stopped on one backend. The directors do not notice: no VRRP event. With plain ipvsadm
 * rules (the seed) round robin keeps sending that backend its share of new connections, which
 * fail; with keepalived's virtual_server + TCP_CHECK the real server is removed after the check
 * fails, and failures stop — why health checks exist.
 */
export const backendDown: FaultDefinition = {
  name: 'backend-down',
  description: 'systemctl stop nginx on a backend; start at the revert',
  target: 'backend',
  create: (node) => commandFault('backend-down', node, 'systemctl stop nginx', 'systemctl stop nginx', 'systemctl start nginx'),
  expect(vrrp, spec, backend) {
    const count = backends(spec).length;
    const outageBound = outageFor(undefined, vrrp);
    if (spec.service.ipvs !== 'keepalived') {
      return {
        outcome: 'no-takeover',
        says: `the VIP stays on ${vrrp.master}; without health checks IPVS keeps scheduling the stopped backend: about 1 in ${count} requests fails until it returns`,
        failback: { bound: 0, basis: 'no VIP move' },
        outageBound,
        backend: { backend, healthChecked: false, failedShare: 1 / count },
        expectedToFail: [],
        eitherVerdict: [],
      };
    }
    const check = tcpCheckTiming(spec);
    const within = check.delayLoop + check.connectTimeout + check.retry * check.delayBeforeRetry + detectionMarginSeconds;
    return {
      outcome: 'no-takeover',
      says: `the VIP stays on ${vrrp.master}; keepalived's TCP_CHECK removes the stopped backend within ${within} s (delay_loop ${check.delayLoop} + connect_timeout ${check.connectTimeout} + retry ${check.retry} × ${check.delayBeforeRetry} + ${detectionMarginSeconds}), then nothing fails`,
      failback: { bound: within, basis: 'the real server is added back at the next successful check' },
      outageBound,
      backend: { backend, healthChecked: true, failuresWithinSeconds: within },
      expectedToFail: [],
      eitherVerdict: [],
    };
  },
  schedule(expectation) {
    const settle = expectation.backend?.failuresWithinSeconds ?? 0;
    // Long enough down for a few seconds of judged failures (or, health-checked, of none after the removal).
    const revertAt = faultAtSeconds + Math.ceil(settle) + 5;
    // systemctl start nginx took 3.8 s on a busy uml node: the load runs on well past it.
    return { faultAt: faultAtSeconds, revertAt, durationSeconds: revertAt + Math.ceil(settle) + 8 };
  },
};
