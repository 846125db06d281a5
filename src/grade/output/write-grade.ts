import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GradeReport, Lang } from '../types.js';
import { renderGradesCsv } from './csv.js';
import { renderFeedback } from './feedback.js';
import { renderJunit } from './junit.js';
import type { GradedSubmission } from './outcome-shape.js';
import { submissionId } from './submission-id.js';

export const GRADE_FILE = 'grade.json';
export const FEEDBACK_FILE = 'feedback.md';

/** Writes DIR/<submission id>/grade.json and feedback.md; returns that folder. */
export function writeGrade(dir: string, outcome: GradedSubmission, lang: Lang): string {
  const folder = path.join(dir, submissionId(outcome.report.submission));
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, GRADE_FILE), `${JSON.stringify(outcome.report, null, 2)}\n`);
  writeFileSync(path.join(folder, FEEDBACK_FILE), renderFeedback(outcome, lang));
  return folder;
}

/** Writes the run's DIR/grades.csv and DIR/junit.xml; returns their paths. */
export function writeRunFiles(dir: string, reports: readonly GradeReport[]): { csv: string; junit: string } {
  mkdirSync(dir, { recursive: true });
  const csv = path.join(dir, 'grades.csv');
  const junit = path.join(dir, 'junit.xml');
  writeFileSync(csv, renderGradesCsv(reports));
  writeFileSync(junit, renderJunit(reports));
  return { csv, junit };
}
