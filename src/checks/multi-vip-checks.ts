import type { RunInstance, ScenarioResult } from '../scenario/timeline.js';
import { balanced, describeCounts } from './balance.js';
import { leftoverEntries, leftoverNote } from './stale-entries.js';
import { clientCounts, delta, ipvsAt, measure, type CheckResult, type FailoverMeasures } from './failover-checks.js';
import { faultChecks } from './fault-checks.js';
import { focusInstance, instanceView } from './instance-view.js';
import { holdersAt, vipHolderSpans } from './vip-holders.js';

const fmt = (value: number) => `${value.toFixed(2)} s`;

/**
 * Judges a run on a lab of several VRRP instances (three active balancers), pure: the VIP whose
 * master the fault hits by the two-balancer checks (on its own requests, moves and counters), each
 * other VIP by staying where it is and answering throughout, and the lab as a whole by where each
 * VIP was in each phase and by the balance of all requests and of each balancer's IPVS counters.
 * `m` is the moved VIP's measures.
 */
export function multiVipChecks(result: ScenarioResult, m: FailoverMeasures): CheckResult[] {
  const instances = result.vrrp.instances ?? [];
  const moved = focusInstance(result);
  const perVip = instances.flatMap((instance) => {
    const view = instanceView(result, instance);
    const checks = instance === moved ? faultChecks(view, m) : steadyChecks(view, instance, m);
    return checks.map((check) => ({ ...check, id: `${instance.name}/${check.id}`, title: `${instance.vip} (${instance.name}): ${check.title}` }));
  });
  return [placement(result, instances, moved, m), ...perVip, overallBalance(result, instances, m)];
}

/** Which VIP was where before the fault, while it lasted and at the end: only the hit master's VIP moves, to its instance's next priority. */
function placement(result: ScenarioResult, instances: RunInstance[], moved: RunInstance | undefined, m: FailoverMeasures): CheckResult {
  const rows = instances.map((instance) => {
    const spans = vipHolderSpans(instanceView(result, instance).events, result.endedAt);
    const at = (t: number) => holdersAt(spans, t).join(' and ') || 'nobody';
    const before = at(m.faultAt - 1);
    const during = at(m.revertAt - 1);
    const wanted = instance === moved ? instance.backup : instance.master;
    const pass = before === instance.master && during === wanted;
    return { pass, text: `${instance.vip}: ${before} → ${during}${instance === moved ? ` (moved: ${instance.backup} is next in ${instance.name})` : ''}${pass ? '' : ` — expected ${instance.master} → ${wanted}`}` };
  });
  return {
    id: 'vip-placement',
    title: `Only ${moved?.master ?? 'the hit balancer'}'s VIP moves during the fault; every other VIP stays on its master`,
    pass: rows.every((row) => row.pass),
    reason: `holders before the fault → before the revert: ${rows.map((row) => row.text).join('; ')}`,
  };
}

