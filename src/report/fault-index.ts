/**
 * PLACEHOLDER (replaced by the report branch): one summary table of a `--fault all` run, read from
 * each run's result.json, as Markdown and as a bare HTML page.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface RecordedRun {
  runId: string;
  fault?: { name: string };
  checks: { pass: boolean; expected?: 'fail' | 'either' }[];
  measures: { failoverSeconds?: number; outageSeconds: number; transitions?: number };
  load: { failed: number };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export function writeFaultIndex(indexDir: string, runDirs: string[]): { htmlPath: string; markdown: string } {
  const rows = runDirs.map((dir) => {
    const run = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as RecordedRun;
    const asExpected = run.checks.every((check) => (check.expected === 'either' ? true : check.expected === 'fail' ? !check.pass : check.pass));
    return [run.fault?.name ?? 'link-down', run.measures.failoverSeconds === undefined ? '-' : `${run.measures.failoverSeconds} s`, `${run.measures.outageSeconds} s`, String(run.load.failed), String(run.measures.transitions ?? '-'), asExpected ? 'PASS' : 'FAIL'];
  });
  const header = ['fault', 'failover time', 'client outage', 'failed requests', 'transitions', 'verdict'];
  const markdown = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n') + '\n';
  mkdirSync(indexDir, { recursive: true });
  const htmlPath = path.join(indexDir, 'index.html');
  writeFileSync(htmlPath, `<!doctype html><meta charset="utf-8"><title>faults</title><pre>${escapeHtml(markdown)}</pre>\n`);
  writeFileSync(path.join(indexDir, 'summary.md'), markdown);
  return { htmlPath, markdown };
}
