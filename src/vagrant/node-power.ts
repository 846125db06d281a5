import type { LabPaths } from '../lab/state.js';
import type { NodePowerAction } from '../provider/provider.js';
import { libvirtEngineOf, type LibvirtEngine } from '../libvirt/engine.js';
import { runChecked } from '../util/run.js';
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

/**
 * On libvirt, pulling the plug, pausing and resuming go straight to the lab's libvirtd (virsh, tens
 * of milliseconds), where a vagrant command spends seconds starting Ruby before it acts: a fault
 * timed from its start would add them to the takeover. Booting stays Vagrant's (`up`).
 */
function virshPowerArgs(engine: LibvirtEngine, node: string, action: Exclude<NodePowerAction, 'boot'>): string[] {
  const verb = { kill: 'destroy', freeze: 'suspend', thaw: 'resume' }[action];
  return ['-q', '-c', `qemu:///system?socket=${engine.plan.libvirtSocket}`, verb, `${engine.prefix}${node}`];
}

/**
 * Returns when the act reached the VM: a command's end (Vagrant's and virsh's both act last); for a
 * boot, undefined (it is timed from its start, as on uml: `vagrant up` returns once the VM answers).
 */
export async function powerVagrantNode(paths: LabPaths, node: string, action: NodePowerAction): Promise<number | undefined> {
  if (action === 'boot') {
    await vagrantChecked(labVagrantEnvironment(paths), vagrantPowerArgs(node, action));
    return undefined;
  }
  const libvirt = libvirtEngineOf(paths);
  if (libvirt) await runChecked('virsh', virshPowerArgs(libvirt, node, action));
  else await vagrantChecked(labVagrantEnvironment(paths), vagrantPowerArgs(node, action));
  return Date.now();
}
