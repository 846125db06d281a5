import { doctorReport } from '../../doctor/report.js';
import type { CommandLine } from '../command-line.js';
import { labSpecOf } from '../lab-spec.js';
import { providerChoice } from '../provider.js';

/** One line per check of both providers; exits 1 when the chosen provider cannot run here. */
export async function doctor(cli: CommandLine): Promise<number> {
  const labSpec = await labSpecOf(cli);
  const report = await doctorReport(labSpec, providerChoice(cli, labSpec));
  process.stdout.write(report.text);
  return report.ready ? 0 : 1;
}
