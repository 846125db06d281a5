import { CRITERIA } from '../../src/grade/criteria.js';
import type { Criterion, CriterionId, GradeReport } from '../../src/grade/types.js';
import type { GradedSubmission } from '../../src/grade/output/outcome-shape.js';
import { fixture } from '../helpers.js';

/** A criterion as the grader reports it (points earned by the default weights). */
export function criterion(id: CriterionId, pass: boolean, extra: Partial<Criterion> = {}): Criterion {
  return {
    id,
    title: `title of ${id}`,
    pass,
    points: pass ? CRITERIA[id].points : 0,
    message: pass ? 'fine' : `${id} failed`,
    hint: pass ? 'nothing to fix' : `fix ${id}`,
    evidence: pass ? [] : ['README.md:12 vrid-mismatch'],
    ...extra,
  };
}

const ALL: CriterionId[] = ['config-valid', 'roles', 'vip-serves', 'balanced', 'failover', 'no-split-brain', 'failback'];

/** A report where the named criteria fail and all others pass (judged: all by default). */
export function report(submission: string, failing: CriterionId[] = [], extra: Partial<GradeReport> = {}, judged: CriterionId[] = ALL): GradeReport {
  const criteria = judged.map((id) => criterion(id, !failing.includes(id)));
  return {
    submission,
    verdict: failing.length === 0 ? 'pass' : 'fail',
    score: criteria.reduce((sum, each) => sum + each.points, 0),
    maxScore: 12,
    criteria,
    findings: [],
    ...extra,
  };
}

/** What the lab stage's GradeOutcome looks like for a seed-like submission that failed over. */
export function outcome(rep: GradeReport, evidence: Partial<GradedSubmission['evidence']> = {}): GradedSubmission {
  return {
    report: rep,
    evidence: {
      ipvsStats: [
        { title: 'balancer1 before the fault', text: fixture('ipvsadm-stats-seed-balancer1.txt') },
        { title: 'balancer2 after the failover', text: fixture('ipvsadm-stats-seed-balancer2-after-failover.txt') },
      ],
      scenarioSummary: 'failover 3.2 s (bound 4.3 s), outage 4.0 s',
      nodeLogs: [{ node: 'balancer2', lines: ['Keepalived_vrrp[412]: (VI_1) Entering MASTER STATE'] }],
      roles: ['balancer1 ← README.md:20 (caption: Balancer1; state MASTER, priority 100)'],
      labNotes: [],
      ...evidence,
    },
  };
}
