import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorExit, parseMachineReadable } from '../parse/vagrant-machine-readable.js';
import type { LabSpec } from '../spec/types.js';
import { parseCidr } from '../spec/ipv4.js';
import { projectRoot } from '../util/paths.js';
import { run } from '../util/run.js';
import { vagrant } from '../vagrant/cli.js';
import { vagrantBox, vagrantMachinePlan } from '../vagrant/machine-plan.js';
import { hostVagrantEngine } from '../vagrant/engine.js';
import { libvirtChecks } from './libvirt-checks.js';
import { type Check, note, ok, problem, problemsOf } from './check.js';
import { availableMemoryMb } from './memory.js';
import { allowedHostOnlyRanges, hasHostOnlyRangeRule, networksConfFix, networksConfPath, subnetAllowed } from './vbox-networks.js';

/** The first line of a program's --version, or undefined when it is not installed. */
async function versionOf(command: string, args: string[]): Promise<string | undefined> {
  try {
    const result = await run(command, args, { timeoutMs: 30_000 });
    return result.code === 0 ? result.stdout.trim().split('\n')[0] : undefined;
  } catch {
    return undefined;
  }
}

/** VBoxManage is not on the PATH after a Windows install; the installer records its folder. */
function vboxManageCommand(): string {
  const folder = process.env.VBOX_MSI_INSTALL_PATH ?? process.env.VBOX_INSTALL_PATH;
  return process.platform === 'win32' && folder ? path.join(folder, 'VBoxManage.exe') : 'VBoxManage';
}

/**
 * Vagrant knows which VirtualBox releases it supports (a newer VirtualBox needs a newer Vagrant), so
 * ask it: evaluate the Vagrantfile with the virtualbox provider in a throw-away machine-state folder.
 */
async function vagrantAcceptsVirtualBox(spec: LabSpec): Promise<string | undefined> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'failover-lab-doctor-'));
  try {
    const environment = { cwd: projectRoot, dotfilePath: scratch, specPath: spec.sourcePath, nodeFiles: scratch, defaultProvider: 'virtualbox' };
    const result = await vagrant(environment, ['status', '--machine-readable']);
    if (result.code === 0) return undefined;
    const message = errorExit(parseMachineReadable(result.stdout))?.message ?? result.stderr;
    // Vagrant's message opens with a generic paragraph; the reason (with the releases it supports) follows.
    const reason = message.split(/reason is shown below:/)[1] ?? message;
    return reason.replace(/\s+/g, ' ').trim();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The box is an x86-64 Debian: VirtualBox runs it only on an x86-64 host (not on Apple silicon Macs). */
export function cpuCheck(platform: NodeJS.Platform, arch: string): Check | undefined {
  if (arch === 'x64') return undefined;
  const host = platform === 'darwin' && arch === 'arm64' ? 'a Mac with Apple silicon' : `a host with an ${arch} CPU`;
  return problem(
    `this is ${host}: VirtualBox cannot run the x86-64 box ${vagrantBox} here`,
    'run the lab on an x86-64 machine: Windows, an Intel Mac, or Linux (where the uml provider needs no VirtualBox at all)',
  );
}

/** Everything the vagrant provider needs of the host with the engine it would use here, one line each. */
export async function vagrantChecks(spec: LabSpec, platform: NodeJS.Platform = process.platform, arch: string = process.arch): Promise<Check[]> {
  const engine = hostVagrantEngine();
  const checks = engine.name === 'libvirt' ? await libvirtChecks(spec, platform) : await virtualBoxChecks(spec, platform, arch);
  return [note(`engine: ${engine.name} (${engine.reason})`), ...checks];
}

/** Everything Vagrant on VirtualBox needs of the host. */
async function virtualBoxChecks(spec: LabSpec, platform: NodeJS.Platform, arch: string): Promise<Check[]> {
  const checks: Check[] = [];
  const hostCheck = cpuCheck(platform, arch);
  if (hostCheck) checks.push(hostCheck);
  const vagrantVersion = await versionOf('vagrant', ['--version']);
  checks.push(
    vagrantVersion
      ? ok(vagrantVersion)
      : problem('Vagrant is not installed (no vagrant on the PATH)', 'install Vagrant: Debian/Ubuntu apt-get install vagrant, macOS/Windows the installer from the Vagrant downloads page'),
  );
  const vboxVersion = await versionOf(vboxManageCommand(), ['--version']);
  checks.push(
    vboxVersion
      ? ok(`VirtualBox ${vboxVersion}`)
      : problem('VirtualBox is not installed (no VBoxManage found)', 'install VirtualBox 7.0 (or a release your Vagrant supports) from Oracle\'s downloads page; it needs hardware virtualization (VT-x/AMD-V) enabled'),
  );
  if (vagrantVersion && vboxVersion) {
    const refusal = await vagrantAcceptsVirtualBox(spec);
    checks.push(
      refusal
        ? problem(`Vagrant refuses VirtualBox ${vboxVersion}: ${refusal}`, 'install a Vagrant release that supports this VirtualBox, or a VirtualBox release this Vagrant lists')
        : ok('Vagrant accepts this VirtualBox and the Vagrantfile'),
    );
  }

  // The host-only network rule of VirtualBox >= 6.1.28 (assumed for a VirtualBox not installed yet).
  const subnet = parseCidr(`${spec.lab.subnet}/${spec.lab.prefix}`, true);
  if (platform !== 'win32' && subnet && (!vboxVersion || hasHostOnlyRangeRule(vboxVersion))) {
    const fileExists = existsSync(networksConfPath);
    const ranges = allowedHostOnlyRanges(fileExists ? readFileSync(networksConfPath, 'utf8') : undefined);
    const cidr = `${spec.lab.subnet}/${spec.lab.prefix}`;
    checks.push(
      subnetAllowed(subnet, ranges)
        ? ok(`host-only network ${cidr} is allowed by ${fileExists ? networksConfPath : "VirtualBox's default range"}`)
        : problem(
            `the lab network ${cidr} is outside the host-only ranges VirtualBox allows (${ranges.join(', ') || 'none'}${fileExists ? `, from ${networksConfPath}` : ', its default'})`,
            `${networksConfFix(subnet, fileExists)} (or move networks.lab in ${spec.sourcePath} into an allowed range)`,
          ),
    );
  }

  const machines = vagrantMachinePlan(spec);
  const needMb = machines.reduce((sum, machine) => sum + machine.memoryMb, 0) + 512;
  const freeMb = availableMemoryMb();
  checks.push(
    freeMb >= needMb
      ? ok(`memory: ${needMb} MiB needed (${machines.length} VMs + 512 for VirtualBox), ${freeMb} MiB available`)
      : problem(`memory: ${needMb} MiB needed (${machines.length} VMs + 512 for VirtualBox), only ${freeMb} MiB available`, 'close other programs (browsers, IDEs) before lab:up'),
  );
  return checks;
}

/** The problems that stop `lab:up --provider vagrant` before any VM is made. */
export async function vagrantPreflight(spec: LabSpec): Promise<Check[]> {
  return problemsOf(await vagrantChecks(spec));
}