/** A VIP the fault does not touch: held by its master alone throughout, its requests all answered in every phase. */
function steadyChecks(view: ScenarioResult, instance: RunInstance, m: FailoverMeasures): CheckResult[] {
  const spans = vipHolderSpans(view.events, view.endedAt).filter((span) => span.to > m.loadStart && span.from < m.loadEnd);
  const moves = spans.filter((span) => span.holders.join() !== instance.master);
  const directed = (node: string) => (ipvsAt(view.events, node, 'before-revert')?.inPkts ?? 0) - (ipvsAt(view.events, node, 'before-fault')?.inPkts ?? 0);
  const others = Object.keys(instance.priorities).filter((node) => node !== instance.master);
  const strays = others.filter((node) => directed(node) > 0);
  const held: CheckResult = {
    id: 'stays',
    title: `Stays on ${instance.master}, whose IPVS alone directs it`,
    pass: moves.length === 0 && directed(instance.master) > 0 && strays.length === 0,
    reason: `${moves.length === 0 ? `held by ${instance.master} alone throughout the load` : moves.map((span) => `held by ${span.holders.join(' and ') || 'nobody'} for ${fmt((span.to - span.from) / 1000)}`).join('; ')}; ` +
      `InPkts during the fault: ${[instance.master, ...others].map((node) => `${node} +${directed(node)}`).join(', ')}`,
  };
  const answersIn = (from: number, to: number) => Object.values(clientCounts(view.events, from, to)).reduce((sum, count) => sum + count, 0);
  const phases = [
    { name: 'before the fault', count: answersIn(m.loadStart, m.faultAt) },
    { name: 'during it', count: answersIn(m.faultAt, m.revertAt) },
    { name: 'after the revert', count: answersIn(m.revertAt, m.loadEnd) },
  ];
  const own = measure(view);
  const { sent, answered, failed, unfinished } = view.load;
  const answering: CheckResult = {
    id: 'answers',
    title: 'Keeps answering: every request answered in every phase',
    pass: failed === 0 && phases.every((phase) => phase.count > 0) && sent === answered + failed + unfinished,
    reason: `${phases.map((phase) => `${phase.count} answers ${phase.name}`).join(', ')}; ${sent} sent = ${answered} answered + ${failed} failed + ${unfinished} unfinished; longest gap without an answer ${fmt(own.outageSeconds)}`,
  };
  return [held, answering];
}

/** All requests over all VIPs balanced over the backends in each phase, and so is each balancer's share of the scheduling. */
function overallBalance(result: ScenarioResult, instances: RunInstance[], m: FailoverMeasures): CheckResult {
  const backends = Object.values(result.backends);
  const parts: NonNullable<CheckResult['parts']> = [];
  const reportedOnly = new Set<string>();
  const judge = (name: string, counts: Record<string, number>, required: boolean, client = false) => {
    const verdict = balanced(counts, backends);
    if (verdict.total === 0 && !required) return parts.push({ name, pass: true, detail: 'scheduled nothing' });
    const leftover = client ? leftoverNote(leftoverEntries(result.events), verdict.allowed) : undefined;
    if (leftover) reportedOnly.add(name);
    parts.push({ name, pass: verdict.ok, detail: `${describeCounts(counts, backends)} (${verdict.ok ? 'ok' : `differ by ${verdict.difference} > ${verdict.allowed}`}${leftover ? `; ${leftover}` : ''})` });
  };
  const keepAlive = result.load.mode === 'keep-alive';
  judge('client before the fault', clientCounts(result.events, m.loadStart, m.faultAt), !keepAlive, true);
  judge('client during the fault', clientCounts(result.events, m.takeoverAt ?? m.faultAt, m.revertAt), !keepAlive, true);
  judge('client after the revert', clientCounts(result.events, m.failbackAt ?? m.revertAt, m.loadEnd), !keepAlive, true);
  // Each balancer's new connections over all its services, per phase (IPVS's Conns per real server).
  const balancerNames = [...new Set(instances.flatMap((instance) => Object.keys(instance.priorities)))].sort();
  const sums = (node: string, label: string) => {
    const total: Record<string, number> = {};
    for (const e of result.events) {
      if (e.kind !== 'ipvs' || e.node !== node || e.label !== label) continue;
      for (const [backend, conns] of Object.entries(e.perBackend)) total[backend] = (total[backend] ?? 0) + conns;
    }
    return total;
  };
  for (const node of balancerNames) {
    const before = sums(node, 'before-fault');
    const during = sums(node, 'before-revert');
    judge(`IPVS ${node} before the fault`, before, false);
    judge(`IPVS ${node} during the fault`, delta(during, before), false);
  }
  // With keep-alive, IPVS balances connections and the client's shares follow them: reported only.
  const counted = parts.filter((part) => !(keepAlive && part.name.startsWith('client')) && !reportedOnly.has(part.name));
  return {
    id: 'balance-all',
    title: `All ${instances.length} VIPs' load stays balanced over the backends, and each balancer's scheduling too`,
    pass: counted.every((part) => part.pass),
    reason: parts.map((part) => `${part.name}: ${part.detail}`).join('; '),
    parts,
  };
}
