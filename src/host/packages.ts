import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.js';
import { run, runChecked } from '../util/run.js';
import { isRoot } from '../util/paths.js';
import type { Progress } from '../util/progress.js';

/** A host program the uml provider needs, and the Debian package that ships it. */
interface Requirement {
  program: string;
  pkg: string;
  /** Only needed to build the node image (root only). */
  forBuild?: boolean;
}

const requirements: Requirement[] = [
  { program: 'linux.uml', pkg: 'user-mode-linux' },
  { program: 'ip', pkg: 'iproute2' },
  { program: 'unshare', pkg: 'util-linux' },
  { program: 'nsenter', pkg: 'util-linux' },
  { program: 'mmdebstrap', pkg: 'mmdebstrap', forBuild: true },
  { program: 'mkfs.ext4', pkg: 'e2fsprogs', forBuild: true },
];

/** True when the program is on the PATH (or in the sbin folders a non-login root shell may lack). */
export function onPath(program: string): boolean {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin']);
  return dirs.some((dir) => {
    try {
      accessSync(path.join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export function missingPackages(options: { build: boolean }): string[] {
  const missing = requirements.filter((req) => (options.build || !req.forBuild) && !onPath(req.program)).map((req) => req.pkg);
  return [...new Set(missing)];
}

/**
 * Makes sure the host has what the uml provider runs. As root on an apt-based host it installs what
 * is missing; otherwise it stops with the exact command to run.
 */
export async function ensureHostPackages(progress: Progress, options: { build: boolean }): Promise<void> {
  const missing = missingPackages(options);
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
    throw new LabError('HOST_PACKAGES_MISSING', `this host lacks the packages ${missing.join(', ')}`, {
      hint: existsSync('/usr/bin/apt-get') ? `run as root: ${command}` : `install ${missing.join(', ')} with your distribution's package manager`,
    });
  }
  await progress.step(`installing host packages: ${missing.join(' ')}`, () => aptInstall(missing));
}

/** Installs Debian packages with apt-get (root), updating the package lists first if that is what it takes. */
export async function aptInstall(packages: string[], options: { noRecommends?: boolean } = {}): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another install (a second lab:up, the host's own) holds dpkg's lock: wait for it instead of failing.
  const waitForLock = ['-o', 'DPkg::Lock::Timeout=300'];
  const install = [...waitForLock, 'install', '-y', '-q', ...(options.noRecommends ? ['--no-install-recommends'] : []), ...packages];
  let result = await run('apt-get', install, { env });
  if (result.code !== 0) {
    // A fresh machine may have no package lists yet.
    await runChecked('apt-get', [...waitForLock, 'update', '-q'], { env });
    result = await run('apt-get', install, { env });
  }
  if (result.code !== 0) {
    throw new LabError('HOST_PACKAGES_FAILED', `apt-get could not install ${packages.join(' ')}:\n${result.stderr.trim().split('\n').slice(-6).join('\n')}`, {
      hint: `check the host's apt sources, then run: apt-get ${install.join(' ')}`,
    });
  }
}

/** Why this host cannot give the lab user namespaces, with the fix; empty when it can. */
export function userNamespaceProblems(): { message: string; fix: string }[] {
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);
  const problems: { message: string; fix: string }[] = [];
  if (read('/proc/sys/user/max_user_namespaces') === '0') {
    problems.push({ message: 'user namespaces are disabled on this host (user.max_user_namespaces = 0)', fix: 'as root: sysctl -w user.max_user_namespaces=15000' });
  }
  if (!isRoot() && read('/proc/sys/kernel/unprivileged_userns_clone') === '0') {
    problems.push({
      message: 'this kernel does not allow unprivileged user namespaces (kernel.unprivileged_userns_clone = 0)',
      fix: 'as root: sysctl -w kernel.unprivileged_userns_clone=1, or run the lab as root',
    });
  }
  if (!isRoot() && read('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === '1') {
    problems.push({
      message: 'AppArmor restricts unprivileged user namespaces on this host',
      fix: 'as root: sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or run the lab as root',
    });
  }
  return problems;
}

/** Running a lab needs user namespaces; some distributions switch them off for unprivileged users. */
export function checkUserNamespaces(): void {
  const [first] = userNamespaceProblems();
  if (first) throw new LabError('USERNS_DISABLED', first.message, { hint: first.fix });
}
