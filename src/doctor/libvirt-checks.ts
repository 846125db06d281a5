import { cachedLibvirtBoxKernel } from '../box/libvirt-box.js';
import { kvmWorks, missingLibvirtPackages } from '../libvirt/host.js';
import type { LabSpec } from '../spec/types.js';
import { isRoot } from '../util/paths.js';
import { vagrantMachinePlan } from '../vagrant/machine-plan.js';
import { type Check, note, ok, problem } from './check.js';
import { availableMemoryMb } from './memory.js';

/**
 * What qemu takes beside a VM's memory: its translation cache under software emulation (measured
 * here: see README, "libvirt"), a little with KVM.
 */
export const qemuOverheadMb = { kvm: 128, qemu: 1280 };

/** Everything a Vagrant lab on libvirt needs of the host, one line each. */
export async function libvirtChecks(spec: LabSpec, platform: NodeJS.Platform = process.platform): Promise<Check[]> {
  if (platform !== 'linux') return [problem(`libvirt labs run on Linux only (this is ${platform})`, 'use VirtualBox: unset VAGRANT_DEFAULT_PROVIDER')];
  const checks: Check[] = [];
  checks.push(isRoot() ? ok('root: the lab runs its own libvirt daemon in namespaces of its own') : problem('a libvirt lab needs root (its own libvirtd, network and mount namespaces)', 'run as root: sudo npm run lab:up -- --provider vagrant'));
  const missing = missingLibvirtPackages();
  checks.push(
    missing.length === 0
      ? ok('packages: vagrant, vagrant-libvirt, libvirt, qemu and dnsmasq are installed')
      : isRoot()
        ? note(`packages ${missing.join(', ')} are missing: lab:up installs them (apt-get --no-install-recommends)`)
        : problem(`packages ${missing.join(', ')} are missing`, `as root: apt-get install --no-install-recommends ${missing.join(' ')}`),
  );
  const kernel = cachedLibvirtBoxKernel();
  const kvm = kernel !== undefined && (await kvmWorks(kernel));
  checks.push(
    kvm
      ? ok('KVM: the box boots with /dev/kvm, the VMs run at native speed')
      : note(kernel ? "KVM does not run the box here: qemu's software emulation (TCG), each VM boots in about a minute" : 'KVM: tried at the first lab:up, once the box is built'),
  );
  const machines = vagrantMachinePlan(spec);
  const perVm = kvm ? qemuOverheadMb.kvm : qemuOverheadMb.qemu;
  const needMb = machines.reduce((sum, machine) => sum + machine.memoryMb + perVm, 0);
  const freeMb = availableMemoryMb();
  const what = `memory: ${needMb} MiB needed (${machines.length} VMs, each its memory + ${perVm} for qemu), ${freeMb} MiB available`;
  checks.push(freeMb >= needMb ? ok(what) : problem(what, 'close other programs, or run fewer labs at once'));
  return checks;
}
