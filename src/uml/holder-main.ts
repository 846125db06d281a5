/**
 * The sandbox holder: started by sandbox.ts as
 *   unshare --user --map-root-user --net --pid --mount --fork --kill-child node holder-main.js PLAN
 * it is init of the lab's PID namespace and owns its network namespace. It builds the bridges and
 * veths, starts one User-Mode Linux process per node and serves a control socket. When it dies the
 * kernel kills every process of the lab and deletes every interface: nothing survives it but files.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { writeConsoleLog } from './console-log.js';
import { kickLinks } from './link-kick.js';
import { enterSandboxRoot } from './holder-root.js';
import type { HolderRequest, HolderStatus, NodeProcessStatus } from './holder-protocol.js';
import { relayConnection, serveControlSocket } from './control-socket.js';
import type { SandboxPlan } from './plan.js';

/** How long a lost wake-up can hold a node's packet at most (see link-kick.ts). */
const linkKickPeriodMs = 250;

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

function sh(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${[command, ...args].join(' ')} failed: ${(result.stderr || result.error?.message || '').trim()}`);
  }
}

function buildNetwork(plan: SandboxPlan): void {
  sh('ip', ['link', 'set', 'lo', 'up']);
  for (const bridge of plan.bridges) {
    sh('ip', ['link', 'add', bridge.name, 'type', 'bridge', 'forward_delay', '0']);
    sh('ip', ['addr', 'add', bridge.address, 'dev', bridge.name]);
    sh('ip', ['link', 'set', bridge.name, 'up']);
  }
  for (const node of plan.nodes) {
    for (const link of node.links) {
      sh('ip', ['link', 'add', link.guestEnd, 'type', 'veth', 'peer', 'name', link.hostEnd]);
      sh('ip', ['link', 'set', link.hostEnd, 'master', link.bridge, 'up']);
      sh('ip', ['link', 'set', link.guestEnd, 'up']);
    }
  }
}

interface RunningNode {
  status: NodeProcessStatus;
  child: ChildProcess;
}

function startNode(node: SandboxPlan['nodes'][number], restarts = 0): RunningNode {
  mkdirSync(path.dirname(node.consoleLog), { recursive: true });
  // Started in its own folder: uml resolves the COW disk's backing file by going back to its
  // working directory, which must be one the sandbox's user can enter. Its own process group, so
  // a restart ends its helper processes with it. TMPDIR: uml keeps guest memory in a file there,
  // and /dev/shm is the sandbox's own tmpfs.
  const child = spawn(node.command, node.args, { cwd: path.dirname(node.consoleLog), detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: '/dev/shm' } });
  writeConsoleLog(node.consoleLog, child.stdout, child.stderr);
  const status: NodeProcessStatus = { name: node.name, pid: child.pid, running: true, exitCode: null, signal: null, restarts };
  child.on('exit', (code, signal) => {
    Object.assign(status, { running: false, exitCode: code, signal });
    log(`node ${node.name} exited (code ${code}, signal ${signal})`);
  });
  child.on('error', (error) => {
    Object.assign(status, { running: false, exitCode: 127 });
    log(`node ${node.name} could not start: ${error.message}`);
  });
  log(`node ${node.name} started, pid ${child.pid}${restarts ? ` (restart ${restarts}, fresh disk)` : ''}`);
  return { status, child };
}

/** Ends a node's VM and boots it again from a fresh copy-on-write disk, keeping its first console log. */
async function restartNode(plan: SandboxPlan, nodes: RunningNode[], name: string): Promise<NodeProcessStatus> {
  const index = plan.nodes.findIndex((node) => node.name === name);
  const planned = plan.nodes[index];
  const running = nodes[index];
  if (!planned || !running) throw new Error(`no node ${name}`);
  if (running.status.running && running.child.pid !== undefined) {
    const exited = new Promise((resolve) => running.child.once('exit', resolve));
    try {
      process.kill(-running.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
  }
  const restarts = running.status.restarts + 1;
  if (existsSync(planned.consoleLog)) renameSync(planned.consoleLog, planned.consoleLog.replace(/\.log$/, `.${restarts}.log`));
  rmSync(planned.disk, { force: true });
  rmSync(path.join(plan.umlDir, planned.umid), { recursive: true, force: true }); // its mconsole socket
  nodes[index] = startNode(planned, restarts);
  return nodes[index].status;
}

function serve(plan: SandboxPlan, nodes: RunningNode[], startedAt: string): net.Server {
  return serveControlSocket(plan.controlSocket, (raw, client, rest) => {
    const request = raw as HolderRequest;
    if (request.op === 'status') {
      const status: HolderStatus = { lab: plan.lab, startedAt, nodes: nodes.map((node) => node.status) };
      client.end(`${JSON.stringify(status)}\n`);
    } else if (request.op === 'connect') {
      relayConnection(client, request, rest, plan.networks, log);
    } else if (request.op === 'restart') {
      restartNode(plan, nodes, request.node).then(
        (status) => client.end(`${JSON.stringify(status)}\n`),
        (error: unknown) => client.end(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`),
      );
    } else {
      client.end('{"error":"unknown op"}\n');
    }
  });
}

function main(): void {
  const planFile = process.argv[2];
  if (!planFile) throw new Error('usage: holder-main.js PLAN.json');
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as SandboxPlan;
  const startedAt = new Date().toISOString();
  // As init of the PID namespace, signals without a handler are ignored: exit on them explicitly.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => process.exit(0));
  buildNetwork(plan);
  log(`network of lab ${plan.lab} ready`);
  // After the network (ip is not in the new root), before any node can look at the host's files.
  enterSandboxRoot(plan.root);
  log(`sandbox root entered: ${plan.root.readOnly.length} files read-only, ${plan.root.writable.join(', ')} writable`);
  const nodes = plan.nodes.map((node) => startNode(node));
  kickLinks(plan.bridges.map((bridge) => bridge.broadcast), linkKickPeriodMs, log);
  serve(plan, nodes, startedAt).on('listening', () => log('control socket ready'));
}

try {
  main();
} catch (error) {
  log(`holder failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
