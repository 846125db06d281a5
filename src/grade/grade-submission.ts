import { cpSync, existsSync } from 'node:fs';
import { downLab } from '../lab/down.js';
import type { LabSpec } from '../spec/types.js';
import { silentProgress, trackingProgress, type Progress } from '../util/progress.js';
import { withDeadline } from './deadline.js';
import { gradeFromResults, type RubricWeights } from './grade-from-results.js';
import type { CheckedConfig } from './keepalived-check-output.js';
import type { KeepalivedChecker } from './keepalived-host-check.js';
import { LAB_CRITERIA } from './lab-criteria.js';
import { labSpecFromSubmission, type SubmissionLab } from './lab-spec.js';
import { runLabStage, type LabStageResult } from './lab-stage.js';
import { remoteProvisionDir } from '../provision/apply.js';
import { gradeStatic, type StaticResult } from './static-stage.js';
import type { ScenarioTurns } from './scenario-turns.js';
import type { SharedLabRuns } from './shared-runs.js';
import type { GradeReport, Lang } from './types.js';
import { LabError } from '../errors.js';

export { gradeFromResults, type RubricWeights } from './grade-from-results.js';
export type { LabStageResult } from './lab-stage.js';

export interface GradeOptions {
  /** lab/seed.yaml, loaded (src/spec/load.ts). */
  seed: LabSpec;
  lang: Lang;
  weights?: RubricWeights;
  /** keepalived -t in the static stage (hostKeepalivedChecker); the lab runs it at provisioning anyway. */
  keepalivedCheck?: KeepalivedChecker;
  /** Unique per submission (gl-<id>): the labs of a batch run side by side. */
  labName: string;
  /** Wall-clock limit for the whole submission: on expiry the verdict is 'error' ("timed out") and the lab is removed. */
  timeoutMs: number;
  progress: Progress;
  /** Where the failover scenario's report (summary.md, result.json) goes; default reports/<run-id>/. */
  reportDir?: string;
  /** A batch's runs, so that a lab equal to an earlier one's is not run again (SharedLabRuns). */
  sharedRuns?: SharedLabRuns;
  /** A batch's scenario turns: labs come up beside a running scenario and wait for theirs (ScenarioTurns). */
  turns?: ScenarioTurns;
}

export interface GradeOutcome {
  report: GradeReport;
  /** What the feedback needs beyond grade.json. */
  evidence: {
    /** Seed-style `ipvsadm -Ln --stats` of both balancers before the fault and at the end. */
    ipvsStats: { title: string; text: string }[];
    /** The failover scenario's summary.md. */
    scenarioSummary?: string;
    /** keepalived's journal (or the console) of each balancer when the lab did not come up. */
    nodeLogs: { node: string; lines: string[] }[];
    /** Which config was taken for which balancer, and why. */
    roles: string[];
    /** Why the lab did not run, when it did not. */
    labSkipped?: string;
    /** How the lab was built from the submission (interfaces, who sets up IPVS). */
    labNotes: string[];
  };
}

/**
 * Grades one submission: the static stage, then (when its configs can work) the configs as
 * written in a lab of their own under the seed's failover scenario. Never throws for what a
 * submission contains; the lab is always removed, also on timeout.
 */
