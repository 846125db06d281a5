import { setTimeout as sleep } from 'node:timers/promises';
import { detectionMarginSeconds, masterDownInterval } from '../checks/vrrp-timing.js';
import { LabError } from '../errors.js';
import { closeAll, connectNode, openShell, sshTarget, type Closable } from '../lab/access.js';
import { scenarioConvergenceTimeoutMs, waitForConvergence } from '../lab/convergence.js';
import { probeNode, type NodeProbe } from '../lab/node-probe.js';
import type { LabMeta, LabPaths } from '../lab/state.js';
import { startLoad } from '../load/run-load.js';
import { failbackSeen } from './failback-seen.js';
import { parseIpvsadmStats } from '../parse/ipvsadm-stats.js';
import type { RebootAllowance } from '../provider/provider.js';
import { providerFor } from '../provider/registry.js';
import { provisionNode } from '../provision/apply.js';
import { renderNodeFiles } from '../render/bundle.js';
import { Communicator } from '../ssh/communicator.js';
import type { NodeShell } from '../ssh/node-shell.js';
import { backends, balancers, findNode, vipAddresses, vrrpInstances, type LabSpec, type VrrpInstance } from '../spec/types.js';
import type { Progress } from '../util/progress.js';
import { sleepUntil } from '../util/sleep-until.js';
import { within } from '../util/within.js';
import { recordClientEntries } from './client-entries.js';
import { defaultFaultName, faultNamed } from './faults/catalogue.js';
import type { FaultContext, FaultDefinition, FaultTiming } from './faults/fault.js';
import { watchBalancer } from './monitors.js';
import { readNodeClock, type NodeClock } from './node-clock.js';
import { prepareFaultNodes } from './fault-preparation.js';
import { boundedStep, faultActTimeoutMs, shellCommandTimeoutMs, watcherStopTimeoutMs } from './stuck-step.js';
import type { FaultRecord, LoadMode, LoadSummary, RunInstance, ScenarioResult, TimelineEvent, VrrpParameters } from './timeline.js';

export interface ScenarioPlan {
  name: string;
  mode: LoadMode;
  connections: number;
  /** Requests per second, over all connections. */
  rate: number;
  durationSeconds: number;
  /** Seconds after the load starts. */
  faultAt: number;
  revertAt: number;
  /** Seconds after the fault for the "after-fault-settled" snapshot (default: IPVS's estimator). */
  settleSeconds?: number;
  /** Which fault of the catalogue, on which node (default: the seed's link-down on the current master). */
  fault?: { name: string; node?: string };
  /**
   * The load ends this long after the failback is seen, not at its duration (which covers the
   * failback's whole allowance: for a reboot, a minute the run would spend waiting).
   */
  loadAfterFailbackSeconds?: number;
}

export const seedScenario: ScenarioPlan = {
  name: 'seed: ip link set down eth1 on the master, then up again',
  mode: 'new-connection',
  connections: 10,
  rate: 200,
  // The backup's phase must outlast a client's SYN retry at 7 s after the fault, plus the 2 s of
  // IPVS's estimator; after the revert the master needs ~3.6 s (its master-down interval).
  durationSeconds: 23,
  faultAt: 5,
  revertAt: 15,
};

/** IPVS counts in its 2-second estimator: a snapshot this long after an instant includes it. */
const ipvsSettleMs = 2_500;
/** A revert takes 0.2-0.5 s; a fault's command was seen to take 1.7 s on a busy uml node. */
const revertPatienceMs = 3_000;
/** How long a node booted again by a fault may take to answer SSH (the labs' boot deadline, twice). */
const rebootSshTimeoutMs = 90_000;
/** An IPVS snapshot takes well under a second; a shell silent this long is asked again over a new connection. */
const shellPatienceMs = 5_000;
/** The load generator's own end after its duration: the last requests' timeout, and a margin. */
const loadEndMarginMs = 30_000;
/** A load worker (node and autocannon, in the lab's namespace) starts in 0.2-0.7 s here; 3.5 s seen once. */
const loadStartTimeoutMs = 30_000;

/**
 * The VRRP parameters a run is judged by: the seed's one instance, or, with several instances, the
 * one whose master is `focus` (the node the fault hits; default the first instance), with every
 * instance listed.
 */
