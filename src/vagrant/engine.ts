import { existsSync } from 'node:fs';
import { LabError } from '../errors.js';
import { onPath } from '../host/packages.js';
import { missingLibvirtPackages } from '../libvirt/host.js';
import { isRoot } from '../util/paths.js';

/** What runs Vagrant's VMs: VirtualBox (students' laptops) or libvirt (Linux: KVM, or qemu's emulation). */
export type VagrantEngineName = 'virtualbox' | 'libvirt';

export interface VagrantEngineChoice {
  name: VagrantEngineName;
  /** Said to the user, as the provider choice is. */
  reason: string;
}

/**
 * VAGRANT_DEFAULT_PROVIDER (Vagrant's own setting) wins; then VirtualBox where it is installed;
 * then libvirt on a Linux host that has it or can install it (root with apt); else VirtualBox,
 * whose preflight says what to install.
 */
export function chooseVagrantEngine(options: { env?: string; platform: NodeJS.Platform; virtualBoxInstalled: boolean; libvirtReady: boolean; libvirtInstallable: boolean }): VagrantEngineChoice {
  if (options.env) {
    if (options.env !== 'virtualbox' && options.env !== 'libvirt') {
      throw new LabError('USAGE', `VAGRANT_DEFAULT_PROVIDER must be virtualbox or libvirt for this lab, not "${options.env}"`);
    }
    return { name: options.env, reason: 'chosen with VAGRANT_DEFAULT_PROVIDER' };
  }
  if (options.virtualBoxInstalled) return { name: 'virtualbox', reason: 'VirtualBox is installed (VAGRANT_DEFAULT_PROVIDER=libvirt uses libvirt)' };
  if (options.platform === 'linux' && (options.libvirtReady || options.libvirtInstallable)) {
    return { name: 'libvirt', reason: `no VirtualBox here; libvirt ${options.libvirtReady ? 'is installed' : 'is installed on the first lab:up (apt-get)'}` };
  }
  return { name: 'virtualbox', reason: 'the default (VirtualBox), and libvirt cannot be used here' };
}

/** The choice on this host. */
export function hostVagrantEngine(): VagrantEngineChoice {
  return chooseVagrantEngine({
    env: process.env.VAGRANT_DEFAULT_PROVIDER || undefined,
    platform: process.platform,
    virtualBoxInstalled: onPath('VBoxManage'),
    libvirtReady: process.platform === 'linux' && missingLibvirtPackages().length === 0,
    libvirtInstallable: isRoot() && existsSync('/usr/bin/apt-get'),
  });
}
