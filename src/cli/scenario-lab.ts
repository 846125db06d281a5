import { labRunning } from '../lab/running.js';
import { readLabMeta, type LabMeta, type LabPaths } from '../lab/state.js';
import { upLab } from '../lab/up.js';
import { providerFor } from '../provider/registry.js';
import type { LabSpec } from '../spec/types.js';
import type { Progress } from '../util/progress.js';
import type { CommandLine } from './command-line.js';
import { announcedProvider } from './provider.js';

/**
 * The lab a scenario runs on: the running one, else brought up now. It runs at the default CPU
 * weight: a lab brought up with --background (beside another lab's scenario) is raised for its own.
 */
export async function labForScenario(cli: CommandLine, labSpec: LabSpec, paths: LabPaths, progress: Progress): Promise<LabMeta> {
  const running = readLabMeta(paths);
  const meta = running?.readyAt && (await labRunning(paths, running)) ? running : (await upLab(labSpec, progress, announcedProvider(cli, labSpec, progress))).meta;
  providerFor(meta.provider).setCpuPriority(paths, 'foreground');
  return meta;
}