export function vrrpParameters(spec: LabSpec, focus?: string): VrrpParameters {
  const instances = vrrpInstances(spec);
  const focused = instances.find((instance) => instance.master === focus) ?? instances[0];
  const ranked = Object.entries(focused?.priorities ?? {}).sort(([, a], [, b]) => b - a);
  const [master, backup] = ranked.map(([name]) => name);
  if (!master || !backup) throw new LabError('SCENARIO_NEEDS_TWO_BALANCERS', 'the failover scenario needs two balancers in the spec');
  return {
    advertInt: spec.vrrp.advertInt,
    priorities: Object.fromEntries(ranked),
    preempt: spec.vrrp.preempt,
    master,
    backup,
    // Only when set, so a seed run's result.json stays as it was.
    ...(spec.ipvs?.syncConnections ? { syncConnections: true } : {}),
    ...(spec.vrrpInstances ? { instances: spec.vrrpInstances.map((instance) => runInstance(instance, instance.master)) } : {}),
  };
}

/** An instance as a run records it: its master (the holder when the run starts) and the member next in priority. */
function runInstance(instance: VrrpInstance, holder: string): RunInstance {
  const backup = Object.keys(instance.priorities).find((name) => name !== holder) ?? '';
  return { name: instance.name, vip: instance.vip.address, priorities: instance.priorities, master: holder, backup };
}

/**
 * Faults a lab of several VRRP instances runs: those that take the master of one VIP out of VRRP
 * (its VIP moves, the others stay). The rest reach past one instance (a partition of every
 * instance's adverts, a backend) and are judged for two balancers only.
 */
export const multiInstanceFaults = ['link-down', 'keepalived-stop', 'node-crash', 'freeze'] as const;

/** The plan of one catalogue fault: the seed's load, with the fault's own (short) schedule. */
export function faultScenario(definition: FaultDefinition, spec: LabSpec, reboot: RebootAllowance, mode: LoadMode = 'new-connection', node?: string): ScenarioPlan {
  const vrrp = vrrpParameters(spec, node);
  const target = targetNode(definition, spec, vrrp, node);
  return { ...seedScenario, mode, name: `${definition.name}: ${definition.description}`, ...definition.schedule(definition.expect(vrrp, spec, target, reboot)), fault: { name: definition.name, node } };
}

/** Whether a lab of several VRRP instances runs this fault on this node (a usage error if not): asked before a lab is brought up for it. */
export function checkFaultFits(fault: string, spec: LabSpec, node: string | undefined): void {
  if (!spec.vrrpInstances) return;
  if (!(multiInstanceFaults as readonly string[]).includes(fault)) {
    throw new LabError('USAGE', `${fault} is judged for two balancers; lab "${spec.name}" has ${spec.vrrpInstances.length} VRRP instances: use one of ${multiInstanceFaults.join(', ')}`);
  }
  if (node !== undefined && !spec.vrrpInstances.some((instance) => instance.master === node)) {
    throw new LabError('USAGE', `--node ${node}: in lab "${spec.name}" a fault hits the master of a VIP (${spec.vrrpInstances.map((instance) => `${instance.master} of ${instance.vip.address}`).join(', ')})`);
  }
}

/** The node a fault hits: the one named, else the current master or backup, or the last backend. */
function targetNode(definition: FaultDefinition, spec: LabSpec, vrrp: VrrpParameters, named: string | undefined): string {
  checkFaultFits(definition.name, spec, named);
  if (named !== undefined) {
    if (!findNode(spec, named)) throw new LabError('USAGE', `--node ${named}: no such node in lab "${spec.name}" (${spec.nodes.map((node) => node.name).join(', ')})`);
    return named;
  }
  if (definition.target === 'master') return vrrp.master;
  if (definition.target === 'backup') return vrrp.backup;
  const last = backends(spec).at(-1);
  if (!last) throw new LabError('USAGE', `${definition.name} needs a backend in the spec`);
  return last.name;
}

/**
 * Runs one failover scenario on a running lab: load through the VIP for the whole duration, the
 * plan's fault injected and reverted at set times (the revert runs whatever happens), balancers
 * watched throughout. Returns the recorded timeline, with the fault's expected outcome; judging it
 * is the checks' job.
 */
