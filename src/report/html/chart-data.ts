import { focusView } from '../../checks/instance-view.js';
import { vipHolderSpans } from '../../checks/vip-holders.js';
import type { TimelineEvent } from '../../scenario/timeline.js';
import type { RunRecord } from '../run-record.js';

/** A stretch of time in seconds from the load start. */
export interface Span {
  from: number;
  to: number;
}

/**
 * What the report's chart draws, in seconds from the load start: rates per bucket, who held the
 * VIP, each balancer's keepalived state, and the fault's inject and revert. Embedded in report.html
 * as JSON and read by the chart script (browser/report-chart.ts).
 */
export interface ChartData {
  bucketSeconds: number;
  /** The x range shown: the load, widened to the fault events if they fall outside it. */
  range: Span;
  /** Bucket centres (each bucket is bucketSeconds wide, the last one may be shorter). */
  x: number[];
  /** Per backend answers/s (HTTP 200), then failed requests/s; or, for other scenarios, counts. */
  series: { label: string; kind: 'answers' | 'failed' | 'count'; values: number[] }[];
  balancers: string[];
  vipHolders: (Span & { holders: string[] })[];
  vrrpStates: (Span & { node: string; state: string })[];
  faults: { t: number; action: 'inject' | 'revert'; label: string; ok: boolean }[];
  /** Other scenarios' words for the axes and the markers (default: a failover run's). */
  words?: { xAxis: string; yAxis: string; inject: string; revert: string };
}

export function chartData(record: RunRecord, bucketSeconds = 1): ChartData {
  const { events, measures } = record;
  // Several VIPs: the lanes show the VIP the fault moves (and its instance); the rates, every request.
  const focusEvents = focusView(record).events;
  const origin = measures.loadStart;
  const rel = (t: number) => Math.round(t - origin) / 1000;
  const faultEvents = events.filter((event) => event.kind === 'fault');
  const end = Math.max(measures.loadEnd, ...faultEvents.map((event) => event.t));
  const range = { from: Math.min(0, ...faultEvents.map((event) => rel(event.t))), to: rel(end) };
  const buckets = Math.max(1, Math.ceil((range.to - range.from) / bucketSeconds));
  // The last bucket ends with the load, so its rate is counted over its own, shorter width.
  const widths = Array.from({ length: buckets }, (_, i) => Math.min(bucketSeconds, range.to - range.from - i * bucketSeconds));
  const x = widths.map((width, i) => range.from + i * bucketSeconds + width / 2);
  const bucketOf = (t: number) => Math.floor((rel(t) - range.from) / bucketSeconds);

  const backends = [...new Set([...Object.values(record.backends), ...events.flatMap((event) => (event.kind === 'response' ? [event.backend] : []))])].sort();
  const counts = new Map<string, number[]>([...backends, failedKey].map((key) => [key, new Array<number>(buckets).fill(0)]));
  for (const event of events) {
    const key = event.kind === 'response' && event.status === 200 ? event.backend : event.kind === 'request-failed' ? failedKey : undefined;
    const bucket = bucketOf(event.t);
    const row = key === undefined ? undefined : counts.get(key);
    if (row && bucket >= 0 && bucket < buckets) row[bucket] = (row[bucket] ?? 0) + 1;
  }
  const perSecond = (key: string) => (counts.get(key) ?? []).map((count, i) => count / (widths[i] ?? bucketSeconds));

  const balancers = [
    ...new Set([...Object.keys(record.vrrp.priorities), ...events.flatMap((event) => (event.kind === 'vip' || event.kind === 'vrrp-state' ? [event.node] : []))]),
  ].sort();
  return {
    bucketSeconds,
    range,
    x,
    series: [
      ...backends.map((backend) => ({ label: `${backend} answers/s`, kind: 'answers' as const, values: perSecond(backend) })),
      { label: 'failed requests/s', kind: 'failed', values: perSecond(failedKey) },
    ],
    balancers,
    vipHolders: vipHolderSpans(focusEvents, end).map((span) => ({ from: rel(span.from), to: rel(span.to), holders: span.holders })),
    vrrpStates: balancers.flatMap((node) => stateSpans(focusEvents, node, end).map((span) => ({ node, state: span.state, from: rel(span.from), to: rel(span.to) }))),
    faults: faultEvents.map((event) => ({
      t: rel(event.t),
      action: event.action,
      label: `${event.action === 'inject' ? 'fault' : 'revert'}: ${event.fault} on ${event.node}`,
      ok: event.ok,
    })),
  };
}

const failedKey = '\0failed';

/** Each keepalived state of one balancer, from the event that reports it to the next one (or the end). */
function stateSpans(events: TimelineEvent[], node: string, end: number): { from: number; to: number; state: string }[] {
  const changes = events.flatMap((event) => (event.kind === 'vrrp-state' && event.node === node ? [event] : []));
  return changes.map((change, i) => ({ from: change.t, to: changes[i + 1]?.t ?? end, state: change.state })).filter((span) => span.to > span.from);
}
