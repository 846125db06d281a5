import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CriterionId } from '../src/grade/types.js';
import { repoRoot, tempDir } from './helpers.js';

type Verdict = 'pass' | 'fail' | 'error';

/** A case of the submissions corpus: tests/fixtures/submissions/NAME/{expected.json, submission/}. */
export interface ExpectedCase {
  /** The file or folder inside submission/ that is graded ("." for the folder). */
  submission: string;
  /** The static stage's verdict, and finding codes that must (and must not) appear. */
  verdict: 'ok' | 'fail';
  codes: string[];
  absent?: string[];
  /** What cannot be committed, made in the temporary copy: an empty folder, a 1 MiB file, a symlink out. */
  setup?: 'empty-folder' | 'large-file' | 'symlink-outside';
  /**
   * The whole grade (static stage, lab, rubric): its verdict (or the verdicts it may have) and the
   * criteria that fail; mayFail names criteria whose outcome rests on timing the submission itself
   * makes uncertain, with why.
   */
  grade: { verdict: Verdict | Verdict[]; failing: CriterionId[]; mayFail?: CriterionId[]; why?: string };
}

export const corpusDir = path.join(repoRoot, 'tests', 'fixtures', 'submissions');

export function corpusCases(): string[] {
  return readdirSync(corpusDir).sort();
}

export function expectedCase(name: string): ExpectedCase {
  return JSON.parse(readFileSync(path.join(corpusDir, name, 'expected.json'), 'utf8')) as ExpectedCase;
}

/** A temporary copy of the case's submission (in `into`, or a new temporary folder); returns the path to grade. */
export function prepareCase(name: string, expected: ExpectedCase, into?: string): string {
  const work = into ?? tempDir('grade-corpus-');
  const target = path.join(work, 'submission');
  const source = path.join(corpusDir, name, 'submission');
  if (existsSync(source)) cpSync(source, target, { recursive: true });
  else mkdirSync(target, { recursive: true });
  if (expected.setup === 'large-file') writeFileSync(path.join(target, 'capture.md'), '```\n' + 'x'.repeat(1024 * 1024 + 10) + '\n```\n');
  if (expected.setup === 'symlink-outside') {
    writeFileSync(path.join(work, 'outside.conf'), 'vrrp_instance OUTSIDE {\n state MASTER\n}\n');
    symlinkSync(path.join(work, 'outside.conf'), path.join(target, 'keepalived.conf'));
  }
  return path.join(target, expected.submission);
}
