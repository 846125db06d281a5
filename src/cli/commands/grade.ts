import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LabError } from '../../errors.js';
import { gradeSubmission, staticOnlyOutcome } from '../../grade/grade-submission.js';
import { hostKeepalivedChecker } from '../../grade/keepalived-host-check.js';
import {
  applyRubric,
  DEFAULT_RUBRIC_PATH,
  defaultJobs,
  scenarioSlots,
  waitingLabs,
  formatBatchProgress,
  loadRubric,
  mergeRuns,
  rubricWeights,
  runBatch,
  selectShard,
  submissionId,
  writeGrade,
  writeRunFiles,
  type GradedSubmission,
} from '../../grade/output/index.js';
import { BatchLabs } from '../../grade/output/interrupt.js';
import { ScenarioTurns } from '../../grade/scenario-turns.js';
import { SharedLabRuns } from '../../grade/shared-runs.js';
import { providerFor } from '../../provider/registry.js';
import type { GradeReport, Lang } from '../../grade/types.js';
import { loadSpec } from '../../spec/load.js';
import { defaultSpecPath, projectRoot } from '../../util/paths.js';
import { createProgress, silentProgress } from '../../util/progress.js';
import type { CommandLine } from '../command-line.js';

/** One submission to grade: its path as given (grade.json names it so), and the name its shard is chosen by (stable across runners). */
interface Submission {
  path: string;
  key: string;
}

function langOf(value: string | undefined): Lang {
  if (value === undefined || value === 'en' || value === 'ru') return value ?? 'en';
  throw new LabError('USAGE', `--lang must be en or ru, not "${value}"`);
}

function positiveNumber(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new LabError('USAGE', `${option} must be a positive number, not "${value}"`);
  return number;
}

/** Positional paths are one submission each; --course DIR adds every entry of DIR. */
function submissionsOf(cli: CommandLine): Submission[] {
  const submissions: Submission[] = cli.args.map((arg) => ({ path: arg, key: arg }));
  if (cli.options.course) {
    const dir = path.resolve(cli.options.course);
    if (!existsSync(dir)) throw new LabError('USAGE', `--course ${cli.options.course}: no such folder`);
    for (const entry of readdirSync(dir).sort()) {
      if (!entry.startsWith('.')) submissions.push({ path: path.join(cli.options.course, entry), key: entry });
    }
  }
  if (submissions.length === 0) {
    throw new LabError('USAGE', 'which submissions? e.g. failover-lab grade student1.md student2/, or --course DIR', { hint: 'run failover-lab --help' });
  }
  return submissions;
}

function defaultOut(): string {
  return path.join(projectRoot, 'reports', `grades-${new Date().toISOString().replace(/[:.]/g, '-')}`);
}

/** A grader failure (not the student's): the submission still gets its row, with verdict error. */
function errorOutcome(submission: string, error: unknown): GradedSubmission {
  const message = error instanceof Error ? error.message : String(error);
  const report: GradeReport = { submission, verdict: 'error', score: 0, maxScore: 0, criteria: [], findings: [{ severity: 'error', code: 'grader-error', file: '.', message, hint: error instanceof LabError && error.hint ? error.hint : 'grade it again; if it persists, report it with this message' }] };
  return { report, evidence: { ipvsStats: [], nodeLogs: [], roles: [], labNotes: [] } };
}

