import type { ScenarioResult, TimelineEvent } from '../scenario/timeline.js';
import { balanced, describeCounts } from './balance.js';
import { failbackInTime } from './failback.js';
import { leftoverEntries, leftoverNote } from './stale-entries.js';
import { linkDownExpectation, type FaultExpectation } from './fault-expectation.js';
import { holdersAt, soleHolderFrom, vipAddedAt, vipHolderSpans } from './vip-holders.js';
import { zeroLossVerdict } from './zero-loss.js';

export interface CheckResult {
  id: string;
  title: string;
  pass: boolean;
  /** Why it passed or failed, with the figures, in words a student or grader reads. */
  reason: string;
  /** For checks made of several parts (balance per phase): each part's own verdict. */
  parts?: { name: string; pass: boolean; detail: string }[];
  /**
   * What the fault should make of this check, when not a PASS: 'fail' where the failure is the
   * fault's expected effect (a split brain under a VRRP partition), 'either' for chance events.
   */
  expected?: 'fail' | 'either';
}

/** Whether a check saw what the fault should make: a PASS, or the FAIL the fault is expected to cause. */
export function asExpected(check: Pick<CheckResult, 'pass' | 'expected'>): boolean {
  if (check.expected === 'either') return true;
  return check.expected === 'fail' ? !check.pass : check.pass;
}

/** The instants a scenario's checks are built on, measured from its timeline. */
export interface FailoverMeasures {
  loadStart: number;
  loadEnd: number;
  faultAt: number;
  revertAt: number;
  /** When the backup got the VIP after the fault, if it did. */
  takeoverAt?: number;
  /** When the master got the VIP back after the revert, if it did. */
  failbackAt?: number;
  failoverSeconds?: number;
  failbackSeconds?: number;
  outageSeconds: number;
  outageFrom: number;
  outageTo: number;
  /** keepalived's own state changes on either balancer during the load (from its journal). */
  transitions: number;
}

const seconds = (ms: number) => Math.round(ms) / 1000;
const fmt = (value: number) => `${value.toFixed(2)} s`;

function instant(events: TimelineEvent[], predicate: (event: TimelineEvent) => boolean): number | undefined {
  return events.find(predicate)?.t;
}

/**
 * When a fault (or its revert) took effect: by the time its command returned on the node, or at the
 * first consequence its node showed (VIP, keepalived state) while the command ran, if one came first.
 */
function faultInstant(events: TimelineEvent[], action: 'inject' | 'revert'): number | undefined {
  const fault = events.find((e): e is Extract<TimelineEvent, { kind: 'fault' }> => e.kind === 'fault' && e.action === action);
  if (fault?.startedAt === undefined) return fault?.t;
  const { startedAt, node, t } = fault;
  return instant(events, (e) => (e.kind === 'vip' || e.kind === 'vrrp-state') && e.node === node && e.t >= startedAt && e.t < t) ?? t;
}

export function measure(result: ScenarioResult): FailoverMeasures {
  const { events, vrrp } = result;
  const loadStart = instant(events, (e) => e.kind === 'phase' && e.name === 'load-start') ?? result.startedAt;
  const loadEnd = instant(events, (e) => e.kind === 'phase' && e.name === 'load-end') ?? result.endedAt;
  const faultAt = faultInstant(events, 'inject') ?? loadEnd;
  const revertAt = faultInstant(events, 'revert') ?? loadEnd;
  const takeoverAt = vipAddedAt(events, vrrp.backup, faultAt);
  // A master that never let go of the VIP (frozen, partitioned) is back when it holds it alone.
  const failbackAt = vipAddedAt(events, vrrp.master, revertAt) ?? soleHolderFrom(vipHolderSpans(events, result.endedAt), vrrp.master, revertAt);
  // The longest stretch of the load without a successful answer.
  let previous = loadStart;
  let outage = { ms: 0, from: loadStart, to: loadStart };
  for (const event of events) {
    if (event.kind !== 'response' || event.status !== 200 || event.t < loadStart) continue;
    if (event.t - previous > outage.ms) outage = { ms: event.t - previous, from: previous, to: event.t };
    previous = event.t;
  }
  if (loadEnd - previous > outage.ms) outage = { ms: loadEnd - previous, from: previous, to: loadEnd };
  return {
    loadStart,
    loadEnd,
    faultAt,
    revertAt,
    takeoverAt,
    failbackAt,
    failoverSeconds: takeoverAt === undefined ? undefined : seconds(takeoverAt - faultAt),
    failbackSeconds: failbackAt === undefined ? undefined : seconds(failbackAt - revertAt),
    outageSeconds: seconds(outage.ms),
    outageFrom: outage.from,
    outageTo: outage.to,
    transitions: events.filter((e) => e.kind === 'vrrp-state' && e.source === 'journal' && e.t >= loadStart && e.t <= loadEnd).length,
  };
}

