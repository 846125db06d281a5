import { expectedFailuresNote, faultIndexColumns, type FaultIndexRow } from '../fault-index-rows.js';
import { escapeHtml } from './escape.js';
import { htmlPage, verdictHtml } from './page.js';

/** index.html of a `--fault all` run: one row per fault, each linking to its report. */
export function renderFaultIndex(rows: FaultIndexRow[]): string {
  const failed = rows.filter((row) => !row.pass).length;
  const header = `<tr>${faultIndexColumns.map((column) => `<th>${escapeHtml(column.title)}</th>`).join('')}<th>report</th></tr>`;
  const body = rows.map((row) => {
    const cells = faultIndexColumns.map((column) =>
      column.title === 'verdict' ? `<td>${verdictHtml(row.pass)}${escapeHtml(expectedFailuresNote(row))}</td>` : `<td${column.title === 'fault' ? '' : ' class="number"'}>${escapeHtml(column.cell(row))}</td>`,
    );
    return `<tr>${cells.join('')}<td><a href="${escapeHtml(row.reportHref)}">${escapeHtml(row.runId)}</a></td></tr>`;
  });
  return htmlPage({
    title: 'Fault catalogue',
    body: [
      '<h1>Fault catalogue</h1>',
      `<p>${rows.length} run(s), ${failed === 0 ? 'all PASS' : `${failed} FAIL`}. Failover time: fault → the backup holds the VIP; client outage: the longest gap without an answer; VRRP transitions: keepalived's own state changes in its journal.</p>`,
      `<table>${header}${body.join('')}</table>`,
    ].join('\n'),
  });
}
