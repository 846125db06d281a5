import type { GradeReport } from '../types.js';
import { CRITERION_IDS } from './criterion-ids.js';

/**
 * grades.csv for a run: one row per submission, one column per criterion (1 passed, 0 failed,
 * empty when not judged). RFC 4180 (CRLF, quotes doubled), and safe to open in a spreadsheet: a
 * cell a spreadsheet would take for a formula is prefixed with ' so it stays text.
 */
export function renderGradesCsv(reports: readonly GradeReport[]): string {
  const header = ['submission', 'verdict', 'score', 'max_score', ...CRITERION_IDS];
  const rows = reports.map((report) => {
    const judged = new Map(report.criteria.map((criterion) => [criterion.id, criterion.pass]));
    const marks = CRITERION_IDS.map((id) => (judged.has(id) ? (judged.get(id) ? '1' : '0') : ''));
    return [report.submission, report.verdict, String(report.score), String(report.maxScore), ...marks];
  });
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: quoted when it must be (or when defused), quotes doubled. */
export function csvCell(value: string): string {
  const defused = FORMULA_START.test(value) ? `'${value}` : value;
  return defused !== value || /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}