/** Answers (HTTP 200) per backend in [from, to). */
export function clientCounts(events: TimelineEvent[], from: number, to: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) {
    if (event.kind === 'response' && event.status === 200 && event.t >= from && event.t < to) counts[event.backend] = (counts[event.backend] ?? 0) + 1;
  }
  return counts;
}

/** A balancer's IPVS snapshot of the given label (the first, if a run has several VIPs: filter its events first). */
export function ipvsAt(events: TimelineEvent[], node: string, label: string) {
  return events.find((e): e is Extract<TimelineEvent, { kind: 'ipvs' }> => e.kind === 'ipvs' && e.node === node && e.label === label);
}

export function delta(later: Record<string, number> | undefined, earlier: Record<string, number> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(later ?? {}).map(([name, value]) => [name, value - (earlier?.[name] ?? 0)]));
}

/**
 * Judges a recorded takeover (the seed's link-down by default; the bounds come from the fault's
 * expectation): pure, so it is tested without a lab.
 */
export function failoverChecks(result: ScenarioResult, m: FailoverMeasures = measure(result), expectation: FaultExpectation = linkDownExpectation(result.vrrp)): CheckResult[] {
  const { events, vrrp } = result;
  const backends = Object.values(result.backends);
  const spans = vipHolderSpans(events, result.endedAt);
  const backupWindow = expectation.takeover ?? linkDownExpectation(vrrp).takeover!;
  const checks: CheckResult[] = [];
  const check = (id: string, title: string, pass: boolean, reason: string, parts?: CheckResult['parts']) => checks.push({ id, title, pass, reason, parts });

  // 1. Before the fault.
  {
    const holders = holdersAt(spans, m.faultAt - 1);
    const master = ipvsAt(events, vrrp.master, 'before-fault');
    const backup = ipvsAt(events, vrrp.backup, 'before-fault');
    // InPkts, not Conns: a connection that matches a stale IPVS entry (a reused source port) is
    // forwarded without being counted as a new connection, but its packets always count.
    const pass = holders.length === 1 && holders[0] === vrrp.master && (master?.inPkts ?? 0) > 0 && backup?.inPkts === 0;
    check('before-fault', `Before the fault ${vrrp.master} holds the VIP and only its IPVS counters grow`, pass,
      `VIP held by ${holders.join(' and ') || 'nobody'}; IPVS ${vrrp.master} Conns ${master?.conns ?? '?'} InPkts ${master?.inPkts ?? '?'}, ${vrrp.backup} Conns ${backup?.conns ?? '?'} InPkts ${backup?.inPkts ?? '?'}`);
  }

  // 2. Failover within the VRRP bound; the backup's counters take over.
  {
    const backupBefore = ipvsAt(events, vrrp.backup, 'before-fault');
    const backupAfter = ipvsAt(events, vrrp.backup, 'before-revert');
    const masterSettled = ipvsAt(events, vrrp.master, 'after-fault-settled');
    const masterAfter = ipvsAt(events, vrrp.master, 'before-revert');
    const masterGrowth = (masterAfter?.inPkts ?? 0) - (masterSettled?.inPkts ?? 0);
    const backupGrowth = (backupAfter?.inPkts ?? 0) - (backupBefore?.inPkts ?? 0);
    const inTime = m.failoverSeconds !== undefined && m.failoverSeconds <= backupWindow.bound;
    const masterStopped = masterGrowth === 0 || expectation.masterKeepsForwarding === true;
    const pass = inTime && backupBefore?.inPkts === 0 && backupGrowth > 0 && masterStopped;
    const timing = m.failoverSeconds === undefined
      ? `${vrrp.backup} never took the VIP`
      : `${vrrp.backup} took the VIP ${fmt(m.failoverSeconds)} after the fault (VRRP: ${fmt(backupWindow.earliest)}–${fmt(backupWindow.latest)}, bound ${fmt(backupWindow.bound)} with margin: ${backupWindow.basis})`;
    check('failover', `After the fault ${vrrp.backup} takes over within the VRRP bound`, pass,
      `${timing}; ${vrrp.backup} Conns ${backupBefore?.conns ?? '?'} → ${backupAfter?.conns ?? '?'} (InPkts +${backupGrowth}), ${vrrp.master} InPkts grew by ${masterGrowth} after the fault${expectation.masterKeepsForwarding ? ' (expected: it still holds the VIP and IPVS)' : ''}`);
  }

  // 3. Balance in each phase, on the client's counts and on IPVS's.
  {
    // Each phase with the balancer that directs it (whose leftover entries could steer it).
    const phases: { name: string; from: number; to: number; via: string }[] = [
      { name: 'before the fault', from: m.loadStart, to: m.faultAt, via: vrrp.master },
      { name: 'after failover', from: m.takeoverAt ?? m.revertAt, to: m.revertAt, via: vrrp.backup },
      { name: 'after the revert', from: m.failbackAt ?? m.revertAt, to: m.loadEnd, via: vrrp.master },
    ];
    const ipvsPhases = [
      { name: `${vrrp.master} before the fault`, via: vrrp.master, counts: ipvsAt(events, vrrp.master, 'before-fault')?.perBackend },
      { name: `${vrrp.backup} after failover`, via: vrrp.backup, counts: delta(ipvsAt(events, vrrp.backup, 'before-revert')?.perBackend, ipvsAt(events, vrrp.backup, 'before-fault')?.perBackend) },
    ];
    const parts: NonNullable<CheckResult['parts']> = [];
    const keepAlive = result.load.mode === 'keep-alive';
    const reportedOnly = new Set<string>();
    /** A phase's shares as the client or as IPVS counted them; `via` is the balancer that directed it. */
    const judge = (name: string, counts: Record<string, number>, via: string, source: 'client' | 'ipvs') => {
      const verdict = balanced(counts, backends);
      const held = leftoverEntries(events, [via]);
      // Connections may all match stale IPVS entries (reused source ports): keep-alive ones, or new
      // ones on a balancer holding entries of earlier load (a lab running fault after fault, whose
      // client's ports come round again). Then IPVS scheduled nothing new in that phase and there
      // is no share to judge.
      const heldBefore = source === 'ipvs' ? held.count : 0;
      if (verdict.total === 0 && (keepAlive || heldBefore > 0)) {
        parts.push({ name, pass: true, detail: `no new connections (all matched existing IPVS entries${heldBefore > 0 ? `: ${via} held ${heldBefore} from earlier load` : ''})` });
        return;
      }
      // Leftover entries steer the client's shares (then reported only); IPVS's own are judged.
      const leftover = source === 'client' ? leftoverNote(held, verdict.allowed) : undefined;
      if (leftover) reportedOnly.add(name);
      parts.push({ name, pass: verdict.ok, detail: `${describeCounts(counts, backends)} (${verdict.ok ? 'ok' : `differ by ${verdict.difference} > ${verdict.allowed}`}${leftover ? `; ${leftover}` : ''})` });
    };
    for (const phase of phases) judge(`client ${phase.name}`, clientCounts(events, phase.from, phase.to), phase.via, 'client');
    for (const phase of ipvsPhases) judge(`IPVS ${phase.name}`, phase.counts ?? {}, phase.via, 'ipvs');
    // IPVS balances connections. With a new connection per request the client's shares must be
    // balanced too; with keep-alive they are reported only: a client reconnecting from a reused
    // source port is sent by IPVS to the backend of a stale entry (e.g. on a returning master,
    // whose table predates the fault: no lvs_sync_daemon), so request shares follow connections.
    // A master that comes back with its table frozen in time (freeze) sends reused source ports to
    // stale entries' backends too: its phase is reported only, and the fault's expectation says why.
    const stale = expectation.staleTableAfterRevert === true;
    const counted = parts.filter((part) => !(keepAlive && part.name.startsWith('client')) && !(stale && part.name === 'client after the revert') && !reportedOnly.has(part.name));
    const pass = counted.every((part) => part.pass);
    const note = keepAlive
      ? ' (keep-alive: client shares reported, IPVS shares judged)'
      : stale ? ` (after the revert reported, not judged: ${vrrp.master}'s IPVS table is stale)` : '';
    check('balance', 'The load stays balanced over both backends in every phase', pass, `${parts.map((part) => `${part.name}: ${part.detail}`).join('; ')}${note}`, parts);
  }

  // 4. Continuity: the outage the client saw, and every request accounted for.
  {
    const bound = expectation.outageBound;
    const { sent, answered, failed, unfinished } = result.load;
    const accounted = sent === answered + failed + unfinished;
    // The zero-loss profile (connections synced to the backup) also promises that no request fails.
    const zeroLoss = vrrp.syncConnections ? zeroLossVerdict(result, m) : undefined;
    const pass = m.outageSeconds <= bound && accounted && (zeroLoss?.pass ?? true);
    check('continuity', 'The client-visible outage stays within the VRRP bound plus TCP retry time', pass,
      `longest gap without a successful answer ${fmt(m.outageSeconds)} (bound ${fmt(bound)}: takeover bound, then the client's next TCP retransmission); ` +
        `${sent} requests sent = ${answered} answered + ${failed} failed + ${unfinished} unfinished at the end${accounted ? '' : ' — DOES NOT ADD UP'}` +
        (zeroLoss ? `; ${zeroLoss.reason}` : ''));
  }

  // 5. Never two holders once the VIP first settled on one balancer. A handover overlaps for an
  //    instant (the new master adds the VIP and advertises; the old one leaves on that advert), so
  //    overlaps up to one advert_int are a handover, longer ones a split brain.
  {
    const firstSettled = spans.find((span) => span.holders.length === 1)?.from ?? Infinity;
    const overlaps = spans.filter((span) => span.from >= firstSettled && span.holders.length > 1);
    const splits = overlaps.filter((span) => span.to - span.from > vrrp.advertInt * 1000);
    const handovers = overlaps.length - splits.length;
    check('split-brain', 'Never two VIP holders at once', splits.length === 0,
      splits.length > 0
        ? splits.map((span) => `${span.holders.join(' and ')} both held it for ${fmt((span.to - span.from) / 1000)}`).join('; ')
        : `at most one balancer held the VIP at a time${handovers > 0 ? ` (${handovers} handover overlap(s) shorter than advert_int)` : ''}`);
  }

  // 6. Failback: preempt brings the master back; nopreempt leaves the backup in charge.
  {
    // The seed pulls a link; a catalogue fault names what it undid.
    const afterRevert = !result.fault || result.fault.name === 'link-down' ? 'the link returns' : `the revert of ${result.fault.name}`;
    const responsesAfter = Object.values(clientCounts(events, (m.failbackAt ?? m.revertAt) + 1, m.loadEnd)).reduce((sum, n) => sum + n, 0);
    if (vrrp.preempt) {
      const timing = failbackInTime(events, vrrp, m, expectation);
      const pass = timing.inTime && responsesAfter > 0 && holdersAt(spans, m.loadEnd - 1).join() === vrrp.master;
      check('failback', `After ${afterRevert} ${vrrp.master} preempts and the load continues`, pass, `${timing.text}; ${responsesAfter} answers after that`);
    } else {
      const holders = holdersAt(spans, m.loadEnd - 1);
      const pass = m.failbackAt === undefined && holders.join() === vrrp.backup && responsesAfter > 0;
      check('failback', `With nopreempt ${vrrp.backup} keeps the VIP after ${afterRevert}`, pass,
        `at the end the VIP is on ${holders.join(' and ') || 'nobody'}${m.failbackAt === undefined ? '' : `; ${vrrp.master} took it back ${fmt(m.failbackSeconds ?? 0)} after the revert`}; ${responsesAfter} answers after the revert`);
    }
  }
  return checks;
}
