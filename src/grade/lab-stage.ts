import { LabError } from '../errors.js';
import { upLab } from '../lab/up.js';
import { labPaths, type LabMeta, type LabPaths } from '../lab/state.js';
import type { LabProvider } from '../provider/provider.js';
import { providerFor } from '../provider/registry.js';
import { runFailover } from '../scenario/failover.js';
import type { ScenarioResult } from '../scenario/timeline.js';
import { balancers } from '../spec/types.js';
import type { Progress } from '../util/progress.js';
import { findingsFromKeepalivedCheck, type CheckedConfig } from './keepalived-check-output.js';
import { collectNodeLogs, type NodeLog } from './lab-node-logs.js';
import type { SubmissionLab } from './lab-spec.js';
import type { Admission } from './scenario-turns.js';
import { gradedRun, reviewFirstRun } from './second-run.js';
import type { RawFinding } from './types.js';

/**
 * What running a submission's configs in a lab showed; plain data (recordable as JSON), judged
 * by gradeFromResults. `failed`: the lab did not come up or the scenario could not run.
 */
export type LabStageResult =
  | { kind: 'ran'; scenario: ScenarioResult; notes: string[] }
  | { kind: 'rejected'; node: string; findings: RawFinding[]; notes: string[] }
  | { kind: 'failed'; code: string; message: string; nodeLogs: NodeLog[]; notes: string[] }
  | { kind: 'skipped'; reason: string };

export interface LabStageRun {
  result: LabStageResult;
  /** The scenario's summary.md, when it ran. */
  summary?: string;
}

/**
 * Brings up the submission's lab on fresh uml nodes and runs its failover scenario (the seed's, see gradingPlan) in it.
 * Failures of the student's making become results, never exceptions; `stillWanted` lets a caller
 * whose deadline passed stop the work between steps. With an `admission` (ScenarioTurns), the
 * scenario waits for its turn, and a lab that may have to wait comes up at background CPU priority,
 * raised for its turn only. The caller removes the lab.
 */
export async function runLabStage(lab: SubmissionLab, configs: Record<string, CheckedConfig>, progress: Progress, stillWanted: () => boolean, reportDir?: string, admission?: Admission): Promise<LabStageRun> {
  const { spec, notes } = lab;
  const paths = labPaths(spec.name);
  const provider = providerFor('uml');
  const background = admission?.background === true;
  let nodeLogs: NodeLog[] = [];
  const balancerNames = balancers(spec).map((node) => node.name);
  try {
    const up = await upLab(spec, progress, provider.name, {
      beforeRemovingFailed: async (failed) => void (nodeLogs = await collectNodeLogs(failed, balancerNames)),
      priority: background ? 'background' : 'foreground',
    });
    if (!stillWanted()) throw new LabError('GRADE_CANCELLED', 'the grader stopped waiting for this lab');
    // In its turn a background lab runs at the default CPU weight; after it, what is left (reading,
    // removing) yields to the next lab's scenario.
    const scenarios = background
      ? () => inForeground(provider, paths, () => runScenarios(lab, paths, up.meta, progress, stillWanted, reportDir))
      : () => runScenarios(lab, paths, up.meta, progress, stillWanted, reportDir);
    return admission ? await admission.takeTurn(stillWanted, scenarios) : await scenarios();
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    const rejected = error.code === 'KEEPALIVED_CONFIG_REJECTED' ? error.details : undefined;
    const checked = rejected?.node ? configs[rejected.node] : undefined;
    if (rejected?.node && checked) {
      const findings = findingsFromKeepalivedCheck(rejected.output ?? '', { ...checked, nodePath: rejected.nodePath ?? checked.nodePath });
      return { result: { kind: 'rejected', node: rejected.node, findings, notes } };
    }
    // A scenario that broke off leaves a running lab: its logs are read before it is removed.
    if (nodeLogs.length === 0 && stillWanted()) nodeLogs = await collectNodeLogs(paths, balancerNames).catch(() => []);
    return { result: { kind: 'failed', code: error.code, message: error.message.split('\n').slice(0, 6).join('\n'), nodeLogs, notes } };
  }
}

/** Runs `work` with a background lab at the default CPU weight, then lowers it again. */
async function inForeground<T>(provider: LabProvider, paths: LabPaths, work: () => Promise<T>): Promise<T> {
  provider.setCpuPriority(paths, 'foreground');
  try {
    return await work();
  } finally {
    try {
      provider.setCpuPriority(paths, 'background');
    } catch {
      // the lab is being removed under it (a deadline)
    }
  }
}

/** The failover scenario on a lab that is up, and once more when reviewFirstRun calls for it. */
async function runScenarios(lab: SubmissionLab, paths: LabPaths, meta: LabMeta, progress: Progress, stillWanted: () => boolean, reportDir?: string): Promise<LabStageRun> {
  let run = await runFailover(paths, meta, lab.plan, progress, reportDir);
  // A failed criterion or a FAULT nobody caused may be the host's noise: see reviewFirstRun.
  const runNotes = [...lab.notes];
  const { runAgain: why, foreseenNote } = reviewFirstRun(run.result, lab.foreseen);
  if (foreseenNote) runNotes.push(`${foreseenNote}: the scenario was not run again`);
  if (why !== undefined && stillWanted()) {
    const first = run;
    progress.info(`${lab.spec.name}: ${why}; running the scenario once more`);
    try {
      const second = await runFailover(paths, meta, lab.plan, progress, reportDir && `${reportDir}-second-run`);
      const graded = gradedRun(first.result, second.result);
      run = graded.run === 'first' ? first : second;
      runNotes.push(graded.note);
    } catch (error) {
      // The first run is a whole result: a second one that broke off does not take it away.
      if (!(error instanceof LabError)) throw error;
      runNotes.push(`${why}: the scenario ran once more but broke off (${error.code}: ${error.message.split('\n')[0]}); the grade is the first run's`);
    }
  }
  return { result: { kind: 'ran', scenario: run.result, notes: runNotes }, summary: run.summary };
}
