import { CRITERIA } from '../criteria.js';
import type { CriterionId } from '../types.js';

/** Every criterion id, in the order of the rubric and of the CSV columns (CRITERIA is complete by its type). */
export const CRITERION_IDS = Object.keys(CRITERIA) as [CriterionId, ...CriterionId[]];
