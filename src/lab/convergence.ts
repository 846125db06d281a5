import { setTimeout as sleep } from 'node:timers/promises';
import { LabError } from '../errors.js';
import { withShells } from './access.js';
import type { LabMeta, LabPaths } from './state.js';
import type { CommandRunner } from '../ssh/command-runner.js';
import { balancers, vrrpInstances, type LabSpec, type VrrpInstance } from '../spec/types.js';
import { probeNode, type NodeProbe } from './node-probe.js';

/** With preemption on, a member of higher priority than the holder, which is about to take the instance's VIP. */
function pendingPreemption(spec: LabSpec, instance: VrrpInstance, holder: string): string | undefined {
  if (!spec.vrrp.preempt) return undefined;
  const priorityOf = (name: string) => instance.priorities[name] ?? 0;
  return Object.keys(instance.priorities).find((name) => priorityOf(name) > priorityOf(holder));
}

/**
 * One instance settled: exactly one balancer holds its VIP and keepalived calls it MASTER of it, the
 * others BACKUP; with preemption on, the holder is the instance's highest priority. Returns why not.
 */
function unsettled(spec: LabSpec, instance: VrrpInstance, probes: Map<string, NodeProbe>): string | undefined {
  const stateOf = (probe: NodeProbe) => probe.instanceStates?.[instance.name] ?? probe.keepalived;
  const holders = [...probes].filter(([, probe]) => probe.heldVips.includes(instance.vip.address)).map(([name]) => name);
  const masters = [...probes].filter(([, probe]) => stateOf(probe) === 'MASTER').map(([name]) => name);
  const othersBackup = [...probes].every(([name, probe]) => masters.includes(name) || stateOf(probe) === 'BACKUP');
  const holder = holders.length === 1 ? holders[0] : undefined;
  if (holder === undefined || masters.length !== 1 || holder !== masters[0] || !othersBackup) return '';
  const preempting = pendingPreemption(spec, instance, holder);
  return preempting && ` (${preempting} has the higher priority and preemption is on: it should take the VIP${spec.vrrpInstances ? ` of ${instance.name}` : ''})`;
}

/** Each balancer's word, for the error: its state (of each instance, when there are several) and what it holds. */
function describeProbes(spec: LabSpec, probes: Map<string, NodeProbe>, silence: Map<string, string>): string {
  return balancers(spec)
    .map(({ name }) => {
      const probe = probes.get(name);
      if (!probe) return `${name} did not answer${silence.has(name) ? ` (${silence.get(name)})` : ''}`;
      if (!spec.vrrpInstances) return `${name} ${probe.keepalived}${probe.holdsVip ? ' with the VIP' : ''}`;
      const states = Object.entries(probe.instanceStates ?? {}).map(([instance, state]) => `${instance} ${state}`).join(', ');
      return `${name} ${states}${probe.heldVips.length > 0 ? ` with ${probe.heldVips.join(', ')}` : ''}`;
    })
    .join(spec.vrrpInstances ? '; ' : ', ');
}

/**
 * How long a scenario waits for VRRP to settle before it starts: room for one stuck probe on a busy
 * uml node (10-30 s stalls were seen on an oversubscribed host) and a retry.
 */
export const scenarioConvergenceTimeoutMs = 45_000;

/** Settled also means no transition seen for `forMs` (see waitForConvergence). */
export interface QuietRule {
  /** Host time at which the last transition was seen, if any. */
  lastChangeAt: () => number | undefined;
  forMs: number;
}

/**
 * Waits until VRRP has settled: for each instance, exactly one balancer holds its VIP and keepalived
 * calls it MASTER, the others BACKUP; with preemption on, the holder is the highest priority. keepalived starts every
 * instance as BACKUP and takes over only after the master-down interval, so a freshly provisioned
 * lab needs a few seconds; a balancer whose keepalived started late (a busy host) is BACKUP under a
 * lower-priority master for one more master-down interval, then preempts. A scenario started in
 * that moment would break the wrong balancer.
 *
 * A probe that times out is sent again over `fresh(node)` when given, which replaces the node's
 * runner in `sessions` (the caller's later commands go there too): a uml node was seen to leave a
 * command of an open session unstarted for minutes, until a new SSH connection reached it.
 *
 * With `quiet`, a caller that watches the balancers' transitions also has the settled state wait
 * until none was seen for `quiet.forMs`: a snapshot of states is one instant, and a balancer that
 * has just entered BACKUP (back from a FAULT its track script timed into) decides only a
 * master-down interval later. Without it a scenario was seen to start its load on a "settled" lab
 * whose backup took the VIP 1.8 s later.
 */
export async function waitForConvergence<R extends CommandRunner>(spec: LabSpec, sessions: Map<string, R>, timeoutMs = 20_000, fresh?: (node: string) => Promise<R>, quiet?: QuietRule): Promise<Map<string, NodeProbe>> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const probes = new Map<string, NodeProbe>();
    const silence = new Map<string, string>();
    for (const node of balancers(spec)) {
      const ssh = sessions.get(node.name);
      // One slow answer (a busy uml node) is no verdict: only the deadline is.
      const probe = ssh
        ? await probeNode(spec, node, ssh).catch((error: unknown) => {
            silence.set(node.name, error instanceof LabError ? error.code : error instanceof Error ? error.message : String(error));
            return undefined;
          })
        : undefined;
      if (probe) probes.set(node.name, probe);
      else if (fresh && silence.get(node.name) === 'EXEC_TIMEOUT' && Date.now() < deadline) {
        const replacement = await fresh(node.name).catch(() => undefined);
        if (replacement) sessions.set(node.name, replacement);
      }
    }
    const allAnswered = probes.size === balancers(spec).length;
    const waiting = vrrpInstances(spec).map((instance) => unsettled(spec, instance, probes));
    const lastChangeAt = quiet?.lastChangeAt();
    const sinceChange = lastChangeAt === undefined ? Infinity : Date.now() - lastChangeAt;
    const settled = allAnswered && waiting.every((why) => why === undefined);
    if (settled && (!quiet || sinceChange >= quiet.forMs)) return probes;
    last = describeProbes(spec, probes, silence) + waiting.filter((why) => why).join('');
    if (quiet && sinceChange < quiet.forMs) last += ` (a balancer changed state ${(sinceChange / 1000).toFixed(1)} s ago; settled means none for ${(quiet.forMs / 1000).toFixed(1)} s)`;
    if (Date.now() > deadline) {
      throw new LabError('VRRP_NOT_CONVERGED', `VRRP did not settle within ${timeoutMs / 1000} s: ${last}`, {
        hint: 'look at keepalived on the balancers: npm run lab:exec -- balancer1 journalctl -u keepalived',
      });
    }
    await sleep(300);
  }
}

/** waitForConvergence on a running lab, over shells to its balancers opened for it (lab:up's last step). */
export function waitForLabConvergence(paths: LabPaths, meta: LabMeta, timeoutMs?: number): Promise<Map<string, NodeProbe>> {
  return withShells(paths, meta, balancers(meta.spec).map((node) => node.name), (shells, fresh) => waitForConvergence(meta.spec, shells, timeoutMs, fresh));
}
