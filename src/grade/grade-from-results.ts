import { CRITERIA, staticCriteria } from './criteria.js';
import { labCriteria } from './lab-criteria.js';
import type { LabStageResult } from './lab-stage.js';
import { describeFinding } from './messages.js';
import type { StaticResult } from './static-stage.js';
import type { Criterion, CriterionId, GradeReport, Lang } from './types.js';

/** Points per criterion (and optionally its title); the rubric loader fills it. Missing ids keep criteria.ts's weights. */
export type RubricWeights = { [id in CriterionId]?: { points: number; title?: string } };

/** Lab failures that are the grader's or the machine's, not the student's: the verdict is then 'error'. */
const STUDENT_FAILURES = new Set(['VIP_NOT_SERVING', 'VRRP_NOT_CONVERGED', 'PROVISION_FAILED', 'KEEPALIVED_CONFIG_REJECTED', 'SCENARIO_NEEDS_TWO_BALANCERS']);

const SKIPPED = { en: 'the static stage found errors, so the configs cannot work as written', ru: 'статическая проверка нашла ошибки: в таком виде конфигурации работать не могут' } as const;

/**
 * The grade.json of one submission from its static stage and what its lab showed: pure, so it is
 * tested on recorded runs. keepalived -t messages join the findings and count against config-valid.
 */
export function gradeFromResults(input: { submission: string; static: StaticResult; lab?: LabStageResult | { error: string } }, lang: Lang, weights?: RubricWeights): GradeReport {
  const { lab } = input;
  const keepalivedFindings = lab && !('error' in lab) && lab.kind === 'rejected' ? lab.findings.map((finding) => describeFinding(finding, lang)) : [];
  const findings = [...input.static.findings, ...keepalivedFindings];
  const criteria = [...staticCriteria(findings, input.static.roles, lang), ...labCriteria(lab, lang, SKIPPED[lang])].map((criterion) => weighted(criterion, weights));
  const graderFailed = lab !== undefined && ('error' in lab || (lab.kind === 'failed' && !STUDENT_FAILURES.has(lab.code)));
  return {
    submission: input.submission,
    verdict: graderFailed ? 'error' : criteria.every((criterion) => criterion.pass) ? 'pass' : 'fail',
    score: criteria.reduce((sum, criterion) => sum + criterion.points, 0),
    maxScore: criteria.reduce((sum, criterion) => sum + pointsOf(criterion.id, weights), 0),
    criteria,
    findings,
  };
}

function pointsOf(id: CriterionId, weights: RubricWeights | undefined): number {
  return weights?.[id]?.points ?? CRITERIA[id].points;
}

function weighted(criterion: Criterion, weights: RubricWeights | undefined): Criterion {
  const title = weights?.[criterion.id]?.title;
  return { ...criterion, ...(title ? { title } : {}), points: criterion.pass ? pointsOf(criterion.id, weights) : 0 };
}
