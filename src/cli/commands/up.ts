import { labPaths, readLabMeta } from '../../lab/state.js';
import { removeHalfBuiltLab, upLab } from '../../lab/up.js';
import { vipAddresses } from '../../spec/types.js';
import { createProgress, formatSeconds } from '../../util/progress.js';
import type { CommandLine } from '../command-line.js';
import { labSpecOf } from '../lab-spec.js';
import { announcedProvider } from '../provider.js';

export async function up(cli: CommandLine): Promise<number> {
  const progress = createProgress();
  const labSpec = await labSpecOf(cli);
  const started = Date.now();
  const paths = labPaths(labSpec.name);
  const running = readLabMeta(paths);
  const keep = running?.readyAt && !cli.options.provider && !process.env.LAB_PROVIDER;
  if (keep) progress.info(`provider: ${running.provider} (the lab is up on it)`);
  const chosen = keep ? running.provider : announcedProvider(cli, labSpec, progress);
  // Ctrl-C during up must not leave a half-built lab behind.
  const onInterrupt = () => {
    process.stderr.write('\ninterrupted: removing the half-built lab\n');
    void removeHalfBuiltLab(paths, progress).finally(() => process.exit(130));
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  const result = await upLab(labSpec, progress, chosen);
  const urls = vipAddresses(labSpec).map((vip) => `http://${vip}:${labSpec.service.port}/`);
  progress.info(`lab ${labSpec.name} is ${result.created ? 'up' : 'still up'} after ${formatSeconds(Date.now() - started)}: ${urls.join(', ')} inside the lab`);
  progress.info('next: npm run lab:status, npm run lab:ssh -- balancer1, npm test');
  return 0;
}