/** `grade SUBMISSION...`, `grade --course DIR`, `grade --merge DIR...`: see usage.ts. */
export async function grade(cli: CommandLine): Promise<number> {
  const progress = createProgress();
  const out = path.resolve(cli.options.out ?? defaultOut());
  if (cli.options.merge) {
    if (cli.args.length === 0) throw new LabError('USAGE', 'which folders? e.g. failover-lab grade --merge shard-1 shard-2 --out all');
    const reports = mergeRuns(cli.args.map((dir) => path.resolve(dir)));
    const files = writeRunFiles(out, reports);
    progress.info(`merged ${reports.length} grades: ${files.csv}, ${files.junit}`);
    return reports.every((report) => report.verdict === 'pass') ? 0 : 1;
  }

  const lang = langOf(cli.options.lang);
  const rubric = loadRubric(cli.options.rubric ? path.resolve(cli.options.rubric) : path.join(projectRoot, DEFAULT_RUBRIC_PATH));
  const cores = os.availableParallelism();
  const weighsLabs = providerFor('uml').cpuPriorityAvailable();
  const jobs = Math.floor(positiveNumber(cli.options.jobs, '--jobs', defaultJobs({ cores, freeBytes: os.freemem(), weighsLabs })));
  const timeoutMs = positiveNumber(cli.options.timeout, '--timeout', 300) * 1000;
  // Scenarios take turns (at most one per two cores); the other labs come up meanwhile, at background
  // CPU priority where the host can weigh them.
  const slots = Math.min(jobs, scenarioSlots(cores));
  const turns = new ScenarioTurns(slots, jobs > slots && weighsLabs, waitingLabs(jobs, slots));
  // Scenarios at once share the machine: each lab is capped at its share (unless FAILOVER_LAB_CPUS says
  // otherwise), so a submission that spins its CPUs slows only its own lab.
  process.env.FAILOVER_LAB_CPUS ??= String(Math.max(1, Math.min(cores - 1, cores / slots)));
  const all = submissionsOf(cli);
  const submissions = cli.options.shard ? selectShard(all, cli.options.shard, (submission) => submission.key) : all;
  const seed = loadSpec(cli.options.spec ?? defaultSpecPath);
  const atOnce = jobs > slots ? `${jobs} labs at a time, ${slots} in a scenario${turns.background ? ', the others at background CPU priority' : ''}` : `${jobs} at a time`;
  progress.info(`grading ${submissions.length} submission(s)${cli.options.shard ? ` (shard ${cli.options.shard} of ${all.length})` : ''}, ${atOnce}, into ${out}`);
  const keepalivedCheck = hostKeepalivedChecker();
  if (!keepalivedCheck) progress.info(`keepalived -t runs in the labs only: no node image is cached yet for the static stage's (npm run lab:image builds it)`);

  // Each grade is written as it is made, so an interrupted batch keeps what it has graded.
  const labs = new BatchLabs();
  const sharedRuns = cli.options['every-lab'] ? undefined : new SharedLabRuns();
  const folders = new Map<GradedSubmission, string>(); // graded so far, in order, and where each went
  const stopWatching = labs.removeOnInterrupt(
    (line) => progress.info(line),
    () => {
      const files = writeRunFiles(out, [...folders.keys()].map((outcome) => outcome.report));
      progress.info(`interrupted after ${folders.size}/${submissions.length} graded: ${files.csv}, ${files.junit}`);
    },
  );
  const results = await runBatch(
    submissions,
    jobs,
    async (submission) => {
      // A lab name per submission, unique and short (it names interfaces, cgroups and VM ids).
      const id = submissionId(submission.path);
      const labName = `grade-${id.slice(-10)}`;
      const outcome = cli.options['static-only']
        ? staticOnlyOutcome(submission.path, { seed, lang, weights: rubricWeights(rubric, lang), keepalivedCheck })
        : await labs.with(labName, () => gradeSubmission(submission.path, { seed, lang, weights: rubricWeights(rubric, lang), keepalivedCheck, labName, timeoutMs, progress: silentProgress, reportDir: path.join(out, id, 'scenario'), sharedRuns, turns }));
      if (labs.interrupted) return labs.halt();
      const graded = { ...outcome, report: applyRubric(outcome.report, rubric, lang) };
      folders.set(graded, writeGrade(out, graded, lang));
      return graded;
    },
    (state) => progress.info(formatBatchProgress(state)),
  );
  stopWatching();
  const graded = results.map((result, index) => (result.ok ? result.value : errorOutcome(submissions[index]?.path ?? '?', result.error)));
  for (const outcome of graded) {
    const folder = folders.get(outcome) ?? writeGrade(out, outcome, lang);
    const { verdict, score, maxScore } = outcome.report;
    progress.info(`${verdict.toUpperCase().padEnd(5)} ${score}/${maxScore}${outcome.report.stage === 'static' ? ' (static checks only)' : ''}  ${outcome.report.submission}  → ${path.relative(process.cwd(), folder) || folder}`);
  }
  const files = writeRunFiles(out, graded.map((outcome) => outcome.report));
  progress.info(`grades: ${files.csv}, ${files.junit}`);
  return graded.every((outcome) => outcome.report.verdict === 'pass') ? 0 : 1;
}
