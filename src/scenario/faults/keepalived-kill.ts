import { keepalivedStartBasis, keepalivedStartSeconds, masterDownTakeover, outageFor, preemptFailback } from '../../checks/fault-expectation.js';
import type { FaultDefinition } from './fault.js';
import { commandFault } from './node-command.js';
import { takeoverSchedule } from './schedule.js';

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
  // Every keepalived process, found by name in /proc with shell builtins (pkill's own start took
  // 0.7 s on a busy uml node), stopped first, then killed children first: killed one by one, a
  // parent respawned its VRRP child before its own SIGKILL (seen); with the parent killed first, the
  // VRRP child still removed the VIP and sent a priority-0 advert — a graceful stop — in 8 of 9
  // tries (likely systemd, seeing the main process die, sends the rest of the unit SIGTERM and
  // SIGCONT between the two kills); children first, in none of 5.
  create: (node) =>
    commandFault(
      'keepalived-kill',
      node,
      'SIGKILL to every keepalived process',
      'main=; children=; for dir in /proc/[0-9]*; do read -r name < "$dir/comm" 2>/dev/null && [ "$name" = keepalived ] && read -r _ _ _ ppid _ < "$dir/stat" 2>/dev/null || continue; if [ "$ppid" = 1 ]; then main="$main ${dir#/proc/}"; else children="$children ${dir#/proc/}"; fi; done; [ -n "$main$children" ] || { echo "no keepalived process is running" >&2; false; } && { kill -STOP $main $children; kill -KILL $children $main 2>/dev/null; true; }',
      'systemctl reset-failed keepalived; systemctl start keepalived',
    ),
  expect(vrrp) {
    const takeover = masterDownTakeover(vrrp);
    return {
      outcome: 'takeover',
      says: `${vrrp.backup} takes the VIP at the master-down interval (≤ ${takeover.bound} s), while the dead keepalived's VIP stays on ${vrrp.master}, which keeps forwarding: a split brain (the split-brain check must FAIL) until keepalived starts again and takes the VIP back`,
      takeover,
      failback: preemptFailback(vrrp, keepalivedStartSeconds, keepalivedStartBasis),
      masterKeepsForwarding: true,
      outageBound: outageFor(takeover, vrrp),
      expectedToFail: ['split-brain'],
      eitherVerdict: [],
    };
  },
  schedule: (expectation) => takeoverSchedule(expectation),
};
