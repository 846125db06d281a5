import { expect } from 'chai';
import os from 'node:os';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { clientSocket, sshTarget } from '../../src/lab/access.js';
import { httpGet } from '../../src/lab/http-probe.js';
import { labStatus } from '../../src/lab/status.js';
import { labCgroups } from '../../src/host/cpu-limit.js';
import { umlProvider } from '../../src/uml/provider.js';
import { labPaths, requireLabMeta } from '../../src/lab/state.js';
import { Communicator } from '../../src/ssh/communicator.js';
import { parse, stringify } from 'yaml';
import { repoRoot, seedSpecPath, tempFile } from '../helpers.js';
import { labCpuPriority, runCli, takeEarlyLab } from './cli.js';
import { upWithDescribeBefore } from './early-labs.js';
import { hardeningLabs } from './hardening-labs.js';

const { lab, neighbour } = hardeningLabs;
const paths = labPaths(lab);
const isRoot = process.getuid?.() === 0;

/** Runs a shell command as root on a node of the lab under test. */
function onNode(node: string, command: string) {
  return runCli(['exec', '--name', lab, node, command]);
}

/** Host paths a node must see through hostfs: the sandbox's minimal root, as the plan records it. */
function allowedPaths(): { exact: Set<string>; under: string[] } {
  const plan = JSON.parse(readFileSync(paths.plan, 'utf8')) as { root?: { readOnly: string[]; writable: string[] } };
  const files = [...(plan.root?.readOnly ?? []), '/dev/null', '/dev/zero', '/dev/urandom', '/dev/shm', '/proc', '/.host'];
  const under = plan.root?.writable ?? [];
  const exact = new Set<string>(['/']);
  for (const file of [...files, ...under]) {
    for (let dir = file; dir !== '/'; dir = path.dirname(dir)) exact.add(dir);
  }
  return { exact, under };
}

/**
 * A node's root is untrusted (keepalived runs a student's vrrp_script as root): through uml's hostfs
 * it may open any file the uml process can. The lab's sandbox must show it nothing of the host.
 */
