import { LabError } from '../../errors.js';
import { labRunning } from '../../lab/running.js';
import { labPaths, readLabMeta } from '../../lab/state.js';
import { upLab } from '../../lab/up.js';
import { runFailover } from '../../scenario/failover.js';
import { seedScenario } from '../../scenario/run.js';
import { createProgress } from '../../util/progress.js';
import type { CommandLine } from '../command-line.js';
import { labSpecOf } from '../lab-spec.js';
import { announcedProvider } from '../provider.js';

/** The seed's failover scenario on the running lab (brought up first if it is not); exits 1 if a check fails. */
export async function failover(cli: CommandLine): Promise<number> {
  const progress = createProgress();
  const mode = cli.options.mode ?? 'new-connection';
  if (mode !== 'new-connection' && mode !== 'keep-alive') {
    throw new LabError('USAGE', `--mode must be new-connection or keep-alive, not "${mode}"`);
  }
  const labSpec = await labSpecOf(cli);
  const paths = labPaths(labSpec.name);
  const running = readLabMeta(paths);
  const meta = running?.readyAt && (await labRunning(paths, running)) ? running : (await upLab(labSpec, progress, announcedProvider(cli, labSpec, progress))).meta;
  const run = await runFailover(paths, meta, { ...seedScenario, mode }, progress);
  process.stdout.write(run.summary);
  progress.info(`report: ${run.reportDir}/report.html (open it in a browser), summary.md and result.json`);
  return run.passed ? 0 : 1;
}
