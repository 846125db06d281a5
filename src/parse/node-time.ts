/**
 * Timestamps a node writes itself, in milliseconds since the epoch. A scenario stamps events with
 * the node's clock, not with their arrival: a busy node (a process start under uml takes seconds)
 * delivers a line or finishes a command long after the thing happened.
 */

/** bash's $EPOCHREALTIME ("1796382444.028195"; a comma where the locale says so). */
export function parseEpochRealtime(text: string): number | undefined {
  const match = /^\s*(\d{9,})[.,](\d{1,6})\s*$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 1000 + Math.floor(Number(match[2]!.padEnd(6, '0')) / 1000);
}

/** A line of `ip -o -ts monitor` run with TZ=UTC: "[2026-12-04T11:08:00.618561] 3: eth1 inet …". */
export function splitIpMonitorStamp(line: string): { ms?: number; rest: string } {
  const match = /^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)\]\s?(.*)$/.exec(line);
  if (!match) return { rest: line };
  const ms = Date.parse(`${match[1]}Z`);
  return { ms: Number.isNaN(ms) ? undefined : ms, rest: match[2]! };
}

/** A line of `journalctl -o short-unix`: "1796382380.197365 balancer2 Keepalived_vrrp[793]: …". */
export function splitJournalStamp(line: string): { ms?: number; rest: string } {
  const match = /^(\d{9,}[.,]\d{1,6}) (.*)$/.exec(line);
  if (!match) return { rest: line };
  return { ms: parseEpochRealtime(match[1]!), rest: match[2]! };
}
