import { masterDownTakeover, outageFor, preemptFailback } from '../../checks/fault-expectation.js';
import type { FaultDefinition } from './fault.js';
import { armedCommandFault } from './node-command.js';
import { takeoverTiming } from './timing.js';

/**
 * SIGKILL: keepalived cannot say goodbye, so the backup waits out the master-down interval. Nor can
 * it clean up: the VIP stays on the master's interface and its IPVS service in the kernel, so the
 * master keeps answering ARP and forwarding — two holders until keepalived starts again and
 * removes its stale VIP (seen: 8.3 s of both, the master forwarding 2028 packets after the fault).
 */
export const keepalivedKill: FaultDefinition = {
  name: 'keepalived-kill',
  description: 'SIGKILL to every keepalived process (no priority-0 advert); systemctl start at the revert',
  target: 'master',
  // Every keepalived process, found by name in /proc with shell builtins in a shell started ahead
  // (pkill's own start took 0.7 s on a busy uml node), stopped first, then killed: killed one by
  // one, a parent respawned its VRRP child before its own SIGKILL (seen), and a child outliving its
  // parent was stopped gracefully by systemd — a priority-0 advert and the VIP removed (seen).
  create: (node) =>
    armedCommandFault(
      'keepalived-kill',
      node,
      'SIGKILL to every keepalived process',
      'pids=; for dir in /proc/[0-9]*; do read -r name < "$dir/comm" 2>/dev/null && [ "$name" = keepalived ] && pids="$pids ${dir#/proc/}"; done; kill -STOP $pids && kill -KILL $pids',
      'systemctl reset-failed keepalived; systemctl start keepalived',
    ),
  expect(vrrp) {
    const takeover = masterDownTakeover(vrrp);
    return {
      outcome: 'takeover',
      says: `${vrrp.backup} takes the VIP at the master-down interval (≤ ${takeover.bound} s), while the dead keepalived's VIP stays on ${vrrp.master}, which keeps forwarding: a split brain (the split-brain check must FAIL) until keepalived starts again and takes the VIP back`,
      takeover,
      failback: preemptFailback(vrrp),
      masterKeepsForwarding: true,
      outageBound: outageFor(takeover, vrrp),
      expectedToFail: ['split-brain'],
      eitherVerdict: [],
    };
  },
  timing: (expectation) => takeoverTiming(expectation),
};
