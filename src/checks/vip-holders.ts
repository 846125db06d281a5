import type { TimelineEvent } from '../scenario/timeline.js';

export interface HolderSpan {
  from: number;
  to: number;
  holders: string[];
}

/**
 * Who held the VIP when, from the VIP added/removed events (the first events give the start). A
 * node whose VM is killed or frozen holds nothing meanwhile (it answers no ARP, forwards nothing),
 * though its own records, if any, never say so: a killed one comes back without the VIP, a thawed
 * one with whatever it held when it froze.
 */
export function vipHolderSpans(events: TimelineEvent[], end: number): HolderSpan[] {
  const holding = new Set<string>();
  const frozenHolding = new Set<string>();
  const spans: HolderSpan[] = [];
  let from = events[0]?.t ?? end;
  for (const event of events) {
    if (event.kind !== 'vip' && event.kind !== 'power') continue;
    if (event.t > from) spans.push({ from, to: event.t, holders: [...holding].sort() });
    from = Math.max(from, event.t);
    if (event.kind === 'power') {
      if (event.action === 'freeze' && holding.has(event.node)) frozenHolding.add(event.node);
      if (event.action === 'kill' || event.action === 'freeze') holding.delete(event.node);
      if (event.action === 'thaw' && frozenHolding.delete(event.node)) holding.add(event.node);
    } else if (event.action === 'added') holding.add(event.node);
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

/** The first time, at or after `after`, that `node` holds the VIP alone. */
export function soleHolderFrom(spans: HolderSpan[], node: string, after: number): number | undefined {
  const span = spans.find((candidate) => candidate.to > after && candidate.holders.length === 1 && candidate.holders[0] === node);
  return span === undefined ? undefined : Math.max(span.from, after);
}
