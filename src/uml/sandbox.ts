import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { LabError } from '../errors.js';
import type { LabPaths } from '../lab/state.js';
import type { CpuLimit } from '../host/cpu-limit.js';
import type { HolderRequest, HolderStatus, NodeProcessStatus } from './holder-protocol.js';
import type { SandboxPlan } from './plan.js';
import { sandboxConnection } from '../lab/sandbox-connection.js';
import { isRoot } from '../util/paths.js';
import { findProcesses, ownPidNamespace, pidNamespaceOf, processAlive, processesInNamespaces } from '../util/procfs.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The holder and the modules it imports (node: only besides these), copied next to each other. */
const holderModules = ['holder-main.js', 'holder-root.js', 'control-socket.js', 'lab-networks.js', 'console-log.js', 'link-kick.js'];

/**
 * Who runs the sandbox when the orchestrator is root: never root itself. uml's hostfs is built into
 * the kernel, so root in a node can mount any host file the uml process may read; run as nobody,
 * a node (and a student's vrrp_script in it) sees only what every user may see.
 */
export function sandboxUid(): number | undefined {
  if (!isRoot()) return undefined; // unprivileged already
  return Number(process.env.FAILOVER_LAB_SANDBOX_UID ?? 65534);
}

/** Prepares the part of the state directory the sandbox writes, owned by the user it runs as. */
function prepareSandboxDir(paths: LabPaths, plan: SandboxPlan, uid: number | undefined): void {
  for (const dir of [paths.sandbox, paths.umlDir, paths.sandboxRoot, ...plan.nodes.map((node) => path.dirname(node.consoleLog))]) mkdirSync(dir, { recursive: true });
  // The holder runs from a copy in the state directory: it must be readable by the sandbox's user
  // wherever the checkout lives (it imports nothing but node: and its sibling modules).
  for (const module of holderModules) {
    const target = path.join(path.dirname(paths.holderScript), module);
    copyFileSync(path.join(here, module), target);
    chmodSync(target, 0o644);
  }
  if (uid !== undefined) {
    // The sandbox's user must reach its directory: the lab's directory and the state root above it
    // are the project's own, so they are opened for traversal (what they hold stays root's).
    const stateRoot = path.dirname(paths.dir);
    for (const dir of [paths.dir, stateRoot, ...(path.basename(path.dirname(stateRoot)) === 'failover-lab' ? [path.dirname(stateRoot)] : [])]) chmodSync(dir, 0o755);
    const chown = (target: string) => chownSync(target, uid, uid);
    chown(paths.sandbox);
    chown(paths.umlDir);
    chown(paths.sandboxRoot);
    for (const node of plan.nodes) {
      chown(path.dirname(path.dirname(node.consoleLog)));
      chown(path.dirname(node.consoleLog));
    }
  }
}

/**
 * The sandbox's environment: the system's program folders only. The caller's PATH may name folders
 * the sandbox's user cannot enter (root's home, a test's private bin), and nothing of the caller's
 * environment has any business inside a lab.
 */
function sandboxEnvironment(): NodeJS.ProcessEnv {
  return { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };
}

/** The sandbox runs this Node.js binary as its user: it must be able to reach it (not e.g. under /root/.nvm). */
function checkNodeReachable(uid: number | undefined): void {
  if (uid === undefined) return;
  const blocked = pathClosedToOthers(process.execPath);
  if (blocked) {
    throw new LabError('SANDBOX_NODE_UNREACHABLE', `the lab sandbox runs as uid ${uid} and cannot reach Node.js at ${process.execPath}: ${blocked} is closed to other users`, {
      hint: 'install Node.js system-wide (e.g. Debian\'s nodejs, or under /usr/local), or open that folder with chmod o+x',
    });
  }
}

/** The first folder on the way to the file (or the file itself) that other users may not pass or run. */
function pathClosedToOthers(file: string): string | undefined {
  const real = realpathSync(file);
  const parts = real.split('/').filter(Boolean);
  for (let depth = 1; depth <= parts.length; depth += 1) {
    const at = `/${parts.slice(0, depth).join('/')}`;
    if ((statSync(at).mode & 0o001) === 0) return at;
  }
  return undefined;
}

/** The first process of each sandbox this process started, by lab folder, until waitForSandbox has its answer. */
const firstProcesses = new Map<string, ChildProcess>();

