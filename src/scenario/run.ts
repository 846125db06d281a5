import { LabError } from '../errors.js';
import { scenarioConvergenceTimeoutMs, waitForConvergence } from '../lab/convergence.js';
import type { LabMeta, LabPaths } from '../lab/state.js';
import { startLoad } from '../load/run-load.js';
import { backends, balancers, findNode, type LabSpec } from '../spec/types.js';
import type { Progress } from '../util/progress.js';
import { defaultFaultName, faultNamed } from './faults/catalogue.js';
import type { FaultDefinition } from './faults/fault.js';
import { LabSessions } from './lab-sessions.js';
import type { FaultRecord, LoadMode, LoadSummary, ScenarioResult, TimelineEvent, VrrpParameters } from './timeline.js';

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
  /** Which fault of the catalogue, on which node (default: the seed's link-down on the current master). */
  fault?: { name: string; node?: string };
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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export function vrrpParameters(spec: LabSpec): VrrpParameters {
  const byPriority = [...balancers(spec)].sort((a, b) => (b.vrrp?.priority ?? 0) - (a.vrrp?.priority ?? 0));
  const [master, backup] = byPriority;
  if (!master || !backup) throw new LabError('SCENARIO_NEEDS_TWO_BALANCERS', 'the failover scenario needs two balancers in the spec');
  return {
    advertInt: spec.vrrp.advertInt,
    priorities: Object.fromEntries(byPriority.map((node) => [node.name, node.vrrp?.priority ?? 0])),
    preempt: spec.vrrp.preempt,
    master: master.name,
    backup: backup.name,
    // Only when set, so a seed run's result.json stays as it was.
    ...(spec.ipvs?.syncConnections ? { syncConnections: true } : {}),
  };
}

/** The plan of one catalogue fault: the seed's load, with the fault's own (short) timing. */
export function faultScenario(definition: FaultDefinition, spec: LabSpec, mode: LoadMode = 'new-connection', node?: string): ScenarioPlan {
  const vrrp = vrrpParameters(spec);
  const target = node ?? defaultTarget(definition, spec, vrrp);
  return { ...seedScenario, mode, name: `${definition.name}: ${definition.description}`, ...definition.timing(definition.expect(vrrp, spec, target)), fault: { name: definition.name, node } };
}

/** The node a fault hits when none is named: the current master or backup, or the last backend. */
function defaultTarget(definition: FaultDefinition, spec: LabSpec, vrrp: VrrpParameters): string {
  if (definition.target === 'master') return vrrp.master;
  if (definition.target === 'backup') return vrrp.backup;
  const last = backends(spec).at(-1);
  if (!last) throw new LabError('USAGE', `${definition.name} needs a backend in the spec`);
  return last.name;
}

