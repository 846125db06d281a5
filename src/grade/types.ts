/**
 * Shapes shared by the grader: what a submission is read into, the findings about it, and the
 * grade.json the full grader writes. Types only; each stage lives in its own file.
 */

export type Lang = 'en' | 'ru';
export type Severity = 'error' | 'warning' | 'info';

/** A place in the student's submission: path relative to the submission, 1-based line (the .md file's line for a block). */
export interface Place {
  file: string;
  line?: number;
}

/** A finding before it is put into words: a stable code, where, and the values its text needs. */
export interface RawFinding extends Place {
  code: string;
  params?: Record<string, string | number>;
}

/** A finding in one language, as grade.json carries it. */
export interface Finding {
  severity: Severity;
  code: string;
  file: string;
  line?: number;
  message: string;
  hint: string;
}

/** One text file of the submission. */
export interface SubmissionFile {
  /** Relative to the submission (its base name when the submission is a single file). */
  path: string;
  kind: 'markdown' | 'text';
  text: string;
}

/** A fenced code block of a markdown file, or a whole non-markdown file. */
export interface CodeBlock {
  file: string;
  /** Line (in the file) of the block's first content line. */
  firstLine: number;
  /** The fence's info string (language tag), '' when none or for a whole file. */
  lang: string;
  lines: string[];
  /** Up to a few non-empty lines of prose just before the block (headings, captions), nearest last. */
  textBefore: string[];
}

// ---- the grade.json the full grader writes -------------------------------------------------

export type CriterionId = 'config-valid' | 'roles' | 'vip-serves' | 'balanced' | 'failover' | 'no-split-brain' | 'failback';

export interface Criterion {
  id: CriterionId;
  title: string;
  pass: boolean;
  points: number;
  message: string;
  hint: string;
  /** What the verdict rests on: finding codes with their places, or measured figures (lab stage). */
  evidence: string[];
}

export interface GradeReport {
  /** The submission as given (path or name). */
  submission: string;
  /** error: the grader itself could not finish (not the student's fault). */
  verdict: 'pass' | 'fail' | 'error';
  score: number;
  maxScore: number;
  criteria: Criterion[];
  findings: Finding[];
  /**
   * 'static' for `grade --static-only`: the lab criteria were not judged (absent from criteria), and
   * the verdict says whether the static stage found nothing wrong.
   */
  stage?: 'static';
}
