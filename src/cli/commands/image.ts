import { ensureBoxImage } from '../../box/image.js';
import { ensureHostPackages } from '../../host/packages.js';
import { createProgress } from '../../util/progress.js';
import type { CommandLine } from '../command-line.js';

export async function image(cli: CommandLine): Promise<number> {
  const progress = createProgress();
  await ensureHostPackages(progress, { build: true });
  const box = await ensureBoxImage(progress, { rebuild: cli.options.rebuild });
  progress.info(`node image: ${box.path}${box.built ? '' : ' (cached)'}`);
  return 0;
}
