import { CRITERIA } from '../criteria.js';
import type { Criterion, GradeReport } from '../types.js';
import { CRITERION_IDS } from './criterion-ids.js';
import { xmlAttribute as attr, xmlText as text } from './xml-escape.js';

/**
 * junit.xml for a run, for CI dashboards: a testsuite per submission, a testcase per criterion
 * (failure with message and hint; skipped when not judged), the score in properties. A submission
 * the grader could not finish gets an <error> testcase of its own, so it is never counted as the
 * student's failure.
 */
export function renderJunit(reports: readonly GradeReport[]): string {
  const suites = reports.map(suite);
  const count = (pick: (report: GradeReport) => number) => reports.reduce((sum, report) => sum + pick(report), 0);
  const totals = `tests="${count(testCount)}" failures="${count(failureCount)}" errors="${count(errorCount)}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="grades" ${totals}>\n${suites.join('\n')}\n</testsuites>\n`;
}

const testCount = (report: GradeReport) => CRITERION_IDS.length + errorCount(report);
const failureCount = (report: GradeReport) => report.criteria.filter((criterion) => !criterion.pass).length;
const errorCount = (report: GradeReport) => (report.verdict === 'error' ? 1 : 0);

function suite(report: GradeReport): string {
  const name = attr(report.submission);
  const byId = new Map(report.criteria.map((criterion) => [criterion.id, criterion]));
  const cases = CRITERION_IDS.map((id) => testcase(name, id, byId.get(id)));
  if (report.verdict === 'error') cases.push(errorCase(name, report));
  const properties = [['verdict', report.verdict], ['score', String(report.score)], ['maxScore', String(report.maxScore)]]
    .map(([key, value]) => `      <property name="${key}" value="${attr(value!)}"/>`);
  const skipped = CRITERION_IDS.filter((id) => !byId.has(id)).length;
  return [
    `  <testsuite name="${name}" tests="${testCount(report)}" failures="${failureCount(report)}" errors="${errorCount(report)}" skipped="${skipped}">`,
    `    <properties>\n${properties.join('\n')}\n    </properties>`,
    ...cases,
    '  </testsuite>',
  ].join('\n');
}

function testcase(suiteName: string, id: Criterion['id'], criterion: Criterion | undefined): string {
  const open = `    <testcase classname="${suiteName}" name="${attr(`${id}: ${criterion?.title ?? CRITERIA[id].en}`)}"`;
  if (!criterion) return `${open}>\n      <skipped message="not judged"/>\n    </testcase>`;
  if (criterion.pass) return `${open}/>`;
  const body = [criterion.message, `fix: ${criterion.hint}`, ...criterion.evidence].join('\n');
  return `${open}>\n      <failure message="${attr(`${criterion.message} — fix: ${criterion.hint}`)}">${text(body)}</failure>\n    </testcase>`;
}

function errorCase(suiteName: string, report: GradeReport): string {
  const errors = report.findings.filter((finding) => finding.severity === 'error');
  const message = 'the grader could not finish this submission (not the student\'s fault)';
  const body = errors.map((finding) => `${finding.file}${finding.line !== undefined ? `:${finding.line}` : ''} ${finding.code}: ${finding.message}`).join('\n');
  return `    <testcase classname="${suiteName}" name="grader">\n      <error message="${attr(message)}">${text(body)}</error>\n    </testcase>`;
}