/** Starts the holder detached from this process, so the lab outlives the command that made it. */
export function startSandbox(paths: LabPaths, plan: SandboxPlan, cpuLimit: CpuLimit): number {
  const uid = sandboxUid();
  checkNodeReachable(uid);
  // The plan carries the nodes' private host keys: readable by the sandbox's user alone. It stays
  // outside the sandbox's root, so no node reads it through hostfs.
  rmSync(paths.plan, { force: true });
  writeFileSync(paths.plan, `${JSON.stringify(plan, null, 2)}\n`, { mode: 0o600 });
  if (uid !== undefined) chownSync(paths.plan, uid, uid);
  prepareSandboxDir(paths, plan, uid);
  const logFd = openSync(paths.holderLog, 'a');
  const dropRoot = uid === undefined ? [] : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--inh-caps=-all'];
  // The CPU cap first: it is joined as root (a cgroup) before the sandbox drops to its user.
  const command = [...cpuLimit.commandPrefix, ...dropRoot, 'unshare', '--user', '--map-root-user', '--net', '--pid', '--mount', '--fork', '--kill-child', process.execPath, paths.holderScript, paths.plan];
  // The sandbox's own folder is its working directory: its user may be unable to enter the checkout
  // (a clone in root's 0700 home), and uml goes back to its working directory to open the COW disk.
  const child = spawn(command[0] ?? 'unshare', command.slice(1), { cwd: paths.sandbox, env: sandboxEnvironment(), detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  if (child.pid === undefined) throw new LabError('SANDBOX_FAILED', 'could not start unshare for the lab sandbox', { hint: 'install util-linux' });
  // Kept to tell a sandbox still starting from one that died before it answered (its log may be empty then).
  firstProcesses.set(paths.dir, child);
  child.unref();
  writeFileSync(paths.holderPid, `${child.pid}\n`);
  return child.pid;
}

/**
 * Every process of this lab's sandbox in the host's view: the unshare parent and the holder (both
 * name plan.json on their command line) and, should any outlive them, uml processes of the lab.
 * Found by scanning /proc, so a lab whose orchestrator crashed before writing holder.pid is found too.
 */
export function findSandboxProcesses(paths: LabPaths): number[] {
  const umlMarker = `uml_dir=${paths.umlDir}`;
  return findProcesses((read) => {
    const argv = read('cmdline');
    return (argv.includes(paths.plan) && argv.includes(paths.holderScript)) || argv.includes(umlMarker);
  });
}

/**
 * Kills the sandbox; the kernel then ends every process in it and removes its interfaces. Returns
 * only when no process of the lab's PID namespace is left at all: killed uml processes take a
 * while to give back their memory, and their command lines read empty meanwhile, so they are
 * waited for by namespace, not by name (seen: 18 of them still there as down returned).
 */
export async function stopSandbox(paths: LabPaths, timeoutMs = 10_000): Promise<number> {
  const killed = new Set<number>();
  const namespaces = new Set(sandboxNamespaces(paths));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = findSandboxProcesses(paths);
    for (const pid of found) {
      const namespace = pidNamespaceOf(pid);
      if (namespace && namespace !== ownPidNamespace()) namespaces.add(namespace);
    }
    const alive = found.filter(processAlive);
    const lingering = alive.length === 0 ? processesInNamespaces(namespaces) : [];
    if (alive.length === 0 && lingering.length === 0) {
      rmSync(paths.sandboxNamespace, { force: true });
      return killed.size;
    }
    for (const pid of alive.filter((candidate) => !killed.has(candidate))) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.add(pid);
      } catch {
        // already gone
      }
    }
    if (Date.now() > deadline) {
      throw new LabError('SANDBOX_STUCK', `processes of the lab in ${paths.dir} did not exit within ${timeoutMs / 1000} s`, {
        hint: `look at them with: ps -fp ${[...alive, ...lingering].join(',')}`,
      });
    }
    await sleep(50);
  }
}

/** The PID namespaces the lab's sandbox was seen with (recorded at start, so a later down knows them too). */
function sandboxNamespaces(paths: LabPaths): string[] {
  return existsSync(paths.sandboxNamespace) ? readFileSync(paths.sandboxNamespace, 'utf8').split('\n').filter(Boolean) : [];
}

/** Records the holder's PID namespace once it runs, for stopSandbox to wait on. */
function recordSandboxNamespace(paths: LabPaths): void {
  const namespaces = findSandboxProcesses(paths)
    .map(pidNamespaceOf)
    .filter((namespace): namespace is string => namespace !== undefined && namespace !== ownPidNamespace());
  if (namespaces.length > 0) writeFileSync(paths.sandboxNamespace, `${[...new Set(namespaces)].join('\n')}\n`);
}

export function sandboxRunning(paths: LabPaths): boolean {
  return findSandboxProcesses(paths).some(processAlive);
}

/** Sends one request to the holder's control socket and returns the connected socket. */
export function holderConnection(paths: LabPaths, request: HolderRequest): Promise<net.Socket> {
  return sandboxConnection(paths.controlSocket, `the sandbox of the lab in ${paths.dir}`, request);
}

