import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { LabError } from '../errors.js';
import { findProcesses, ownPidNamespace, pidNamespaceOf, processAlive, processesInNamespaces } from '../util/procfs.js';
import { sandboxConnection } from '../lab/sandbox-connection.js';
import type { LibvirtPlan } from './plan.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const holderScript = path.join(here, 'holder-main.js');

/**
 * The lab's libvirt configuration: the system's (drivers, defaults) with qemu run as root, no
 * security driver, no cgroups (no systemd here, and the namespace is the boundary), logs to files
 * (no virtlogd), and no network started by itself (libvirt's default NAT would be a way out).
 */
function writeLabConfig(plan: LibvirtPlan): void {
  const etc = plan.binds.find((bind) => bind.system === '/etc/libvirt')!.lab;
  // A lab started again (its VMs stopped with the daemon) keeps its definitions: the domains,
  // networks and pool Vagrant made are in this folder, their disks in the pool's.
  if (existsSync(path.join(etc, 'qemu.conf'))) return;
  cpSync('/etc/libvirt', etc, { recursive: true });
  const autostart = path.join(etc, 'qemu', 'networks', 'autostart');
  if (existsSync(autostart)) for (const link of readdirSync(autostart)) rmSync(path.join(autostart, link), { force: true });
  appendFileSync(
    path.join(etc, 'qemu.conf'),
    ['', '# failover-lab: this lab\'s own daemon, in the lab\'s namespaces', 'user = "root"', 'group = "root"', 'security_driver = "none"', 'cgroup_controllers = [ ]', 'stdio_handler = "file"', ''].join('\n'),
  );
}

function holderProcesses(plan: LibvirtPlan): number[] {
  return findProcesses((read) => {
    const argv = read('cmdline');
    return argv.includes(holderScript) && argv.includes(path.join(plan.dir, 'plan.json'));
  }).filter(processAlive);
}

export function libvirtDaemonRunning(plan: LibvirtPlan): boolean {
  return holderProcesses(plan).length > 0;
}

/**
 * Starts the lab's libvirtd in new namespaces and returns once it answers on the control socket.
 * `commandPrefix` puts it in the lab's cgroups first: libvirt manages no cgroups here, so its VMs stay in them.
 */
export async function startLibvirtDaemon(plan: LibvirtPlan, commandPrefix: string[], timeoutMs = 60_000): Promise<void> {
  if (libvirtDaemonRunning(plan)) return;
  mkdirSync(plan.dir, { recursive: true });
  writeLabConfig(plan);
  const planFile = path.join(plan.dir, 'plan.json');
  writeFileSync(planFile, `${JSON.stringify(plan, null, 2)}\n`);
  const logFile = path.join(plan.dir, 'holder.log');
  // Appended to (a lab started again keeps its first holder's words): read only what this one writes.
  const from = existsSync(logFile) ? statSync(logFile).size : 0;
  const out = openSync(logFile, 'a');
  // bash is init of the namespaces, the holder its child: qemu daemonizes, and its orphaned
  // processes are reaped by bash (node reaps only what it spawned). When the holder ends, so does bash.
  const init = `"$0" "$1" "$2" & wait $!`;
  const [command = 'unshare', ...prefixArgs] = [...commandPrefix, 'unshare'];
  const child = spawn(command, [...prefixArgs, '--net', '--pid', '--mount', '--propagation', 'private', '--fork', '--kill-child', 'bash', '-c', init, process.execPath, holderScript, planFile], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  closeSync(out);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = existsSync(logFile) ? readFileSync(logFile).subarray(from).toString('utf8') : '';
    if (text.includes('control socket ready')) return;
    const failed = /holder failed: (.*)/.exec(text)?.[1];
    if (failed || child.exitCode !== null || Date.now() > deadline) {
      await stopLibvirtDaemon(plan);
      throw new LabError('LIBVIRT_START', `the lab's libvirt daemon did not start: ${failed ?? (child.exitCode !== null ? `its holder exited (${child.exitCode})` : `no answer within ${timeoutMs / 1000} s`)}`, {
        hint: `read ${logFile} and ${path.join(plan.dir, 'libvirtd.log')}; npm run lab:doctor -- --provider vagrant checks libvirt`,
      });
    }
    await sleep(200);
  }
}

/**
 * Ends the holder: the kernel then ends libvirtd, its dnsmasq and every VM of the lab. Returns once
 * the lab's PID namespace is empty: an exiting process's command line reads empty, so the holder
 * alone is no sign that a qemu still tearing down gigabytes of guest memory is gone.
 */
export async function stopLibvirtDaemon(plan: LibvirtPlan, timeoutMs = 30_000): Promise<number> {
  const pids = holderProcesses(plan);
  const namespaces = new Set(pids.map((pid) => pidNamespaceOf(pid)).filter((ns): ns is string => ns !== undefined && ns !== ownPidNamespace()));
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (holderProcesses(plan).length > 0 || processesInNamespaces(namespaces).length > 0) {
    if (Date.now() > deadline) throw new LabError('SANDBOX_STUCK', `the libvirt holder of lab ${plan.lab} did not exit within ${timeoutMs / 1000} s`, { hint: `find it with: pgrep -af ${plan.dir}` });
    await sleep(100);
  }
  return pids.length;
}

/** A TCP stream opened from inside the lab's network namespace (to a VM's SSH, or the VIP). */
export function libvirtConnection(plan: LibvirtPlan, host: string, port: number): Promise<net.Socket> {
  return sandboxConnection(plan.controlSocket, `the libvirt sandbox of lab ${plan.lab}`, { op: 'connect', host, port });
}

/** The PID of the holder (init of the lab's namespaces), for commands run inside with nsenter. */
export function libvirtHolderPid(plan: LibvirtPlan): number {
  // unshare itself matches too (its argv holds the holder's); the holder is its child, in the new namespaces.
  const pids = holderProcesses(plan);
  const inner = pids.find((pid) => !readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('unshare'));
  if (inner === undefined) throw new LabError('SANDBOX_UNREACHABLE', `the libvirt sandbox of lab ${plan.lab} is not running`, { hint: 'start it again: npm run lab:up -- --provider vagrant' });
  return inner;
}
