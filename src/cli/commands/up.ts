import { labPaths, readLabMeta } from '../../lab/state.js';
import { removeHalfBuiltLab, upLab } from '../../lab/up.js';
import { vipAddresses } from '../../spec/types.js';
import { createProgress, formatSeconds } from '../../util/progress.js';
import type { CommandLine } from '../command-line.js';
import { labSpecOf } from '../lab-spec.js';
import { announcedProvider } from '../provider.js';
import { providerFor } from '../../provider/registry.js';

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
  const priority = cli.options.background ? 'background' : 'foreground';
  const result = await upLab(labSpec, progress, chosen, { priority });
  // Also a lab that was up already: lab:up leaves it at the weight asked for.
  const weighed = providerFor(chosen).setCpuPriority(paths, priority);
  if (cli.options.background) progress.info(weighed ? 'at background CPU priority: it takes the CPU time other work leaves; its failover or connections run raises it' : 'not at background CPU priority: this lab has no cgroup to weigh (it needs root, and uml or libvirt)');
  const urls = vipAddresses(labSpec).map((vip) => `http://${vip}:${labSpec.service.port}/`);
  progress.info(`lab ${labSpec.name} is ${result.created ? 'up' : 'still up'} after ${formatSeconds(Date.now() - started)}: ${urls.join(', ')} inside the lab`);
  progress.info('next: npm run lab:status, npm run lab:ssh -- balancer1, npm test');
  return 0;
}
