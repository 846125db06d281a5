import { downLab } from '../../lab/down.js';
import { createProgress } from '../../util/progress.js';
import type { CommandLine } from '../command-line.js';
import { labNameOf } from '../lab-spec.js';

export async function down(cli: CommandLine): Promise<number> {
  const progress = createProgress();
  const report = await downLab(await labNameOf(cli), progress);
  progress.info(report.processesKilled + Number(report.stateRemoved) + Number(report.machinesDestroyed) === 0 ? `lab ${report.name} was not up: nothing to remove` : `lab ${report.name} removed`);
  return 0;
}