describe('the lab sandbox keeps an untrusted node in (acceptance)', function () {
  this.timeout(120_000);
  const canaries = [
    path.join('/tmp', `failover-lab-canary-${process.pid}`),
    path.join(repoRoot, `.canary-${process.pid}`),
    path.join('/root', `.failover-lab-canary-${process.pid}`),
    path.join(labPaths(neighbour).dir, `canary-${process.pid}`),
  ];
  const secret = `secret-${process.pid}-${Date.now()}`;
  const touched = ['/tmp', repoRoot, labPaths(neighbour).dir, labPaths(neighbour).sandbox, '/usr/bin', '/'].map((dir) => path.join(dir, `failover-lab-touched-${process.pid}`));

  const cappedCpus = Math.max(1, os.availableParallelism() - 1);
  /**
   * The neighbour is the seed lab without its vrrp_script: what it must keep under the other lab's
   * load is VRRP itself (adverts on time, roles kept). The seed's `systemctl status nginx` costs
   * 0.2 s in an idle uml node (/bin/true: 0.04 s) against its 2-s budget, and on a busy host it ran
   * out whichever lab made it busy (seen in a lab alone, right after lab:up).
   */
  const seedSpec = parse(readFileSync(seedSpecPath, 'utf8')) as { vrrp: { check?: unknown } };
  delete seedSpec.vrrp.check;
  const neighbourSpec = tempFile('neighbour.yaml', stringify({ ...seedSpec, name: neighbour }));

  // Both come up in the background while the two describes before this one run (early-labs.ts), capped
  // as the grader caps labs of untrusted code: all but one core each.
  const env = { ...process.env, FAILOVER_LAB_CPUS: String(cappedCpus) };
  if (isRoot) for (const [name, spec] of [[lab, seedSpecPath], [neighbour, neighbourSpec]] as const) upWithDescribeBefore(this, name, ['--spec', spec], { timeoutMs: 600_000, env, describesAhead: 2 });

  before(async function () {
    if (!isRoot) this.skip(); // run by a user, the lab only has that user's rights (tested by unprivileged.test)
    this.timeout(600_000);
    for (const name of [lab, neighbour]) await takeEarlyLab(name);
    for (const canary of canaries) writeFileSync(canary, `${secret}\n`, { mode: 0o644 });
  });

  after(async function () {
    this.timeout(60_000);
    for (const file of [...canaries, ...touched]) rmSync(file, { force: true });
    if (!isRoot) return;
    for (const name of [lab, neighbour]) await runCli(['down', '--name', name]);
  });

  it('shows through hostfs only the sandbox root: uml, its libraries, the image and the lab folder', async () => {
    const listing = await onNode('backend1', 'mkdir -p /mnt/host && mount -t hostfs none /mnt/host && cd /mnt/host && find . -xdev 2>/dev/null; true');
    expect(listing.code, listing.stderr).to.equal(0);
    const seen = listing.stdout.split('\n').filter(Boolean).map((entry) => path.join('/', entry));
    expect(seen.length, 'hostfs mounted and listed').to.be.greaterThan(5);
    expect(seen, 'the node sees its own console log').to.include(path.join(paths.nodeDir('backend1'), 'console.log'));
    const { exact, under } = allowedPaths();
    const foreign = seen.filter((entry) => !exact.has(entry) && !under.some((dir) => entry.startsWith(`${dir}/`)));
    expect(foreign, 'host paths outside the sandbox root').to.deep.equal([]);
  });

  it("cannot read files in the host's /tmp, the checkout, /root or another lab's folder", async () => {
    const reads = canaries.map((file) => `cat /mnt/host${file} 2>&1`).join('; ');
    const result = await onNode('balancer1', `mkdir -p /mnt/host && mount -t hostfs none /mnt/host; ${reads}; true`);
    expect(result.stdout).not.to.include(secret);
    for (const file of canaries) expect(result.stdout).to.include(`/mnt/host${file}`); // one error per file
  });

  it("lands a touch through hostfs nowhere but the lab's own folder", async () => {
    const own = path.join(paths.sandbox, `touched-${process.pid}`);
    const attempts = [...touched, own].map((file) => `touch /mnt/host${file} 2>/dev/null`).join('; ');
    await onNode('balancer2', `mkdir -p /mnt/host && mount -t hostfs none /mnt/host; ${attempts}; true`);
    expect(touched.filter((file) => existsSync(file)), 'files the node made on the host').to.deep.equal([]);
    expect(existsSync(own), "hostfs still writes in the lab's own folder").to.equal(true);
  });

  it('has no route out of the lab, in the nodes and in the sandbox (a route lookup: nothing is sent)', async () => {
    for (const node of ['balancer1', 'backend2']) {
      const lookup = await onNode(node, 'ip route get 192.0.2.1');
      expect(lookup.code, `${node}: ${lookup.stdout}`).not.to.equal(0);
      expect(lookup.stderr).to.match(/unreachable/i);
    }
    const sandbox = await inSandbox(['ip', 'route', 'get', '192.0.2.1']);
    expect(sandbox.code, sandbox.output).not.to.equal(0);
    expect(sandbox.output).to.match(/unreachable/i);
  });

  it("refuses control-socket connections outside the lab's networks without opening them", async () => {
    // A listener on the sandbox's own loopback: a connection the holder opened would reach it.
    const listener = inSandbox([process.execPath, '-e', "const s=require('net').createServer(c=>{console.log('accepted');c.destroy()}).listen(2222,'127.0.0.1',()=>console.log('listening'));setTimeout(()=>s.close(),8000)"]);
    await listener.ready('listening');
    for (const [host, port] of [['127.0.0.1', 2222], ['192.0.2.1', 80], ['example.invalid', 22]] as const) {
      const reply = await controlRequest({ op: 'connect', host, port });
      expect(reply, `${host}:${port}`).to.match(/^\{"error":"refused: /);
    }
    const finished = await listener;
    expect(finished.output).not.to.include('accepted');
    expect(readFileSync(paths.holderLog, 'utf8')).to.include('refused a connection: 127.0.0.1:2222');
  });

  it('gives every node its own SSH host key, pinned in lab.json; the image brings none', async () => {
    const meta = requireLabMeta(paths, lab);
    const pinned = meta.nodes.map((node) => node.hostKey);
    expect(new Set(pinned).size, 'distinct host keys').to.equal(meta.nodes.length);
    for (const node of meta.nodes) {
      const shown = await onNode(node.name, 'ssh-keygen -y -f /etc/ssh/ssh_host_ed25519_key && ls /etc/ssh | grep ssh_host_');
      expect(shown.code, shown.stderr).to.equal(0);
      const [publicLine, ...keyFiles] = shown.stdout.trim().split('\n');
      expect(publicLine?.split(' ').slice(0, 2).join(' '), node.name).to.equal(node.hostKey);
      expect(keyFiles, `${node.name}: host key files`).to.deep.equal(['ssh_host_ed25519_key']);
    }
  });

  it('refuses SSH to a node that presents another key, naming the node', async () => {
    const meta = requireLabMeta(paths, lab);
    const other = meta.nodes.find((node) => node.name === 'balancer2')?.hostKey;
    const forged = { ...meta, nodes: meta.nodes.map((node) => (node.name === 'balancer1' ? { ...node, hostKey: other } : node)) };
    const attempt = await Communicator.connect(sshTarget(paths, forged, 'balancer1')).then(
      (ssh) => (ssh.close(), undefined),
      (error: unknown) => error,
    );
    expect(attempt).to.include({ name: 'LabError', code: 'HOST_KEY_MISMATCH' });
    expect((attempt as Error).message).to.match(/^balancer1 .* presented SSH host key SHA256:/);
    (await Communicator.connect(sshTarget(paths, meta, 'balancer1'))).close(); // the right key still logs in
  });

  it("keeps a node's private host key out of every other node's reach", async () => {
    const key = await onNode('balancer1', 'sed -n 2p /etc/ssh/ssh_host_ed25519_key');
    const slice = key.stdout.trim().slice(0, 40);
    expect(slice).to.have.length(40);
    // Everything a node can write or read of its lab through hostfs: console logs, disks, uml's folder.
    const search = await onNode('backend1', `mkdir -p /mnt/host && mount -t hostfs none /mnt/host; grep -rlaF '${slice}' /mnt/host${paths.sandbox}; true`);
    expect(search.stdout.trim(), 'files holding the key').to.equal('');
    // The kernel echoes its command line to the console: the log shows the key blanked.
    const consoleLog = readFileSync(path.join(paths.nodeDir('balancer1'), 'console.log'), 'utf8');
    expect(consoleLog.match(/lab\.hostkey=\S+/g)).to.deep.equal(['lab.hostkey=(hidden)']);
  });

  it("keeps the neighbour lab serving and its VRRP roles while every node here spins 4 busy loops", async function () {
    this.timeout(180_000);
    const [cgroup] = labCgroups(lab);
    expect(cgroup, 'the lab runs in its own CPU cgroup').to.be.a('string');
    expect((await runCli(['status', '--name', lab])).stdout).to.match(/CPU: \S+ CPU \(cgroup v[12] /);
    const idle = await answersPerSecond(neighbour, 5_000);
    const nodes = requireLabMeta(paths, lab).nodes.map((node) => node.name);
    // Bounded twice: by timeout in the node, and killed by the marker in finally.
    const spin = "for i in 1 2 3 4; do timeout 60 sh -c 'while :; do :; done' busy-loop-marker >/dev/null 2>&1 & done";
    try {
      // All nodes at once: a login to a node beside spinning ones takes seconds (16 loops share the cap).
      for (const started of await Promise.all(nodes.map((node) => onNode(node, spin)))) expect(started.code).to.equal(0);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const capped = await answersPerSecond(neighbour, 10_000);
      const status = await labStatus(neighbour);
      const roles = Object.fromEntries(status.nodes.map((node) => [node.name, node.keepalived]));
      const quota = path.join(cgroup ?? '', 'cpu.cfs_quota_us');
      // Nodes boot uncapped; the cap is set before the configuration reaches them.
      if (existsSync(quota)) expect(readFileSync(quota, 'utf8').trim()).to.equal(String(cappedCpus * 100_000));
      console.log(`      neighbour answers/s: idle ${idle.toFixed(1)}, beside the loaded and capped lab ${capped.toFixed(1)}`);
      if (roles.balancer1 !== 'MASTER' || roles.balancer2 !== 'BACKUP') {
        for (const node of ['balancer1', 'balancer2']) console.log(`      neighbour ${node}'s keepalived:\n${(await runCli(['exec', '--name', neighbour, node, 'journalctl -u keepalived -o short-precise --no-pager | grep -v Printing | tail -n 15'])).stdout}`);
      }
      expect(roles).to.include({ balancer1: 'MASTER', balancer2: 'BACKUP' });
      expect(status.vipHolders).to.deep.equal(['balancer1']);
      expect(capped, `answers/s under load vs ${idle.toFixed(1)} idle`).to.be.at.least(idle * 0.5);
      if (cgroup?.includes('/cpu/')) expect(readFileSync(path.join(cgroup, 'cpu.stat'), 'utf8')).to.match(/^nr_throttled [1-9]/m);
    } finally {
      await Promise.all(nodes.map((node) => onNode(node, 'pkill -f busy-loop-marker; true')));
    }
  });

  it("weighs the lab's CPU for the grader: an idle cgroup (or the lowest weight) in the background, the default in the foreground", () => {
    expect(labCpuPriority(lab), 'a CPU cgroup of the lab').to.equal('foreground');
    const idleFile = labCgroups(lab).map((dir) => path.join(dir, 'cpu.idle')).find((file) => existsSync(file));
    // Twice over: the kernel refuses a weight while a group is idle, so the order of the writes matters.
    for (let round = 0; round < 2; round += 1) {
      expect(umlProvider.setCpuPriority(labPaths(lab), 'background')).to.equal(true);
      expect(labCpuPriority(lab)).to.equal('background');
      if (idleFile) expect(readFileSync(idleFile, 'utf8').trim()).to.equal('1');
      expect(umlProvider.setCpuPriority(labPaths(lab), 'foreground')).to.equal(true);
      expect(labCpuPriority(lab)).to.equal('foreground');
    }
  });

  it('removes the CPU cgroup with lab:down', async () => {
    const down = await runCli(['down', '--name', lab]);
    expect(down.code, down.stderr).to.equal(0);
    expect(labCgroups(lab)).to.deep.equal([]);
  });
});

/** Sequential HTTP GETs through the lab's VIP from its client for a while: answers per second. */
async function answersPerSecond(name: string, durationMs: number): Promise<number> {
  const where = labPaths(name);
  const meta = requireLabMeta(where, name);
  const vip = meta.spec.vip.address;
  const started = Date.now();
  let answers = 0;
  while (Date.now() - started < durationMs) {
    try {
      const answer = await httpGet(clientSocket(where, meta, vip, 80), vip);
      if (answer.status === 200) answers += 1;
    } catch {
      // counted as missing
    }
  }
  return (answers * 1000) / (Date.now() - started);
}

/** Runs a command in the lab sandbox's network namespace (as the load generator runs). */
function inSandbox(command: string[]): Promise<{ code: number | null; output: string }> & { ready: (text: string) => Promise<void> } {
  const holderPid = readFileSync(paths.holderPid, 'utf8').trim();
  const child = spawn('nsenter', ['--target', holderPid, '--user', '--net', '--preserve-credentials', '--', ...command], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters: (() => void)[] = [];
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of waiters.splice(0)) waiter();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on('close', (code) => resolve({ code, output })));
  const ready = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => (output.includes(text) ? resolve() : waiters.push(check));
      check();
    });
  return Object.assign(done, { ready });
}

/** Sends one request line to the holder and returns what it answers before closing. */
function controlRequest(request: object): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(paths.controlSocket, () => socket.write(`${JSON.stringify(request)}\n`));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => socket.destroy());
  });
}
