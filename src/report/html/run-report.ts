import { asExpected, type CheckResult } from '../../checks/failover-checks.js';
import { focusInstance } from '../../checks/instance-view.js';
import type { RunRecord } from '../run-record.js';
import { expectedNote, timelineLines } from '../summary.js';
import { vipRowCells, vipRowHeader, vipRows } from '../vip-rows.js';
import type { ReportAssets } from './assets.js';
import { chartData } from './chart-data.js';
import { escapeHtml, jsonForScript, scriptText } from './escape.js';
import { htmlPage, verdictHtml } from './page.js';

/** report.html of one run: a pure function of its recorded result and the inlined assets. */
export function renderRunReport(record: RunRecord, assets: ReportAssets): string {
  // A FAIL the fault is expected to cause (a split brain under a VRRP partition) is what it should show.
  const passed = record.checks.filter(asExpected).length;
  const allPass = passed === record.checks.length;
  const focus = record.vrrp.instances ? focusInstance(record) : undefined;
  const title = `Failover run ${record.runId}`;
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>Lab <b>${escapeHtml(record.lab)}</b> — ${escapeHtml(record.scenario)}.</p>`,
    `<p>Verdict: ${verdictHtml(allPass)} (${passed}/${record.checks.length} checks${record.checks.some((check) => check.expected) ? ' as the fault should make them' : ''})</p>`,
    figuresHtml(record),
    vipsHtml(record),
    '<h2>Answers and failures over time</h2>',
    focus
      ? `<p class="muted">Answers and failures over all ${record.vrrp.instances?.length} VIPs. Bands: who holds ${escapeHtml(focus.vip)}, the VIP the fault moves. Lanes above the plot: each balancer's keepalived state in ${escapeHtml(focus.name)}. Dashed lines: the fault and its revert.</p>`
      : '<p class="muted">Bands: who holds the VIP. Lanes above the plot: each balancer\'s keepalived state. Dashed lines: the fault and its revert.</p>',
    '<div id="chart"></div>',
    '<div id="chart-legend" class="legend"></div>',
    '<h2>Checks</h2>',
    checksHtml(record.checks),
    '<h2>ipvsadm -Ln --stats (as in the homework)</h2>',
    ipvsHtml(record),
    '<h2>Timeline (VIP, keepalived, fault)</h2>',
    timelineHtml(record),
    `<script type="application/json" id="chart-data">${jsonForScript(chartData(record))}</script>`,
    `<script>${scriptText(assets.uplotJs)}</script>`,
    `<script type="module">${scriptText(assets.chartJs)}</script>`,
  ].join('\n');
  return htmlPage({ title, body, head: `<style>${assets.uplotCss}</style>` });
}

const secondsText = (value: number | undefined, none: string) => (value === undefined ? none : `${value.toFixed(2)} s`);

function figuresHtml({ measures: m, load, vrrp }: RunRecord): string {
  const since = (t: number) => `${((t - m.loadStart) / 1000).toFixed(2)} s`;
  const rows: [string, string][] = [
    [`failover time (fault → ${vrrp.backup} holds the VIP)`, secondsText(m.failoverSeconds, 'never')],
    ['client-visible outage (longest gap without an answer)', `${m.outageSeconds.toFixed(2)} s, from ${since(m.outageFrom)} to ${since(m.outageTo)}`],
    [`failback (revert → ${vrrp.master} holds the VIP)`, secondsText(m.failbackSeconds, 'none')],
    ['requests', `${load.sent} sent, ${load.answered} answered, ${load.failed} failed, ${load.unfinished} unfinished at the end`],
    ['load', `${load.mode}, ${load.connections} connections, at most ${load.rate} req/s for ${load.durationSeconds} s; ${load.requestsPerSecond} answers/s`],
    ['latency', `p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, max ${load.latencyMs.max} ms`],
  ];
  return `<table>${rows.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>`;
}

/** Several VIPs: a row each (who held it during the fault, its gap, its requests). */
function vipsHtml(record: RunRecord): string {
  const rows = vipRows(record);
  if (rows.length === 0) return '';
  const cells = (values: string[], tag: 'th' | 'td') => `<tr>${values.map((value) => `<${tag}>${escapeHtml(value)}</${tag}>`).join('')}</tr>`;
  return ['<h2>Each VIP</h2>', `<table>${cells(vipRowHeader, 'th')}${rows.map((row) => cells(vipRowCells(row), 'td')).join('')}</table>`].join('\n');
}

function checksHtml(checks: CheckResult[]): string {
  const rows = checks.map((check) => {
    const parts = check.parts?.length
      ? `<ul>${check.parts.map((part) => `<li>${verdictHtml(part.pass)} ${escapeHtml(part.name)}: ${escapeHtml(part.detail)}</li>`).join('')}</ul>`
      : '';
    return `<tr><td>${verdictHtml(check.pass)}${escapeHtml(expectedNote(check))}</td><td>${escapeHtml(check.title)}</td><td>${escapeHtml(check.reason)}${parts}</td></tr>`;
  });
  return `<table><tr><th>verdict</th><th>check</th><th>reason and figures</th></tr>${rows.join('')}</table>`;
}

function ipvsHtml(record: RunRecord): string {
  return Object.entries(record.ipvsText)
    .map(([node, { before, after }]) =>
      [`<h3>${escapeHtml(node)}, before the fault</h3>`, `<pre>${escapeHtml(before.trimEnd())}</pre>`, `<h3>${escapeHtml(node)}, at the end</h3>`, `<pre>${escapeHtml(after.trimEnd())}</pre>`].join('\n'),
    )
    .join('\n');
}

function timelineHtml(record: RunRecord): string {
  const rows = timelineLines(record.events).map((line) => `<tr><td class="number">${((line.t - record.measures.loadStart) / 1000).toFixed(2)} s</td><td>${escapeHtml(line.text)}</td></tr>`);
  return `<table><tr><th>since load start</th><th>event</th></tr>${rows.join('')}</table>`;
}
