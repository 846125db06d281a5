import type { GradeReport, Lang } from '../types.js';
import type { Rubric } from './rubric.js';

/**
 * Scores a report by a rubric: each passed criterion earns the rubric's points (titles in the
 * rubric's words); the maximum counts every criterion, judged or not. The verdict is the rubric's
 * pass rule, except that "error" (the grader could not finish) stays "error", and that a static-only
 * grade keeps its own verdict (the rule needs the lab criteria it did not judge).
 */
export function applyRubric(report: GradeReport, rubric: Rubric, lang: Lang = 'en'): GradeReport {
  const criteria = report.criteria.map((criterion) => {
    const weight = rubric.criteria[criterion.id];
    return { ...criterion, title: weight.title[lang], points: criterion.pass ? weight.points : 0 };
  });
  const score = criteria.reduce((sum, criterion) => sum + criterion.points, 0);
  const maxScore = Object.values(rubric.criteria).reduce((sum, criterion) => sum + criterion.points, 0);
  const passed = new Set(criteria.filter((criterion) => criterion.pass).map((criterion) => criterion.id));
  const meetsRule = score >= rubric.pass.minScore && rubric.pass.required.every((id) => passed.has(id));
  const verdict = report.verdict === 'error' || report.stage === 'static' ? report.verdict : meetsRule ? 'pass' : 'fail';
  return { ...report, criteria, score, maxScore, verdict };
}
