import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { LabError } from '../../errors.js';
import type { GradeReport } from '../types.js';
import { GRADE_FILE } from './write-grade.js';

/** Enough of grade.json to tell a result file from anything else; the rest is passed through. */
const reportShape = z.looseObject({
  submission: z.string(),
  verdict: z.enum(['pass', 'fail', 'error']),
  score: z.number(),
  maxScore: z.number(),
  criteria: z.array(z.looseObject({ id: z.string(), pass: z.boolean() })),
  findings: z.array(z.unknown()),
});

/**
 * One list of reports from several output folders (e.g. one per CI shard): each DIR/<id>/grade.json.
 * Only reads result files. A submission id in two folders is an error that names both, since it
 * means the shards overlapped or a folder was merged twice.
 */
export function mergeRuns(dirs: readonly string[]): GradeReport[] {
  const seen = new Map<string, string>();
  const reports: { id: string; report: GradeReport }[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new LabError('MERGE_INPUT', `${dir} is not a folder of grades`, { hint: 'pass the folders the shards wrote with --out' });
    }
    for (const id of readdirSync(dir).sort()) {
      const file = path.join(dir, id, GRADE_FILE);
      if (!existsSync(file)) continue;
      const earlier = seen.get(id);
      if (earlier !== undefined) {
        throw new LabError('MERGE_DUPLICATE', `submission ${id} was graded in both ${earlier} and ${dir}`, {
          hint: 'merge each shard\'s folder once, and give all shards the same --shard N and submission list',
        });
      }
      seen.set(id, dir);
      reports.push({ id, report: readReport(file) });
    }
  }
  return reports.sort((a, b) => a.id.localeCompare(b.id)).map(({ report }) => report);
}

function readReport(file: string): GradeReport {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new LabError('MERGE_INPUT', `${file} is not readable JSON`, { cause, hint: 'grade that submission again; the file was cut short or edited' });
  }
  const parsed = reportShape.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LabError('MERGE_INPUT', `${file} is not a grade.json: ${issue?.path.join('.') || '(top level)'}: ${issue?.message}`, {
      hint: 'pass only folders the grader wrote with --out',
    });
  }
  return parsed.data as unknown as GradeReport;
}
