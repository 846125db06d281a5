import { umlChecks } from '../doctor/uml-checks.js';
import type { ProviderName } from '../lab/state.js';
import { chooseProvider, type ProviderChoice } from '../provider/choose.js';
import type { LabSpec } from '../spec/types.js';
import type { Progress } from '../util/progress.js';
import type { CommandLine } from './command-line.js';

/** The provider for a new lab: --provider, LAB_PROVIDER, or what can run on this host. */
export function providerChoice(cli: CommandLine, labSpec: LabSpec): ProviderChoice {
  return chooseProvider({ flag: cli.options.provider, env: process.env.LAB_PROVIDER, platform: process.platform, umlChecks: () => umlChecks(labSpec) });
}

/** The provider choice, said to the user with its reason, so a laptop and CI never differ silently. */
export function announcedProvider(cli: CommandLine, labSpec: LabSpec, progress: Progress): ProviderName {
  const choice = providerChoice(cli, labSpec);
  progress.info(`provider: ${choice.name} (${choice.reason})`);
  return choice.name;
}
