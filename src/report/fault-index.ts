import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { faultIndexColumns, faultIndexRow, readIndexedResult, type FaultIndexRow } from './fault-index-rows.js';
import { renderFaultIndex } from './html/fault-index-page.js';

/**
 * The index of a `--fault all` run: index.html and summary.md in indexDir, one row per run folder,
 * from each folder's result.json alone. Returns the HTML page's path and the Markdown table.
 */
export function writeFaultIndex(indexDir: string, runDirs: string[]): { htmlPath: string; markdown: string } {
  const rows = runDirs.map((runDir) => faultIndexRow(readIndexedResult(path.join(runDir, 'result.json')), reportHref(indexDir, runDir)));
  const markdown = markdownTable(rows);
  mkdirSync(indexDir, { recursive: true });
  const htmlPath = path.join(indexDir, 'index.html');
  writeFileSync(htmlPath, renderFaultIndex(rows));
  writeFileSync(path.join(indexDir, 'summary.md'), `# Fault catalogue\n\n${markdown}`);
  return { htmlPath, markdown };
}

/** A link that still works when the reports folder is moved or copied as a whole. */
function reportHref(indexDir: string, runDir: string): string {
  const relative = path.relative(path.resolve(indexDir), path.resolve(runDir, 'report.html'));
  return relative.split(path.sep).map(encodeURIComponent).join('/');
}

function markdownTable(rows: FaultIndexRow[]): string {
  // A fault's name comes from a result file: a | or a line break would split its row, a < could open HTML.
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\s+/g, ' ');
  const lines = [
    `| ${faultIndexColumns.map((column) => column.title).join(' | ')} | report |`,
    `|${faultIndexColumns.map(() => '---').join('|')}|---|`,
    ...rows.map((row) => `| ${faultIndexColumns.map((column) => cell(column.cell(row))).join(' | ')} | [${cell(row.runId)}](${row.reportHref}) |`),
  ];
  return `${lines.join('\n')}\n`;
}