function targetNode(definition: FaultDefinition, spec: LabSpec, vrrp: VrrpParameters, named: string | undefined): string {
  if (named === undefined) return defaultTarget(definition, spec, vrrp);
  if (!findNode(spec, named)) throw new LabError('USAGE', `--node ${named}: no such node in lab "${spec.name}" (${spec.nodes.map((node) => node.name).join(', ')})`);
  return named;
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
  let vrrp = vrrpParameters(spec);
  const backendNames = Object.fromEntries(backends(spec).map((node) => [node.address, node.name]));
  const events: TimelineEvent[] = [];
  const record = (event: TimelineEvent) => events.push(event);
  const lab = new LabSessions(spec, paths, meta, record, plan.durationSeconds + 120);
  const ipvsText: ScenarioResult['ipvsText'] = {};
  const startedAt = Date.now();
  let load: LoadSummary | undefined;
  let fault: FaultRecord | undefined;

  try {
    await progress.step('watching the balancers', async () => {
      // Watch first, then read the starting state: no transition can fall between the two.
      const sessions = await lab.watchBalancers();
      for (const ssh of sessions.values()) await ssh.execChecked('ipvsadm -Z');
      // Room for one stuck probe (its exec times out at 15 s) and a retry: a process on a uml node
      // now and then stalls at its start on a loaded host (seen: a probe's bash 87 s in R state).
      const probes = await waitForConvergence(spec, sessions, scenarioConvergenceTimeoutMs);
      // The fault hits whoever is master now. With preemption that is the highest priority; with
      // nopreempt it is whichever balancer came up first, as VRRP intends.
      const holder = [...probes].find(([, probe]) => probe.holdsVip)?.[0] ?? vrrp.master;
      if (holder !== vrrp.master) vrrp = { ...vrrp, master: holder, backup: vrrp.master };
      for (const [node, probe] of probes) {
        record({ t: Date.now(), kind: 'vrrp-state', node, state: probe.keepalived ?? 'UNKNOWN', source: 'dump' });
        if (probe.holdsVip) record({ t: Date.now(), kind: 'vip', node, action: 'added' });
      }
      await sleep(500); // the monitors take a moment to start under uml
    });

    const node = targetNode(definition, spec, vrrp, plan.fault?.node);
    const injected = definition.create(node, spec);
    fault = { name: definition.name, node, description: definition.description, action: injected.describe(), expectation: definition.expect(vrrp, spec, node) };
    const recorded = fault;
    load = await progress.step(`load for ${plan.durationSeconds} s (${plan.mode}); ${injected.describe()} at ${plan.faultAt} s, reverted at ${plan.revertAt} s`, async () => {
      const loadStart = Date.now();
      record({ t: loadStart, kind: 'phase', name: 'load-start' });
      const running = startLoad(
        paths,
        meta,
        { host: spec.vip.address, port: spec.service.port, mode: plan.mode, connections: plan.connections, rate: plan.rate, durationSeconds: plan.durationSeconds, timeoutSeconds: 10 },
        record,
      );
      // The fault's node is reached before the load needs it (a backend is not watched).
      await lab.session(node);
      let isInjected = false;
      try {
        // Snapshot a little before the fault: a process start on a uml node briefly stalls its
        // packet path, which must not blur the instant of the fault.
        await sleep(loadStart + plan.faultAt * 1000 - 1_200 - Date.now());
        for (const [name, text] of await lab.snapshot('before-fault', backendNames)) ipvsText[name] = { before: text, after: '' };
        await injected.prepare?.(lab);
        await sleep(loadStart + plan.faultAt * 1000 - Date.now());
        const issuedAt = Date.now();
        isInjected = true;
        const failure = await injected.inject(lab).then(() => undefined, (error: unknown) => error ?? new Error('the fault failed'));
        record({ t: issuedAt, kind: 'fault', action: 'inject', fault: recorded.name, node, ok: failure === undefined, detail: recorded.action });
        if (failure !== undefined) throw failure;
        await sleep(ipvsSettleMs);
        await lab.snapshot('after-fault-settled', backendNames);
        await sleep(loadStart + plan.revertAt * 1000 - 300 - Date.now());
        await lab.snapshot('before-revert', backendNames);
        await sleep(loadStart + plan.revertAt * 1000 - Date.now());
      } finally {
        if (isInjected) {
          // Revert always runs, also when the load or a snapshot failed.
          const ok = await injected.revert(lab).then(() => true, () => false);
          record({ t: Date.now(), kind: 'fault', action: 'revert', fault: recorded.name, node, ok });
          if (ok && injected.recover) await injected.recover(lab);
        }
      }
      const summary = await running.finished;
      record({ t: Date.now(), kind: 'phase', name: 'load-end' });
      await sleep(ipvsSettleMs);
      for (const [name, text] of await lab.snapshot('end', backendNames)) ipvsText[name] = { before: ipvsText[name]?.before ?? '', after: text };
      return summary;
    });
  } finally {
    await lab.close();
  }

  return {
    runId: `${new Date(startedAt).toISOString().replace(/[:.]/g, '-')}-${spec.name}${fault && fault.name !== defaultFaultName ? `-${fault.name}` : ''}`,
    lab: spec.name,
    scenario: plan.name,
    startedAt,
    endedAt: Date.now(),
    vrrp,
    backends: backendNames,
    load,
    ipvsText,
    events: [...events].sort((a, b) => a.t - b.t),
    fault,
  };
}