export async function gradeSubmission(submissionPath: string, options: GradeOptions): Promise<GradeOutcome> {
  const staticResult = gradeStatic(submissionPath, options.seed, options.lang, { keepalivedCheck: options.keepalivedCheck });
  const roles = rolesOf(staticResult);
  const finish = (lab: LabStageResult | { error: string }, extra: Partial<GradeOutcome['evidence']> = {}): GradeOutcome => ({
    report: gradeFromResults({ submission: submissionPath, static: staticResult, lab }, options.lang, options.weights),
    evidence: { ipvsStats: [], nodeLogs: [], roles, labNotes: 'notes' in lab ? lab.notes : [], ...extra },
  });

  if (staticResult.verdict === 'fail') {
    const reason = options.lang === 'ru' ? 'статическая проверка нашла ошибки, стенд не запускался' : 'the static stage found errors, so the lab was not run';
    return finish({ kind: 'skipped', reason }, { labSkipped: reason });
  }
  let lab: SubmissionLab;
  try {
    lab = labSpecFromSubmission(options.seed, staticResult, options.labName);
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    return finish({ kind: 'skipped', reason: error.message }, { labSkipped: error.message });
  }

  const remove = async () => void (await downLab(options.labName, silentProgress));
  try {
    // Where a lab that timed out was stuck, for whoever reads the grade (it is the grader's problem).
    const progress = trackingProgress(options.progress);
    let stuckIn: string | undefined;
    const ownRun = async () => {
      // Held back before the time limit starts while enough labs come up or wait (ScenarioTurns).
      const admission = await options.turns?.admit();
      try {
        const outcome = await withDeadline(options.timeoutMs, (stillWanted) => runLabStage(lab, checkedConfigs(staticResult), progress, stillWanted, options.reportDir, admission), async () => {
          stuckIn ??= progress.running() ?? 'between steps';
          await remove();
        });
        return outcome.done ? outcome.value : undefined;
      } finally {
        admission?.release();
      }
    };
    const { run, sharedWith } = options.sharedRuns ? await options.sharedRuns.once(lab, { path: submissionPath, reportDir: options.reportDir }, ownRun) : { run: await ownRun(), sharedWith: undefined };
    if (!run) return finish({ error: `timed out after ${Math.round(options.timeoutMs / 1000)} s${stuckIn ? `, in: ${stuckIn}` : ''}` }, { labNotes: lab.notes });
    // The shared run's report (summary.md, result.json, report.html) goes in this submission's folder too.
    if (sharedWith?.reportDir && options.reportDir && existsSync(sharedWith.reportDir)) cpSync(sharedWith.reportDir, options.reportDir, { recursive: true });
    const { result, summary } = run;
    const ipvsStats = result.kind === 'ran'
      ? Object.entries(result.scenario.ipvsText).flatMap(([node, text]) => [
        { title: `${node}: ipvsadm -Ln --stats before the fault`, text: text.before },
        { title: `${node}: ipvsadm -Ln --stats at the end`, text: text.after },
      ])
      : [];
    const nodeLogs = result.kind === 'failed' ? result.nodeLogs.map(({ node, lines }) => ({ node, lines })) : [];
    return finish(result, { ipvsStats, nodeLogs, ...(summary ? { scenarioSummary: summary } : {}) });
  } catch (error) {
    // Not the student's doing (the machine, the grader): an 'error' verdict, the lab still removed.
    return finish({ error: error instanceof Error ? error.message.split('\n')[0]! : String(error) }, { labNotes: lab.notes });
  } finally {
    await remove().catch(() => undefined);
  }
}

/**
 * The static stage alone (`grade --static-only`): the lab criteria are not judged (CSV cells empty,
 * JUnit skipped, the feedback says why); the verdict is the static stage's own.
 */
export function staticOnlyOutcome(submissionPath: string, options: Pick<GradeOptions, 'seed' | 'lang' | 'weights' | 'keepalivedCheck'>): GradeOutcome {
  const staticResult = gradeStatic(submissionPath, options.seed, options.lang, { keepalivedCheck: options.keepalivedCheck });
  const reason = options.lang === 'ru' ? 'только статическая проверка (--static-only): стенд не запускался' : 'static checks only (--static-only): the lab was not run';
  const report = gradeFromResults({ submission: submissionPath, static: staticResult, lab: { kind: 'skipped', reason } }, options.lang, options.weights);
  const criteria = report.criteria.filter((criterion) => !LAB_CRITERIA.includes(criterion.id));
  return {
    report: { ...report, criteria, stage: 'static', verdict: criteria.every((criterion) => criterion.pass) ? 'pass' : 'fail' },
    evidence: { ipvsStats: [], nodeLogs: [], roles: rolesOf(staticResult), labSkipped: reason, labNotes: [] },
  };
}

function rolesOf(result: StaticResult): string[] {
  return result.roles.map(({ balancer, config, reason, evidence }) => `${balancer} ← ${config.file}:${config.firstLine} (${reason}: ${evidence})`);
}

/** Where each balancer's config sits on its node and in the submission, to place keepalived -t's messages. */
function checkedConfigs(result: StaticResult): Record<string, CheckedConfig> {
  return Object.fromEntries(result.roles.map(({ balancer, config }) => [balancer, { nodePath: `${remoteProvisionDir}/keepalived.conf`, file: config.file, firstLine: config.firstLine }]));
}