export async function runScenario(paths: LabPaths, meta: LabMeta, plan: ScenarioPlan, progress: Progress): Promise<ScenarioResult> {
  const spec = meta.spec;
  const definition = faultNamed(plan.fault?.name ?? defaultFaultName);
  let vrrp = vrrpParameters(spec, plan.fault?.node);
  // Several VRRP instances: every event names its VIP or instance, and the load spreads over the VIPs.
  const several = spec.vrrpInstances !== undefined;
  const vips = vipAddresses(spec);
  /** A balancer's state as probed, as events: where the monitors' record of it begins. */
  const recordProbe = (node: string, probe: NodeProbe) => {
    if (several) {
      for (const [instance, state] of Object.entries(probe.instanceStates ?? {})) record({ t: Date.now(), kind: 'vrrp-state', node, state, source: 'dump', instance });
      for (const vip of probe.heldVips) record({ t: Date.now(), kind: 'vip', node, action: 'added', vip });
      return;
    }
    record({ t: Date.now(), kind: 'vrrp-state', node, state: probe.keepalived ?? 'UNKNOWN', source: 'dump' });
    if (probe.holdsVip) record({ t: Date.now(), kind: 'vip', node, action: 'added' });
  };
  const focusVip = vrrp.instances?.find((instance) => instance.master === vrrp.master)?.vip ?? spec.vip.address;
  // As many connections to each VIP: the plan's count rounded up to a multiple of the VIPs.
  const connections = Math.ceil(plan.connections / vips.length) * vips.length;
  const backendNames = Object.fromEntries(backends(spec).map((node) => [node.address, node.name]));
  const events: TimelineEvent[] = [];
  const record = (event: TimelineEvent) => events.push(event);
  const sessions = new Map<string, Communicator>();
  // Commands go through one shell per balancer, opened before the load: see NodeShell.
  const shells = new Map<string, NodeShell>();
  const opened: Closable[] = [];
  const watchers = new Map<string, { stop: () => Promise<void> }>();
  // Nodes a fault has killed or frozen: nothing is asked of them until they are back.
  const away = new Set<string>();
  const clocks = new Map<string, NodeClock>();
  const ipvsText: ScenarioResult['ipvsText'] = {};
  const startedAt = Date.now();
  let load: LoadSummary | undefined;
  let faultRecord: FaultRecord | undefined;

  /**
   * A command in a balancer's shell; one not answered within shellPatienceMs is asked again over a
   * new connection, which replaces the shell (a wedged shell holds every later command behind it).
   */
  const askBalancer = async (node: string, shell: NodeShell, command: string) => {
    try {
      return await shell.execChecked(command, { timeoutMs: shellPatienceMs });
    } catch (error) {
      if (!(error instanceof LabError && error.code === 'EXEC_TIMEOUT')) throw error;
      record({ t: Date.now(), kind: 'phase', name: `${node} did not answer '${command}' within ${shellPatienceMs / 1000} s: asked again over a new connection` });
      const fresh = await openShell(paths, meta, node, opened);
      shells.set(node, fresh);
      return boundedStep(fresh.execChecked(command), shellCommandTimeoutMs, `'${command}' on ${node}, asked again over a new connection`, { paths, meta, node });
    }
  };

  // One balancer after the other: two at once delay keepalived's track script on a busy host.
  const snapshot = async (label: string) => {
    const texts: (readonly [string, string])[] = [];
    for (const [node, shell] of shells) {
      if (away.has(node)) continue;
      const text = (await askBalancer(node, shell, 'ipvsadm -Ln --stats')).stdout;
      const services = parseIpvsadmStats(text);
      const t = Date.now();
      for (const vip of vips) {
        const service = services.find((svc) => svc.address === vip && svc.port === spec.service.port);
        const perBackend = Object.fromEntries((service?.realServers ?? []).map((server) => [backendNames[server.address] ?? server.address, server.conns]));
        record({ t, kind: 'ipvs', node, label, conns: service?.conns ?? 0, perBackend, inPkts: service?.inPkts ?? 0, outPkts: service?.outPkts ?? 0, ...(several ? { vip } : {}) });
      }
      texts.push([node, text]);
    }
    return texts;
  };

  const watch = (ssh: Communicator, node: string, clock: NodeClock, onEvent: (event: TimelineEvent) => void) =>
    watchBalancer(ssh, node, { interfaceName: spec.lab.interface, vips, instances: vrrpInstances(spec).map((instance) => instance.name), seconds: plan.durationSeconds + 60, clock }, onEvent);

  try {
    await progress.step('watching the balancers', async () => {
      for (const node of balancers(spec)) sessions.set(node.name, await connectNode(paths, meta, node.name));
      for (const [node, ssh] of sessions) shells.set(node, await ssh.openShell());
      opened.push(...shells.values());
      for (const [node, shell] of shells) clocks.set(node, await readNodeClock(shell));
      // Before the watch and the quiet wait: preparing disturbs nothing that is judged. A fault on
      // the master or the backup may hit either balancer (which one is master is known only later).
      const preparation = definition.prepare?.(spec);
      if (preparation) {
        const mayHit = definition.target === 'backend' || plan.fault?.node ? [targetNode(definition, spec, vrrp, plan.fault?.node)] : balancers(spec).map((node) => node.name);
        await prepareFaultNodes(paths, meta, mayHit, preparation);
      }
      // Watch first, then read the starting state: no transition can fall between the two.
      // Setting up the watch is itself a load on a uml node: the seed's track script was seen to
      // time out then, its balancer to FAULT and back (see QuietRule). The load starts only once no
      // transition has been seen for the backup's master-down interval.
      let lastChangeAt: number | undefined;
      const watched = (event: TimelineEvent) => {
        if (event.kind === 'vrrp-state' || event.kind === 'vip') lastChangeAt = Date.now();
        record(event);
      };
      const quietMs = (masterDownInterval(vrrp.priorities[vrrp.backup] ?? 0, vrrp.advertInt) + detectionMarginSeconds) * 1000;
      for (const [node, ssh] of sessions) watchers.set(node, watch(ssh, node, clocks.get(node)!, watched));
      // Room for a probe stuck on a busy uml node, and a retry.
      const probes = await waitForConvergence(spec, shells, scenarioConvergenceTimeoutMs, (node) => openShell(paths, meta, node, opened), { lastChangeAt: () => lastChangeAt, forMs: quietMs });
      // Counters from the settled lab on: a balancer that held the VIP while VRRP settled (after
      // its peer's FAULT) still forwards the stray packets of older connections.
      for (const shell of shells.values()) await shell.execChecked('ipvsadm -Z', { timeoutMs: shellCommandTimeoutMs });
      for (const [node, shell] of shells) await recordClientEntries(shell, node, { client: spec.lab.client, vips, port: spec.service.port, tagVip: several }, record);
      // The fault hits whoever is master now. With preemption that is the highest priority; with
      // nopreempt it is whichever balancer came up first, as VRRP intends.
      const holderOf = (vip: string) => [...probes].find(([, probe]) => probe.heldVips.includes(vip))?.[0];
      const holder = holderOf(focusVip) ?? vrrp.master;
      if (holder !== vrrp.master) vrrp = { ...vrrp, master: holder, backup: vrrp.master };
      if (spec.vrrpInstances) vrrp = { ...vrrp, instances: spec.vrrpInstances.map((instance) => runInstance(instance, holderOf(instance.vip.address) ?? instance.master)) };
      for (const [node, probe] of probes) recordProbe(node, probe);
      await sleep(500); // the monitors take a moment to start under uml
    });

    const target = targetNode(definition, spec, vrrp, plan.fault?.node);
    const fault = definition.create(target, spec);
    faultRecord = { name: definition.name, node: target, description: definition.description, action: fault.describe(), expectation: definition.expect(vrrp, spec, target, providerFor(meta.provider).rebootAllowance(paths)) };
    // A node that is not watched (a backend) gets its shell and clock now, before the load needs them.
    const faultShell = shells.get(target) ?? (await openShell(paths, meta, target, opened));
    const faultClock = clocks.get(target) ?? (await readNodeClock(faultShell));
    const context: FaultContext = {
      // A balancer's shell may have been replaced by a new connection (askBalancer).
      get shell() {
        return shells.get(target) ?? faultShell;
      },
      async power(action) {
        // Recorded before the act: from this instant the node's own records may stop.
        if (action === 'kill' || action === 'freeze') away.add(target);
        const hostAt = Date.now();
        const issued: TimelineEvent = { t: hostAt, kind: 'power', node: target, action };
        record(issued);
        const actedAt = await providerFor(meta.provider).nodePower(paths, meta, target, action);
        // A command that acts at its end (Vagrant's, virsh): the VM ran until then (events are sorted by time at the end).
        if (actedAt !== undefined) issued.t = actedAt;
        if (action === 'kill') {
          void watchers.get(target)?.stop();
          watchers.delete(target);
          shells.get(target)?.close();
          shells.delete(target);
          sessions.get(target)?.close();
          sessions.delete(target);
        }
        if (action === 'thaw') away.delete(target);
        return { hostAt: actedAt ?? hostAt };
      },
      async bringBack() {
        const ssh = await Communicator.waitReady(sshTarget(paths, meta, target), rebootSshTimeoutMs);
        opened.push(ssh);
        record({ t: Date.now(), kind: 'phase', name: `${target} answers SSH again` });
        const shell = await ssh.openShell();
        opened.push(shell);
        const labNode = findNode(spec, target)!;
        // Watched before it is provisioned: provisioning starts keepalived, which may take the VIP at once.
        if (labNode.role === 'balancer') {
          watchers.set(target, watch(ssh, target, await readNodeClock(shell), record));
          shells.set(target, shell);
          // A VM booted again from its own disk (libvirt keeps it; uml's starts afresh) may have
          // started keepalived, and taken the VIP, before SSH answered: where its record begins.
          const probe = await probeNode(spec, labNode, shell).catch(() => undefined);
          if (probe) recordProbe(target, probe);
        }
        await provisionNode(spec, labNode, ssh, renderNodeFiles(spec, labNode));
        record({ t: Date.now(), kind: 'phase', name: `${target} provisioned again` });
        away.delete(target);
      },
    };
    const onFaultNode = { paths, meta, node: fault.node };
    const loadEnd = plan.loadAfterFailbackSeconds === undefined ? '' : `, ending ${plan.loadAfterFailbackSeconds} s after the failback`;
    load = await progress.step(`load for ${plan.durationSeconds} s (${plan.mode}); ${fault.describe()} at ${plan.faultAt} s, reverted at ${plan.revertAt} s${loadEnd}`, async () => {
      const request = { host: spec.vip.address, ...(several ? { hosts: vips } : {}), port: spec.service.port, mode: plan.mode, connections, rate: plan.rate, durationSeconds: plan.durationSeconds, timeoutSeconds: 10 };
      const running = startLoad(paths, meta, request, record);
      // The plan's times count from the first request, not from the worker's spawn: a worker once
      // took 3.5 s to start, and the IPVS snapshot before the fault then held no request at all.
      const loadStart = await boundedStep(running.started, loadStartTimeoutMs, 'the load generator\'s start').catch((error: unknown) => {
        running.stop();
        throw error;
      });
      record({ t: loadStart, kind: 'phase', name: 'load-start' });
      // A fault is stamped when its command ran on the node (see measure() for how the two are used).
      const stamped = async (action: 'inject' | 'revert', apply: () => Promise<FaultTiming>) => {
        const issuedAt = Date.now();
        const base = { kind: 'fault', action, fault: fault.name, node: fault.node, issuedAt, ...(action === 'inject' ? { detail: fault.describe() } : {}) } as const;
        try {
          const timing = await apply();
          const arrivedAt = Date.now();
          const startedAt = timing.startedAt === undefined ? undefined : faultClock.toLocal(timing.startedAt, arrivedAt);
          record({ ...base, t: timing.hostAt ?? faultClock.toLocal(timing.doneAt, arrivedAt), ok: true, ...(startedAt === undefined ? {} : { startedAt }) });
        } catch (error) {
          record({ ...base, t: issuedAt, ok: false, error: error instanceof Error ? error.message : String(error) });
          throw error;
        }
      };
      // A session lost (or a shell stuck behind a hung command) mid-scenario must not leave the
      // fault in place for whatever runs next, nor have it reverted late: a command of an open
      // session was seen to wait on a uml node until a new connection reached it. A revert not done
      // within revertPatienceMs is also sent over a fresh connection (it is idempotent), and
      // whichever is done first counts.
      const revert = async (): Promise<FaultTiming> => {
        const throughShell = fault.revert(context);
        if (!fault.repeatable) return throughShell;
        try {
          return await within(throughShell, revertPatienceMs, () => new LabError('EXEC_TIMEOUT', `reverting ${fault.name} on ${fault.node} through its shell took longer than ${revertPatienceMs / 1000} s`));
        } catch (error) {
          if (error instanceof LabError && error.code === 'REMOTE_COMMAND_FAILED') throw error;
        }
        const fresh = await connectNode(paths, meta, fault.node);
        try {
          const either = Promise.any([throughShell, fault.revert({ ...context, shell: fresh })]).catch((error: AggregateError) => {
            throw error.errors.at(-1);
          });
          return await boundedStep(either, faultActTimeoutMs, `reverting ${fault.name} on ${fault.node}, through its shell and a new connection`, onFaultNode);
        } finally {
          fresh.close();
        }
      };
      let injected = false;
      let revertIssuedAt: number | undefined;
      try {
        // Snapshot a little before the fault: a process start on a uml node briefly stalls its
        // packet path, which must not blur the instant of the fault.
        await sleepUntil(loadStart + plan.faultAt * 1000 - 1_200);
        for (const [node, text] of await snapshot('before-fault')) ipvsText[node] = { before: text, after: '' };
        await sleepUntil(loadStart + plan.faultAt * 1000);
        injected = true;
        await stamped('inject', () => boundedStep(fault.inject(context), faultActTimeoutMs, `${fault.name}'s act on ${fault.node} (${fault.describe()})`, onFaultNode));
        await sleep(Math.max(ipvsSettleMs, (plan.settleSeconds ?? 0) * 1000));
        await snapshot('after-fault-settled');
        await sleepUntil(loadStart + plan.revertAt * 1000 - 300);
        await snapshot('before-revert');
        await sleepUntil(loadStart + plan.revertAt * 1000);
      } finally {
        // Revert always runs, also when the load or a snapshot failed.
        if (injected) {
          revertIssuedAt = Date.now();
          const reverted = await stamped('revert', revert).then(() => true, () => false);
          if (reverted && fault.recover) await fault.recover(context);
        }
      }
      const keepAfterFailback = plan.loadAfterFailbackSeconds;
      if (keepAfterFailback !== undefined && revertIssuedAt !== undefined) {
        const failbackAt = await failbackSeen(events, vrrp, revertIssuedAt, loadStart + (plan.durationSeconds - keepAfterFailback) * 1000);
        if (failbackAt !== undefined) {
          await sleepUntil(failbackAt + keepAfterFailback * 1000);
          record({ t: Date.now(), kind: 'phase', name: `load ended ${keepAfterFailback} s after the failback` });
          running.finish();
        }
      }
      const loadEndsBy = loadStart + (plan.durationSeconds + request.timeoutSeconds) * 1000 + loadEndMarginMs;
      const summary = await boundedStep(running.finished, loadEndsBy - Date.now(), `the load generator's end (a ${plan.durationSeconds}-s load)`).catch((error: unknown) => {
        running.stop();
        throw error;
      });
      record({ t: Date.now(), kind: 'phase', name: 'load-end' });
      await sleep(ipvsSettleMs);
      for (const [node, text] of await snapshot('end')) ipvsText[node] = { before: ipvsText[node]?.before ?? '', after: text };
      return summary;
    });
  } finally {
    // A watcher that does not end is left to its own `timeout` on the node: its session is closed below.
    await boundedStep(Promise.allSettled([...watchers.values()].map((watcher) => watcher.stop())), watcherStopTimeoutMs, 'the balancer watchers').catch(() => undefined);
    closeAll(opened);
    for (const ssh of sessions.values()) ssh.close();
  }

  return {
    runId: `${new Date(startedAt).toISOString().replace(/[:.]/g, '-')}-${spec.name}${faultRecord && faultRecord.name !== defaultFaultName ? `-${faultRecord.name}` : ''}`,
    lab: spec.name,
    scenario: plan.name,
    startedAt,
    endedAt: Date.now(),
    vrrp,
    backends: backendNames,
    load,
    ipvsText,
    events: [...events].sort((a, b) => a.t - b.t),
    fault: faultRecord,
  };
}
