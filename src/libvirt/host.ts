import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync } from 'node:fs';
import { LabError } from '../errors.js';
import { aptInstall, onPath } from '../host/packages.js';
import { isRoot } from '../util/paths.js';
import type { Progress } from '../util/progress.js';

/** What a libvirt lab runs on the host: program → the Debian package that ships it. */
const requirements: { program: string; pkg: string }[] = [
  { program: 'vagrant', pkg: 'vagrant' },
  { program: 'libvirtd', pkg: 'libvirt-daemon-system' },
  { program: 'virsh', pkg: 'libvirt-clients' },
  { program: 'qemu-system-x86_64', pkg: 'qemu-system-x86' },
  { program: 'qemu-img', pkg: 'qemu-utils' },
  // libvirt's DHCP on Vagrant's management network; not pulled in without recommends.
  { program: 'dnsmasq', pkg: 'dnsmasq-base' },
  { program: 'nsenter', pkg: 'util-linux' },
  { program: 'mmdebstrap', pkg: 'mmdebstrap' },
  { program: 'mkfs.ext4', pkg: 'e2fsprogs' },
];

/** Debian's vagrant-libvirt registers itself as a system plugin of Debian's vagrant. */
function vagrantLibvirtInstalled(): boolean {
  const gems = '/usr/share/rubygems-integration/all/gems';
  return existsSync(gems) && readdirSync(gems).some((name) => name.startsWith('vagrant-libvirt-'));
}

export function missingLibvirtPackages(): string[] {
  const missing = requirements.filter((req) => !onPath(req.program)).map((req) => req.pkg);
  if (!vagrantLibvirtInstalled()) missing.push('vagrant-libvirt');
  return [...new Set(missing)];
}

/** Installs what a libvirt lab lacks (root on an apt host), or says the command. */
export async function ensureLibvirtPackages(progress: Progress): Promise<void> {
  const missing = missingLibvirtPackages();
  if (missing.length === 0) return;
  if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
    throw new LabError('HOST_PACKAGES_MISSING', `the libvirt provider needs the packages ${missing.join(', ')}`, {
      hint: existsSync('/usr/bin/apt-get') ? `run as root: apt-get install --no-install-recommends ${missing.join(' ')}` : `install ${missing.join(', ')} with your distribution's package manager`,
    });
  }
  // Without recommends: libvirt's recommends would bring a whole desktop's worth of services.
  await progress.step(`installing host packages: ${missing.join(' ')}`, () => aptInstall(missing, { noRecommends: true }));
}

/**
 * Whether qemu can run a VM with KVM here: /dev/kvm opens, and the box's kernel, booted with KVM,
 * prints its banner within a few seconds. Seen here: /dev/kvm opens and creates VMs, but qemu
 * aborts setting a vCPU's MSRs (host-model CPU) or runs nothing at all (qemu64).
 */
export async function kvmWorks(kernel: string, timeoutMs = 8_000): Promise<boolean> {
  const known = kvmVerdicts.get(kernel);
  if (known !== undefined) return known;
  const works = await bootsWithKvm(kernel, timeoutMs);
  kvmVerdicts.set(kernel, works);
  return works;
}

/** One probe per process: lab:up asks in its preflight and again for the driver. */
const kvmVerdicts = new Map<string, boolean>();

async function bootsWithKvm(kernel: string, timeoutMs: number): Promise<boolean> {
  try {
    closeSync(openSync('/dev/kvm', 'r+'));
  } catch {
    return false;
  }
  const args = ['-accel', 'kvm', '-m', '128', '-display', 'none', '-nodefaults', '-no-reboot', '-serial', 'stdio', '-kernel', kernel, '-append', 'console=ttyS0 panic=-1'];
  const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve) => {
    let output = '';
    const done = (works: boolean) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(works);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('latin1');
      if (output.includes('Linux version')) done(true);
    });
    child.on('error', () => done(false));
    child.on('exit', () => done(output.includes('Linux version')));
  });
}
