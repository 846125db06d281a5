import type { TimelineEvent } from '../scenario/timeline.js';

export interface HolderSpan {
  from: number;
  to: number;
  holders: string[];
}

/** Who held the VIP when, from the VIP added/removed events (the first events give the start). */
export function vipHolderSpans(events: TimelineEvent[], end: number): HolderSpan[] {
  const holding = new Set<string>();
  const spans: HolderSpan[] = [];
  let from = events[0]?.t ?? end;
  for (const event of events) {
    if (event.kind !== 'vip') continue;
    if (event.t > from) spans.push({ from, to: event.t, holders: [...holding].sort() });
    from = Math.max(from, event.t);
    if (event.action === 'added') holding.add(event.node);
    else holding.delete(event.node);
  }
  spans.push({ from, to: end, holders: [...holding].sort() });
  return spans.filter((span) => span.to > span.from || span === spans.at(-1));
}

export function holdersAt(spans: HolderSpan[], t: number): string[] {
  return spans.find((span) => span.from <= t && t < span.to)?.holders ?? spans.at(-1)?.holders ?? [];
}

/** The first time, at or after `after`, that the VIP is added on `node`. */
export function vipAddedAt(events: TimelineEvent[], node: string, after: number): number | undefined {
  return events.find((event) => event.kind === 'vip' && event.node === node && event.action === 'added' && event.t >= after)?.t;
}
