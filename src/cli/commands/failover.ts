import path from 'node:path';
import { LabError } from '../../errors.js';
import { labPaths, type LabMeta, type LabPaths } from '../../lab/state.js';
import { writeFaultIndex } from '../../report/fault-index.js';
import { reportsDir } from '../../report/write.js';
import { defaultFaultName, faultCatalogue, faultNamed } from '../../scenario/faults/catalogue.js';
import { runFailover, type FailoverRun } from '../../scenario/failover.js';
import { checkFaultFits, faultScenario, multiInstanceFaults, seedScenario, type ScenarioPlan } from '../../scenario/run.js';
import type { LoadMode } from '../../scenario/timeline.js';
import { createProgress, type Progress } from '../../util/progress.js';
import type { CommandLine } from '../command-line.js';
import { labSpecOf } from '../lab-spec.js';
import { labForScenario } from '../scenario-lab.js';
import { providerFor } from '../../provider/registry.js';

/** A failover scenario (the seed's link-down by default, or --fault NAME|all) on the running lab, brought up first if it is not; exits 1 if a run does not show its fault's expected outcome. */
export async function failover(cli: CommandLine): Promise<number> {
  const progress = createProgress();
  const mode = cli.options.mode ?? 'new-connection';
  if (mode !== 'new-connection' && mode !== 'keep-alive') {
    throw new LabError('USAGE', `--mode must be new-connection or keep-alive, not "${mode}"`);
  }
  const faultName = cli.options.fault ?? defaultFaultName;
  if (faultName === 'all' && cli.options.node) throw new LabError('USAGE', '--node goes with one --fault, not with --fault all (each fault has its own target)');
  const labSpec = await labSpecOf(cli);
  // A lab of several VRRP instances runs the faults that move one VIP (see multiInstanceFaults).
  const names = faultName === 'all'
    ? faultCatalogue.map((fault) => fault.name).filter((name) => !labSpec.vrrpInstances || (multiInstanceFaults as readonly string[]).includes(name))
    : [faultNamed(faultName).name];
  for (const name of names) checkFaultFits(name, labSpec, cli.options.node);
  const paths = labPaths(labSpec.name);
  const meta = await labForScenario(cli, labSpec, paths, progress);
  if (faultName !== 'all') {
    const run = await runOne(paths, meta, planFor(faultName, paths, meta, mode, cli.options.node), progress);
    process.stdout.write(run.summary);
    return run.passed ? 0 : 1;
  }
  const runs: FailoverRun[] = [];
  for (const name of names) runs.push(await runOne(paths, meta, planFor(name, paths, meta, mode), progress));
  const indexDir = path.join(reportsDir(), `faults-${new Date().toISOString().replace(/[:.]/g, '-')}-${labSpec.name}`);
  const index = writeFaultIndex(indexDir, runs.map((run) => run.reportDir));
  process.stdout.write(index.markdown);
  progress.info(`index: ${index.htmlPath}`);
  return runs.every((run) => run.passed) ? 0 : 1;
}

/** The seed's own plan for link-down (as before the catalogue), each other fault's short one. */
function planFor(name: string, paths: LabPaths, meta: LabMeta, mode: LoadMode, node?: string): ScenarioPlan {
  if (name === defaultFaultName && node === undefined) return { ...seedScenario, mode };
  return faultScenario(faultNamed(name), meta.spec, providerFor(meta.provider).rebootAllowance(paths), mode, node);
}

async function runOne(paths: LabPaths, meta: LabMeta, plan: ScenarioPlan, progress: Progress): Promise<FailoverRun> {
  const run = await runFailover(paths, meta, plan, progress);
  progress.info(`${plan.fault?.name ?? defaultFaultName}: ${run.passed ? 'as expected' : 'NOT as expected'}; report: ${run.reportDir}/report.html (open it in a browser), summary.md and result.json`);
  return run;
}
