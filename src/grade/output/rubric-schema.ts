import { z } from 'zod';
import type { CriterionId } from '../types.js';
import { CRITERION_IDS } from './criterion-ids.js';

const criterionSchema = z.strictObject({
  points: z.number().int('must be a whole number').min(0, 'must not be negative'),
  title: z.strictObject({ en: z.string().min(1), ru: z.string().min(1) }),
});

const criteriaShape = Object.fromEntries(CRITERION_IDS.map((id) => [id, criterionSchema])) as Record<CriterionId, typeof criterionSchema>;

/** A rubric file: every criterion with its points and titles, and the rule for a pass. */
export const rubricSchema = z.strictObject({
  homework: z.string().min(1),
  criteria: z.strictObject(criteriaShape),
  pass: z.strictObject({
    min_score: z.number().int('must be a whole number').min(0, 'must not be negative'),
    required: z.array(z.enum(CRITERION_IDS)).default([]),
  }),
});

export type RubricDocument = z.infer<typeof rubricSchema>;
