import type { CheckResult } from '../checks/failover-checks.js';
import type { ConnectionsResult } from '../scenario/connections-plan.js';

/** The answer to homework Q1, in the words of this run's figures. */
export function connectionsExplanation(result: ConnectionsResult): string {
  const { node, run } = result.timeouts;
  return [
    `ActiveConn counts the connections IPVS tracks in ESTABLISHED state for each real server; InActConn counts all the others.`,
    `Here ${result.connections.length} keep-alive connections held open showed as ActiveConn on ${result.master}, the VIP holder.`,
    `When the client closed them, their IPVS entries moved to FIN_WAIT and so to InActConn: in direct routing IPVS sees only the client's half of each connection (the backend answers the client directly), so the client's FIN is the last it knows of it.`,
    `IPVS keeps such entries for its tcpfin timeout (\`ipvsadm -l --timeout\`: tcp ${node.tcp} s, tcpfin ${node.tcpfin} s, udp ${node.udp} s on this node; this run set tcpfin to ${run.tcpfin} s to show it sooner and restored it after), so late packets of a closing connection still reach the same backend; then InActConn falls back to 0.`,
    `The schedulers that weigh load (lc, wlc) count an active connection as 256 inactive ones: ActiveConn is what a busy backend looks like to them.`,
  ].join(' ');
}

/** summary.md of a connections run: verdict, the explanation, checks, and the counts over time. */
export function renderConnectionsSummary(result: ConnectionsResult, checks: CheckResult[]): string {
  const pass = checks.every((check) => check.pass);
  const rel = (t: number) => ((t - result.openedAt) / 1000).toFixed(1);
  const lines = [
    `# ActiveConn and InActConn: ${result.lab}`,
    '',
    `## Verdict: ${pass ? 'PASS' : 'FAIL'}`,
    '',
    connectionsExplanation(result),
    '',
    '## Checks',
    '',
    ...checks.map((check) => `- **${check.pass ? 'PASS' : 'FAIL'}** ${check.title}: ${check.reason}`),
    '',
    `## ${result.master}: \`ipvsadm -Ln\` while the connections were open`,
    '',
    '```',
    result.listings.held.trimEnd(),
    '```',
    '',
    '## … and just after they closed',
    '',
    '```',
    result.listings.closed.trimEnd(),
    '```',
    '',
    `## Over time (seconds from the opening; closed at ${rel(result.closedAt)} s)`,
    '',
    '| t (s) | ActiveConn | InActConn | ours by IPVS state |',
    '|---:|---:|---:|---|',
    ...result.samples.map((sample) => `| ${rel(sample.t)} | ${sample.activeConn} | ${sample.inActConn} | ${Object.entries(sample.ours).map(([state, count]) => `${state} ${count}`).join(', ') || '—'} |`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}
