/** Everything around a grade: rubric, feedback.md, per-run files, and the course-scale helpers. */
export { loadRubric, parseRubric, rubricWeights, DEFAULT_RUBRIC_PATH, type Rubric } from './rubric.js';
export { applyRubric } from './apply-rubric.js';
export { renderFeedback } from './feedback.js';
export { renderGradesCsv } from './csv.js';
export { renderJunit } from './junit.js';
export { writeGrade, writeRunFiles, GRADE_FILE, FEEDBACK_FILE } from './write-grade.js';
export { submissionId } from './submission-id.js';
export { selectShard, parseShard, shardOf, type Shard } from './shard.js';
export { mergeRuns } from './merge-runs.js';
export { runBatch, type BatchResult, type BatchState } from './batch.js';
export { formatBatchProgress, formatEta } from './batch-progress.js';
export { defaultJobs, scenarioSlots, waitingLabs } from './default-jobs.js';
export type { GradedSubmission, CriterionWeights } from './outcome-shape.js';