/** Sends a request whose answer is one JSON document, and returns it. */
async function holderAnswer<T>(paths: LabPaths, request: HolderRequest): Promise<T> {
  const socket = await holderConnection(paths, request);
  const text = await new Promise<string>((resolve, reject) => {
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
  const answer = JSON.parse(text) as T | { error: string };
  if (answer && typeof answer === 'object' && 'error' in answer) {
    throw new LabError('SANDBOX_REFUSED', `the sandbox of the lab in ${paths.dir} refused '${request.op}': ${answer.error}`, { hint: `read ${paths.holderLog}` });
  }
  return answer as T;
}

export function holderStatus(paths: LabPaths): Promise<HolderStatus> {
  return holderAnswer<HolderStatus>(paths, { op: 'status' });
}

/** Every live host process of a node's VM: the uml kernel, its helper threads and the processes it traces. */
function nodeProcesses(paths: LabPaths, umid: string): number[] {
  const marker = `umid=${umid}`;
  return findProcesses((read) => {
    const argv = read('cmdline');
    return argv.includes(marker) && argv.includes(`uml_dir=${paths.umlDir}`);
  }).filter(processAlive);
}

/**
 * Kills a node's VM outright, as a power cut would, and waits until every host process of it is
 * gone: one left on the node's veth would answer for the node's addresses. (The holder has no
 * /proc in its root, so this side looks.)
 */
export async function killSandboxNode(paths: LabPaths, umid: string, node: string, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const left = nodeProcesses(paths, umid);
    if (left.length === 0) return;
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    if (Date.now() > deadline) throw new LabError('SANDBOX_STUCK', `the VM of ${node} would not end`, { hint: `look at it with: ps -fp ${left.join(',')}` });
    await sleep(50);
  }
}

/** Boots a node again from a fresh disk (its first console log is kept beside the new one), ending its old VM first. */
export async function restartSandboxNode(paths: LabPaths, umid: string, node: string, timeoutMs = 10_000): Promise<NodeProcessStatus> {
  await killSandboxNode(paths, umid, node, timeoutMs);
  return holderAnswer<NodeProcessStatus>(paths, { op: 'restart', node });
}

/**
 * Freezes (SIGSTOP) or thaws (SIGCONT) a node's VM. Only the uml kernel's own processes are
 * signalled, not the guest processes it traces: a stopped tracee would report the stop to uml as
 * a signal of the guest's. With the kernel stopped, every guest process stops at its next trap.
 */
export function signalSandboxNode(paths: LabPaths, umid: string, node: string, signal: 'SIGSTOP' | 'SIGCONT'): void {
  const kernel = nodeProcesses(paths, umid).filter((pid) => tracerOf(pid) === 0);
  if (kernel.length === 0) throw new LabError('NODE_NOT_RUNNING', `the VM of ${node} is not running`, { hint: 'bring the lab up again: npm run lab:up' });
  for (const pid of kernel) process.kill(pid, signal);
}

function tracerOf(pid: number): number {
  try {
    return Number(/^TracerPid:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1] ?? 0);
  } catch {
    return -1; // gone meanwhile
  }
}

/**
 * How the sandbox's first process ended, or undefined while it runs. It keeps its PID while it execs
 * through the CPU cap's prefix, setpriv and unshare, and for a moment inside each exec its command
 * line reads empty, so a scan by name alone can miss a sandbox that is starting (measured: 1 in 200
 * scans right after the spawn; it failed a lab as "did not start" after 0.0 s).
 */
function firstProcessEnd(child: ChildProcess): string | undefined {
  if (child.signalCode) return `was killed by ${child.signalCode}`;
  return child.exitCode === null ? undefined : `exited with code ${child.exitCode}`;
}

/** Waits until the holder serves its control socket, or explains from its log why it did not. */
export async function waitForSandbox(paths: LabPaths, timeoutMs = 15_000): Promise<HolderStatus> {
  const deadline = Date.now() + timeoutMs;
  const first = firstProcesses.get(paths.dir);
  firstProcesses.delete(paths.dir);
  for (;;) {
    try {
      const status = await holderStatus(paths);
      recordSandboxNamespace(paths);
      return status;
    } catch (error) {
      const exit = first && firstProcessEnd(first);
      const starting = first !== undefined && exit === undefined;
      if (!(starting || sandboxRunning(paths)) || Date.now() > deadline) {
        const log = existsSync(paths.holderLog) ? readFileSync(paths.holderLog, 'utf8').trim().split('\n').slice(-8).join('\n') : '';
        const how = exit ? ` (its first process ${exit})` : Date.now() > deadline ? ` within ${timeoutMs / 1000} s` : '';
        throw new LabError('SANDBOX_FAILED', `the lab sandbox did not start${how}${log ? `:\n${log}` : ''}`, {
          cause: error,
          hint: `read ${paths.holderLog}; if unshare failed, unprivileged user namespaces may be off on this host (run the lab as root)`,
        });
      }
      await sleep(50);
    }
  }
}
