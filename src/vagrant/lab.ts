import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { LabError } from '../errors.js';
import { writeLabMeta, type LabMeta, type LabPaths } from '../lab/state.js';
import type { MachineState } from '../parse/vagrant-machine-readable.js';
import type { CpuPriority } from '../provider/provider.js';
import type { LabSpec } from '../spec/types.js';
import type { Progress } from '../util/progress.js';
import { vagrantPreflight } from '../doctor/vagrant-checks.js';
import { libvirtChecks } from '../doctor/libvirt-checks.js';
import { problemsOf } from '../doctor/check.js';
import { labVagrantEnvironment, vagrantChecked, vagrantSshConfig, vagrantStatus } from './cli.js';
import { createdMachines, stopStrayVagrant } from './leftovers.js';
import { nodeAccessFromSshConfig } from './node-access.js';
import { writeNodeFiles } from './node-files.js';
import { hostVagrantEngine } from './engine.js';
import { prepareLibvirtLab } from '../libvirt/start.js';

/** Vagrant's progress lines ("==> balancer1: Booting VM...") shown under the running step. */
function showVagrantLine(progress: Progress): (line: string) => void {
  return (line) => {
    // vagrant-libvirt lists each domain's settings ("==> balancer1:  -- Memory: 384M"): left out.
    if (/^==> \S+:\s+-- /.test(line)) return;
    if (line.startsWith('==>') || /^\s+\S+: (Running|Booting|Importing|Waiting|Machine booted|Configuring|Setting hostname)/.test(line)) progress.info(`    ${line.trim()}`);
  };
}

/**
 * Creates the lab's VirtualBox machines with `vagrant up` (the Vagrantfile provisions them with the
 * node files written here), then records how to reach each over SSH. The lab's state is written
 * before the first VM exists, so lab:down can destroy the VMs after any crash.
 */
export async function startVagrantLab(spec: LabSpec, paths: LabPaths, files: Map<string, Record<string, string>>, progress: Progress, priority?: CpuPriority): Promise<LabMeta> {
  const engine = hostVagrantEngine();
  progress.info(`vagrant engine: ${engine.name} (${engine.reason})`);
  const problems = engine.name === 'virtualbox' ? await vagrantPreflight(spec) : problemsOf(await libvirtChecks(spec));
  if (problems.length > 0) {
    throw new LabError('VAGRANT_NOT_READY', `the vagrant provider cannot run here:\n${problems.map((problem) => `  ✗ ${problem.what} — fix: ${problem.fix}`).join('\n')}`, {
      hint: 'fix the lines above, then check again with: npm run lab:doctor -- --provider vagrant',
    });
  }
  mkdirSync(paths.dir, { recursive: true });
  if (engine.name === 'libvirt') await prepareLibvirtLab(spec, paths, progress, priority);
  const environment = labVagrantEnvironment(paths);
  copyFileSync(spec.sourcePath, paths.vagrantSpec);
  writeNodeFiles(paths.vagrantNodeFiles, files);
  const meta: LabMeta = { name: spec.name, provider: 'vagrant', spec, createdAt: new Date().toISOString(), nodes: [] };
  writeLabMeta(paths, meta);
  await progress.step(`vagrant up: booting and provisioning ${spec.nodes.map((node) => node.name).join(', ')} in ${engine.name === 'libvirt' ? 'libvirt' : 'VirtualBox'}`, () =>
    // --provision: machines that exist already (a resumed lab) get the current configuration too.
    vagrantChecked(environment, ['up', '--provider', engine.name, '--provision'], showVagrantLine(progress)),
  );
  meta.nodes = nodeAccessFromSshConfig(spec, await vagrantSshConfig(environment));
  writeLabMeta(paths, meta);
  return meta;
}

/** Re-applies the configuration to a running Vagrant lab: new node files, `vagrant provision`. */
export async function reprovisionVagrantLab(spec: LabSpec, paths: LabPaths, files: Map<string, Record<string, string>>, progress: Progress): Promise<void> {
  writeNodeFiles(paths.vagrantNodeFiles, files);
  await progress.step(`vagrant provision: ${spec.nodes.map((node) => node.name).join(', ')}`, () =>
    vagrantChecked(labVagrantEnvironment(paths), ['provision'], showVagrantLine(progress)),
  );
}

/**
 * Destroys the lab's VMs, after stopping any vagrant process still working on them. Returns false
 * when Vagrant had made none. Throws, leaving Vagrant's records in place, when destroying fails.
 */
export async function destroyVagrantLab(paths: LabPaths, progress: Progress): Promise<boolean> {
  if (!existsSync(paths.vagrantSpec) && !existsSync(paths.vagrantDotfile)) return false; // not a Vagrant lab
  await stopStrayVagrant(paths.vagrantDotfile);
  const machines = createdMachines(paths.vagrantDotfile);
  if (machines.length === 0) return false;
  if (!existsSync(paths.vagrantSpec)) {
    throw new LabError('STATE_CORRUPT', `the lab's copy of its spec (${paths.vagrantSpec}) is gone, so Vagrant cannot name its machines (${machines.join(', ')})`, {
      hint: `destroy them by hand: VAGRANT_DOTFILE_PATH=${paths.vagrantDotfile} LAB_SPEC=<the spec> vagrant destroy -f, then npm run lab:down`,
    });
  }
  await vagrantChecked(labVagrantEnvironment(paths), ['destroy', '-f'], showVagrantLine(progress));
  return true;
}

export async function vagrantMachineStates(paths: LabPaths): Promise<MachineState[]> {
  return vagrantStatus(labVagrantEnvironment(paths));
}
