/**
 * What the output functions read of a graded submission: the lab stage's own types (type-only
 * imports, so the writers load nothing of the lab engine).
 */
export type { GradeOutcome as GradedSubmission, RubricWeights as CriterionWeights } from '../grade-submission.js';
