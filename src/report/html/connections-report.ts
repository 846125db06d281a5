import type { CheckResult } from '../../checks/failover-checks.js';
import type { ConnectionsResult } from '../../scenario/connections-plan.js';
import { connectionsExplanation } from '../connections-summary.js';
import type { ReportAssets } from './assets.js';
import type { ChartData } from './chart-data.js';
import { escapeHtml, jsonForScript, scriptText } from './escape.js';
import { htmlPage, verdictHtml } from './page.js';

/** The chart of a connections run: ActiveConn and InActConn of the VIP's service, per sample, with the opening, the close and the timeout marked. */
export function connectionsChartData(result: ConnectionsResult): ChartData {
  const rel = (t: number) => Math.round(t - result.openedAt) / 1000;
  const x = result.samples.map((sample) => rel(sample.t));
  const timeoutAt = result.closedAt + result.timeouts.run.tcpfin * 1000;
  return {
    bucketSeconds: result.plan.sampleMs / 1000,
    range: { from: Math.min(0, ...x), to: Math.max(rel(result.endedAt), rel(timeoutAt) + 2, ...x) },
    x,
    series: [
      { label: 'ActiveConn', kind: 'count', values: result.samples.map((sample) => sample.activeConn) },
      { label: 'InActConn', kind: 'count', values: result.samples.map((sample) => sample.inActConn) },
    ],
    balancers: [],
    vipHolders: [],
    vrrpStates: [],
    faults: [
      { t: 0, action: 'inject', label: `${result.connections.length} connections open`, ok: true },
      { t: rel(result.closedAt), action: 'revert', label: 'closed', ok: true },
      { t: rel(timeoutAt), action: 'revert', label: `tcpfin ${result.timeouts.run.tcpfin} s later`, ok: true },
    ],
    words: { xAxis: 'seconds since the connections opened', yAxis: 'connections', inject: 'connections opened', revert: 'closed, and the tcpfin timeout after it' },
  };
}

/** report.html of a connections run: a pure function of its result, checks and the inlined assets. */
export function renderConnectionsReport(result: ConnectionsResult, checks: CheckResult[], assets: ReportAssets): string {
  const pass = checks.every((check) => check.pass);
  const title = `ActiveConn and InActConn ${result.runId}`;
  const rows = checks.map((check) => `<tr><td>${verdictHtml(check.pass)}</td><td>${escapeHtml(check.title)}</td><td>${escapeHtml(check.reason)}</td></tr>`).join('');
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>Lab <b>${escapeHtml(result.lab)}</b>, IPVS of <b>${escapeHtml(result.master)}</b> (the VIP holder). Verdict: ${verdictHtml(pass)}</p>`,
    `<p>${escapeHtml(connectionsExplanation(result))}</p>`,
    '<h2>ActiveConn and InActConn over time (ipvsadm -Ln)</h2>',
    '<div id="chart"></div>',
    '<div id="chart-legend" class="legend"></div>',
    '<h2>Checks</h2>',
    `<table><tr><th>verdict</th><th>check</th><th>reason and figures</th></tr>${rows}</table>`,
    '<h2>ipvsadm -Ln while the connections were open</h2>',
    `<pre>${escapeHtml(result.listings.held.trimEnd())}</pre>`,
    '<h2>… and just after they closed</h2>',
    `<pre>${escapeHtml(result.listings.closed.trimEnd())}</pre>`,
    `<script type="application/json" id="chart-data">${jsonForScript(connectionsChartData(result))}</script>`,
    `<script>${scriptText(assets.uplotJs)}</script>`,
    `<script type="module">${scriptText(assets.chartJs)}</script>`,
  ].join('\n');
  return htmlPage({ title, body, head: `<style>${assets.uplotCss}</style>` });
}
