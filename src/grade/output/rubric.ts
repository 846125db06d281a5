import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { LabError } from '../../errors.js';
import type { CriterionId, Lang } from '../types.js';
import type { CriterionWeights } from './outcome-shape.js';
import { rubricSchema } from './rubric-schema.js';
import { placeOf } from './yaml-place.js';

export interface Rubric {
  /** The file it was read from (absolute). */
  source: string;
  homework: string;
  criteria: Record<CriterionId, { points: number; title: Record<Lang, string> }>;
  /** A pass needs at least minScore points and every required criterion passed. */
  pass: { minScore: number; required: CriterionId[] };
}

/** The rubric the grader uses when none is given. */
export const DEFAULT_RUBRIC_PATH = 'grading/homework-3.8.yaml';

/** Reads and validates a rubric file; every problem is reported at once with its file:line:col. */
export function loadRubric(file: string): Rubric {
  const source = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (cause) {
    throw new LabError('RUBRIC_NOT_FOUND', `cannot read the rubric ${file}`, {
      cause,
      hint: `pass an existing YAML file, or leave the option out to use ${DEFAULT_RUBRIC_PATH}`,
    });
  }
  return parseRubric(text, source);
}

export function parseRubric(text: string, source: string): Rubric {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw rubricError(source, doc.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return `${source}:${line}:${col}: YAML syntax: ${error.message.split('\n')[0]}`;
    }));
  }
  const raw: unknown = doc.toJS();
  const parsed = rubricSchema.safeParse(raw);
  if (!parsed.success) {
    throw rubricError(source, parsed.error.issues.flatMap((issue) => {
      const keyPath = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
      const field = keyPath.join('.') || '(top level)';
      if (issue.code === 'unrecognized_keys') {
        const known = keyPath.join('.') === 'criteria' ? ` (criteria are: ${Object.keys(rubricSchema.shape.criteria.shape).join(', ')})` : '';
        return issue.keys.map((key) => `${placeOf(doc, lineCounter, source, keyPath, key)}: ${field}: unknown field "${key}"${known}`);
      }
      // zod 4 leaves the input out of its issues: look the value up to tell "missing" from "wrong".
      const message = issue.code === 'invalid_type' && valueAt(raw, keyPath) === undefined ? 'is required' : issue.message;
      return [`${placeOf(doc, lineCounter, source, keyPath)}: ${field}: ${message}`];
    }));
  }
  const data = parsed.data;
  const total = Object.values(data.criteria).reduce((sum, criterion) => sum + criterion.points, 0);
  if (data.pass.min_score > total) {
    throw rubricError(source, [`${placeOf(doc, lineCounter, source, ['pass', 'min_score'])}: pass.min_score: ${data.pass.min_score} is more than the ${total} points the criteria give`]);
  }
  return {
    source,
    homework: data.homework,
    criteria: data.criteria,
    pass: { minScore: data.pass.min_score, required: data.pass.required },
  };
}

/** The rubric's points and titles in one language, as the lab stage takes them. */
export function rubricWeights(rubric: Rubric, lang: Lang): CriterionWeights {
  return Object.fromEntries(Object.entries(rubric.criteria).map(([id, criterion]) => [id, { points: criterion.points, title: criterion.title[lang] }]));
}

function valueAt(data: unknown, keyPath: readonly (string | number)[]): unknown {
  return keyPath.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined), data);
}

function rubricError(source: string, lines: string[]): LabError {
  return new LabError('RUBRIC_INVALID', `the rubric ${source} is not valid:\n  ${lines.join('\n  ')}`, {
    hint: `correct the fields named above; ${DEFAULT_RUBRIC_PATH} is a complete example (every criterion once, points 0 or more)`,
  });
}
