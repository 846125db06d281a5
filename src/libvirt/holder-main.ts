/**
 * The libvirt lab's holder, started by daemon.ts as
 *   unshare --net --pid --mount --propagation private --fork --kill-child bash -c 'node holder-main.js PLAN & wait'
 * (bash is init of the lab's PID namespace: it reaps qemu's orphans, and exits when the holder does).
 * It binds the lab's libvirt folders over the system's, starts libvirtd with its storage pool and
 * serves a control socket. When it ends, the kernel ends libvirtd, dnsmasq and every qemu of the lab
 * and deletes every bridge: nothing survives but files.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { relayConnection, serveControlSocket } from '../uml/control-socket.js';
import type { LibvirtPlan } from './plan.js';

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

function sh(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} failed: ${(result.stderr || result.error?.message || '').trim()}`);
  return result.stdout;
}

async function waitFor(what: string, ready: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`${what} did not appear within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

interface DaemonStatus {
  pid: number | undefined;
  running: boolean;
  exitCode: number | null;
}

function startLibvirtd(plan: LibvirtPlan): DaemonStatus {
  const output = createWriteStream(`${plan.dir}/libvirtd.log`, { flags: 'a' });
  const child = spawn('libvirtd', [], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(output);
  child.stderr.pipe(output);
  const status: DaemonStatus = { pid: child.pid, running: true, exitCode: null };
  child.on('exit', (code, signal) => {
    Object.assign(status, { running: false, exitCode: code ?? 128 });
    log(`libvirtd exited (code ${code}, signal ${signal})`);
  });
  child.on('error', (error) => {
    Object.assign(status, { running: false, exitCode: 127 });
    log(`libvirtd could not start: ${error.message}`);
  });
  return status;
}

function serve(plan: LibvirtPlan, daemon: DaemonStatus, startedAt: string): net.Server {
  return serveControlSocket(plan.controlSocket, (request, client, rest) => {
    if (request.op === 'status') client.end(`${JSON.stringify({ lab: plan.lab, startedAt, libvirtd: daemon })}\n`);
    else if (request.op === 'connect') relayConnection(client, request, rest, plan.networks, log);
    else client.end('{"error":"unknown op"}\n');
  });
}

async function main(): Promise<void> {
  const planFile = process.argv[2];
  if (!planFile) throw new Error('usage: holder-main.js PLAN.json');
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as LibvirtPlan;
  const startedAt = new Date().toISOString();
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => process.exit(0));
  sh('ip', ['link', 'set', 'lo', 'up']);
  // This PID namespace's own /proc: libvirtd reads its clients' start times there by their PIDs.
  sh('mount', ['-t', 'proc', 'proc', '/proc']);
  for (const bind of plan.binds) {
    mkdirSync(bind.lab, { recursive: true });
    if (!existsSync(bind.system)) mkdirSync(bind.system, { recursive: true });
    sh('mount', ['--bind', bind.lab, bind.system]);
  }
  log(`lab ${plan.lab}: ${plan.binds.length} libvirt folders bound`);
  const daemon = startLibvirtd(plan);
  await waitFor("libvirtd's socket", () => existsSync('/run/libvirt/libvirt-sock') || !daemon.running, 30_000);
  if (!daemon.running) throw new Error(`libvirtd ended at its start: read ${plan.dir}/libvirtd.log`);
  mkdirSync(plan.images, { recursive: true });
  const virsh = (...args: string[]) => spawnSync('virsh', ['-q', '-c', 'qemu:///system', ...args], { encoding: 'utf8' });
  if (virsh('pool-info', 'default').status !== 0) sh('virsh', ['-q', '-c', 'qemu:///system', 'pool-define-as', 'default', 'dir', '--target', plan.images]);
  if (!/^State:\s+running/m.test(virsh('pool-info', 'default').stdout)) sh('virsh', ['-q', '-c', 'qemu:///system', 'pool-start', 'default']);
  log(`libvirtd ready (pid ${daemon.pid}), pool default in ${plan.images}`);
  serve(plan, daemon, startedAt).on('listening', () => log('control socket ready'));
}

main().catch((error: unknown) => {
  log(`holder failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
