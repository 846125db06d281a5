import { ensureBoxImage } from '../../box/image.js';
import { ensureLibvirtBox } from '../../box/libvirt-box.js';
import { ensureLibvirtPackages } from '../../libvirt/host.js';
import { ensureHostPackages } from '../../host/packages.js';
import { createProgress } from '../../util/progress.js';
import type { CommandLine } from '../command-line.js';

export async function image(cli: CommandLine): Promise<number> {
  const progress = createProgress();
  if (cli.options.provider === 'vagrant') {
    // The libvirt box (Vagrant's VirtualBox labs use the public box).
    await ensureLibvirtPackages(progress);
    const box = await ensureLibvirtBox(progress, { rebuild: cli.options.rebuild });
    progress.info(`libvirt box: ${box.name} in ${box.vagrantHome}${box.built ? '' : ' (cached)'}`);
    return 0;
  }
  await ensureHostPackages(progress, { build: true });
  const box = await ensureBoxImage(progress, { rebuild: cli.options.rebuild });
  progress.info(`node image: ${box.path}${box.built ? '' : ' (cached)'}`);
  return 0;
}
