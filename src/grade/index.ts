/** The grader's static stage: what the full grader (issue 9) and its CLI use. */
export { gradeStatic, checkSubmission, type StaticResult } from './static-stage.js';
export { readSubmission, type Submission } from './read-submission.js';
export { parseKeepalivedConfig, type KeepalivedConfig } from './keepalived-model.js';
export { findingsFromKeepalivedCheck, type CheckedConfig } from './keepalived-check-output.js';
export { staticCriteria, CRITERIA } from './criteria.js';
export { describeFinding, MESSAGES, type FindingCode } from './messages.js';
export type { LabTopology } from './topology.js';
export type { RoleAssignment } from './roles.js';
export type * from './types.js';
