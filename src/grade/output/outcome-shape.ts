import type { CriterionId, GradeReport } from '../types.js';

/**
 * What the output functions read of a graded submission. The lab stage's GradeOutcome
 * (src/grade/grade-submission.ts) has this shape; only the fields used here are named, so this
 * module builds on its own and any GradeOutcome can be passed as it is.
 */
export interface GradedSubmission {
  report: GradeReport;
  evidence: {
    /** Seed-style `ipvsadm -Ln --stats` snapshots, e.g. "balancer1 before the fault". */
    ipvsStats: { title: string; text: string }[];
    scenarioSummary?: string;
    nodeLogs: { node: string; lines: string[] }[];
    /** The role decisions, one line each ("balancer1 ← README.md:12 (caption: …)"). */
    roles: string[];
    /** Why the lab stage did not run, when it did not. */
    labSkipped?: string;
  };
}

/** Points (and a title) per criterion, as the lab stage's RubricWeights takes them. */
export type CriterionWeights = { [id in CriterionId]?: { points: number; title?: string } };
