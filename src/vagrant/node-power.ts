import type { LabPaths } from '../lab/state.js';
import type { NodePowerAction } from '../provider/provider.js';
import { labVagrantEnvironment, vagrantChecked } from './cli.js';

/**
 * The vagrant command for each power action on one machine. `halt --force` pulls the plug (no
 * guest shutdown); `suspend`/`resume` pause the VM (VirtualBox saves its state, libvirt pauses it);
 * `up --no-provision` boots it again, the engine provisions it over SSH afterwards.
 */
export function vagrantPowerArgs(node: string, action: NodePowerAction): string[] {
  switch (action) {
    case 'kill':
      return ['halt', '--force', node];
    case 'boot':
      return ['up', '--no-provision', node];
    case 'freeze':
      return ['suspend', node];
    case 'thaw':
      return ['resume', node];
  }
}

export async function powerVagrantNode(paths: LabPaths, node: string, action: NodePowerAction): Promise<void> {
  await vagrantChecked(labVagrantEnvironment(paths), vagrantPowerArgs(node, action));
}
