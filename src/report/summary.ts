import { asExpected, type CheckResult, type FailoverMeasures } from '../checks/failover-checks.js';
import type { ScenarioResult, TimelineEvent } from '../scenario/timeline.js';
import { vipRowCells, vipRowHeader, vipRows } from './vip-rows.js';

/** The human side of a run: Markdown that reads as well in a terminal as in a browser. */
export function renderSummary(result: ScenarioResult, checks: CheckResult[], m: FailoverMeasures): string {
  const at = (t: number) => `${t >= m.loadStart ? '+' : '-'}${(Math.abs(t - m.loadStart) / 1000).toFixed(2)} s`;
  const passed = checks.filter(asExpected).length;
  const fault = result.fault;
  const lines: string[] = [
    `# Failover run ${result.runId}`,
    '',
    `Lab **${result.lab}** — ${result.scenario}.`,
    `Load: ${result.load.mode}, ${result.load.connections} connections, at most ${result.load.rate} req/s for ${result.load.durationSeconds} s; ` +
      `${result.load.requestsPerSecond} answers/s, latency p50 ${result.load.latencyMs.p50} ms, p99 ${result.load.latencyMs.p99} ms.`,
    '',
    ...(fault ? [`Fault **${fault.name}** on ${fault.node}: ${fault.action}. Expected: ${fault.expectation.says}.`, ''] : []),
    `## Verdict: ${passed === checks.length ? 'PASS' : 'FAIL'} (${passed}/${checks.length} checks${checks.some((check) => check.expected) ? ' as the fault should make them' : ''})`,
    '',
    ...checks.map((check) => `- **${check.pass ? 'PASS' : 'FAIL'}**${expectedNote(check)} ${check.title} — ${check.reason}`),
    '',
    '## Key figures',
    '',
    `- failover time (fault → ${result.vrrp.backup} holds the VIP): ${m.failoverSeconds === undefined ? 'never' : `${m.failoverSeconds.toFixed(2)} s`}`,
    `- client-visible outage (longest gap without an answer): ${m.outageSeconds.toFixed(2)} s, from ${at(m.outageFrom)} to ${at(m.outageTo)}`,
    `- failback (revert → ${result.vrrp.master} holds the VIP): ${m.failbackSeconds === undefined ? 'none' : `${m.failbackSeconds.toFixed(2)} s`}`,
    `- keepalived state changes during the load: ${m.transitions}`,
    `- requests: ${result.load.sent} sent, ${result.load.answered} answered, ${result.load.failed} failed, ${result.load.unfinished} unfinished at the end`,
    '',
    ...vipTable(result),
    '## Timeline (VIP, keepalived, fault)',
    '',
    ...timelineLines(result.events).map((line) => `- ${at(line.t)} ${line.text}`),
    '',
    '## ipvsadm -Ln --stats (as in the homework)',
    '',
  ];
  for (const [node, { before, after }] of Object.entries(result.ipvsText)) {
    lines.push(`### ${node}, before the fault`, '', '```', before.trimEnd(), '```', '', `### ${node}, at the end`, '', '```', after.trimEnd(), '```', '');
  }
  return `${lines.join('\n')}\n`;
}

/** Several VIPs: each one's figures. */
function vipTable(result: ScenarioResult): string[] {
  const rows = vipRows(result);
  if (rows.length === 0) return [];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return ['## Each VIP', '', line(vipRowHeader), line(vipRowHeader.map(() => '---')), ...rows.map((row) => line(vipRowCells(row))), ''];
}

/** Says when a verdict is the fault's expected effect, so a FAIL that should happen reads as such. */
export function expectedNote(check: CheckResult): string {
  if (check.expected === 'fail') return check.pass ? ' (expected FAIL: the fault did not show)' : ' (expected: the fault makes this fail)';
  if (check.expected === 'either') return ' (either verdict fits this fault: reported, not judged)';
  return '';
}

/** The run's story without single requests: VIP, keepalived and fault events, failed requests grouped, in time order. */
export function timelineLines(events: TimelineEvent[]): { t: number; text: string }[] {
  return [
    ...events.filter((event) => event.kind !== 'response' && event.kind !== 'request-failed' && event.kind !== 'ipvs' && !(event.kind === 'ipvs-entries' && event.count === 0)).map((event) => ({ t: event.t, text: describeEvent(event) })),
    ...failureLines(events),
  ].sort((a, b) => a.t - b.t);
}

function describeEvent(event: TimelineEvent): string {
  switch (event.kind) {
    case 'vip':
      return `${event.node} ${event.action === 'added' ? 'holds' : 'no longer holds'} ${event.vip ?? 'the VIP'}`;
    case 'vrrp-state':
      return `${event.node}: keepalived${event.instance ? ` ${event.instance}` : ''} ${event.source === 'dump' ? 'is' : 'enters'} ${event.state}`;
    case 'fault':
      return `fault ${event.action === 'inject' ? 'injected' : 'reverted'}: ${event.detail ?? `${event.fault} on ${event.node}`}${event.ok ? '' : ` (FAILED${event.error ? `: ${event.error.split('\n')[0]}` : ''})`}${
        event.ok && event.issuedAt !== undefined ? ` (in effect ${((event.t - event.issuedAt) / 1000).toFixed(2)} s after it was sent)` : ''
      }`;
    case 'power':
      return `${event.node}'s VM: ${{ kill: 'killed', boot: 'booted again', freeze: 'frozen', thaw: 'thawed' }[event.action]}`;
    case 'ipvs-entries':
      return `${event.node}'s IPVS table holds ${event.count} connection entries of the load client${event.vip ? ` to ${event.vip}` : ''} from earlier load${event.count > 0 ? ` (${Object.entries(event.byState).map(([state, n]) => `${n} ${state}`).join(', ')})` : ''}`;
    case 'phase':
      return event.name === 'load-start' ? 'load starts' : event.name === 'load-end' ? 'load ends' : event.name;
    default:
      return event.kind;
  }
}

/** Failed requests, grouped by second and reason, so a burst reads as one line. */
function failureLines(events: TimelineEvent[]): { t: number; text: string }[] {
  const groups = new Map<string, { t: number; count: number }>();
  for (const event of events) {
    if (event.kind !== 'request-failed') continue;
    const key = `${Math.floor(event.t / 1000)}|${event.error}`;
    const group = groups.get(key) ?? { t: event.t, count: 0 };
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups].map(([key, group]) => ({ t: group.t, text: `${group.count} request(s) failed: ${key.split('|')[1]}` }));
}
