import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clientSocket, connectNode, withNodes } from '../../src/lab/access.js';
import { httpGet } from '../../src/lab/http-probe.js';
import { labPaths, requireLabMeta } from '../../src/lab/state.js';
import { parseIpvsadmStats } from '../../src/parse/ipvsadm-stats.js';
import type { LabError } from '../../src/errors.js';
import { boundedStep } from '../../src/scenario/stuck-step.js';
import { vagrant } from '../../src/vagrant/cli.js';
import { readFolder, repoRoot, seedSpecPath } from '../helpers.js';
import { hostNetworkSnapshot, labPidNamespace, leftovers, processesInNamespace, processesMentioning, runCli, settledStatusTable, takeEarlyLab } from './cli.js';
import { upWithDescribeBefore } from './early-labs.js';

const lab = 'accept';
const paths = labPaths(lab);
const vip = '172.28.128.200';

describe('the uml lab, end to end (acceptance)', function () {
  this.timeout(120_000);
  let hostNetworkBefore = '';

  // Fresh, in the background while the describes before this one run (early-labs.ts).
  upWithDescribeBefore(this, lab, [], { timeoutMs: 900_000, describesAhead: 4 }); // four short describes before it: ~25 s
  before(async function () {
    this.timeout(900_000); // the first run on a machine builds the node image
    const early = await takeEarlyLab(lab);
    hostNetworkBefore = early.hostNetworkBefore;
    expect(early.up.stderr).to.include(`lab ${lab} is up`);
  });

  after(async function () {
    this.timeout(60_000);
    await runCli(['down', '--name', lab]);
  });

  it('adds nothing to the host network namespace', () => {
    expect(hostNetworkSnapshot()).to.equal(hostNetworkBefore);
  });

  it('shows balancer1 as MASTER holding the VIP and balancer2 as BACKUP without it (lab:status)', async () => {
    const table = await settledStatusTable(lab);
    expect(table.code, table.stderr).to.equal(0);
    expect(table.stdout).to.match(/^lab accept \(uml, .*\): VIP 172\.28\.128\.200 held by balancer1$/m);
    // NODE ROLE STATE MANAGEMENT LAB-ADDRESS KEEPALIVED VIP IPVS
    expect(table.stdout).to.match(/^balancer1\s+balancer\s+running\s+10\.99\.0\.10\s+172\.28\.128\.10\s+MASTER\s+yes\s+yes$/m);
    expect(table.stdout).to.match(/^balancer2\s+balancer\s+running\s+10\.99\.0\.11\s+172\.28\.128\.20\s+BACKUP\s+-\s+yes$/m);
    expect(table.stdout).to.match(/^backend1\s+backend\s+running\s+10\.99\.0\.12\s+172\.28\.128\.100\s+-\s+-\s+-$/m);
  });

  it('spreads 20 new connections 10/10 over the backends, alternating, as ipvsadm counts them', async () => {
    const meta = requireLabMeta(paths, lab);
    await withNodes(paths, meta, async (nodes) => {
      for (const name of ['balancer1', 'balancer2']) await nodes.get(name)!.execChecked('ipvsadm -Z');
      const answers: string[] = [];
      for (let request = 0; request < 20; request += 1) {
        const answer = await httpGet(clientSocket(paths, meta, vip, 80), vip);
        expect(answer.status).to.equal(200);
        answers.push(answer.body.trim());
      }
      expect(answers.filter((name) => name === 'backend1')).to.have.length(10);
      expect(answers.filter((name) => name === 'backend2')).to.have.length(10);
      answers.slice(1).forEach((name, index) => expect(name, `request ${index + 2}`).not.to.equal(answers[index]));

      // IPVS sums its per-CPU counters in its 2-second estimator: wait for them to show all 20.
      const stats = async (name: string) => parseIpvsadmStats((await nodes.get(name)!.execChecked('ipvsadm -Ln --stats')).stdout);
      let [active] = await stats('balancer1');
      for (let attempt = 0; attempt < 30 && active?.conns !== 20; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        [active] = await stats('balancer1');
      }
      expect(active).to.include({ address: vip, port: 80, conns: 20, outPkts: 0, outBytes: 0 });
      expect(active?.inPkts).to.be.greaterThan(20 * 3); // at least handshake, request and close per connection
      expect(active?.realServers.map((server) => [server.address, server.conns, server.outPkts])).to.deep.equal([
        ['172.28.128.100', 10, 0],
        ['172.28.128.110', 10, 0],
      ]);
      const [idle] = await stats('balancer2');
      expect(idle).to.include({ address: vip, port: 80, conns: 0, inPkts: 0, inBytes: 0 });
      expect(idle?.realServers.map((server) => server.conns)).to.deep.equal([0, 0]);
    });
  });

  it("runs the nodes as an unprivileged user, so a node's root cannot read the host's secrets through hostfs", async function () {
    if (process.getuid?.() !== 0) this.skip(); // run by a user, the lab has that user's rights only
    const uml = processesMentioning(`uml_dir=${paths.umlDir}`).flatMap((entry) => {
      try {
        return [readFileSync(`/proc/${entry.split(':')[0]}/status`, 'utf8')];
      } catch {
        return []; // a short-lived uml helper
      }
    });
    expect(uml.length).to.be.at.least(4);
    for (const status of uml) expect(status).to.match(/^Uid:\s+65534\s/m);
    const attempt = await runCli(['exec', '--name', lab, 'backend1', 'mkdir -p /mnt/host && mount -t hostfs none /mnt/host -o /etc && cat /mnt/host/shadow']);
    expect(attempt.code, attempt.stdout).not.to.equal(0);
    expect(attempt.stdout).not.to.include('root:');
    // The sandbox's root has no /etc at all (sandbox-hardening.test checks the whole view).
    expect(attempt.stderr).to.match(/Permission denied|special device none does not exist|No such file/i);
  });

  it('runs one command with lab:exec and exits with its code', async () => {
    const stats = await runCli(['exec', '--name', lab, 'balancer1', 'ipvsadm', '-Ln', '--stats']);
    expect(stats.code).to.equal(0);
    expect(stats.stdout).to.match(/TCP\s+172\.28\.128\.200:80/);
    const failing = await runCli(['exec', '--name', lab, 'backend2', 'sh', '-c', "'echo to-stderr >&2; exit 7'"]);
    expect(failing.code).to.equal(7);
    expect(failing.stderr).to.include('to-stderr');
    const unknown = await runCli(['exec', '--name', lab, 'nosuchnode', 'true']);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.include('has no node "nosuchnode"');
  });

  it('is safe to bring up twice: the second run re-applies the configuration and the VIP still serves', async () => {
    const again = await runCli(['up', '--name', lab]);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stderr).to.include('already up');
    const answer = await httpGet(clientSocket(paths, requireLabMeta(paths, lab), vip, 80), vip);
    expect(answer.body.trim()).to.match(/^backend[12]$/);
  });

  it("runs the Vagrantfile's provisioning as Vagrant would on a Debian node: same result, nothing restarted", async () => {
    // Vagrant's part: the node files uploaded by the file provisioner, the inline script run as root.
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'failover-lab-vagrant-provision-'));
    const render = await runCli(['render', '--name', lab, '--out', path.join(scratch, 'files')]);
    expect(render.code, render.stderr).to.equal(0);
    const environment = { cwd: repoRoot, dotfilePath: path.join(scratch, 'dotfile'), specPath: seedSpecPath, nodeFiles: path.join(scratch, 'files'), planDump: path.join(scratch, 'plan.json') };
    const validate = await vagrant(environment, ['validate', '-p']);
    expect(validate.code, validate.stderr).to.equal(0);
    const plan = JSON.parse(readFileSync(path.join(scratch, 'plan.json'), 'utf8')) as { uploadDir: string; machines: { name: string; nodeFiles: string; provisionScript: string }[] };

    for (const name of ['balancer1', 'backend1']) {
      const machine = plan.machines.find((candidate) => candidate.name === name)!;
      const ssh = await connectNode(paths, requireLabMeta(paths, lab), name);
      try {
        const services = 'systemctl show -p MainPID --value keepalived nginx';
        const before = (await ssh.execChecked(services)).stdout;
        await ssh.execChecked('mkdir -p /home/vagrant/.ssh && cp /root/.ssh/authorized_keys /home/vagrant/.ssh/authorized_keys');
        await ssh.upload(plan.uploadDir, readFolder(machine.nodeFiles));
        await ssh.upload('/tmp/vagrant-shell', { 'script.sh': machine.provisionScript });
        const result = await ssh.exec('bash /tmp/vagrant-shell/script.sh');
        expect(result.code, result.stderr).to.equal(0);
        expect((await ssh.execChecked(services)).stdout, `${name}: services restarted`).to.equal(before);
        expect((await ssh.exec(`test -e ${plan.uploadDir}`)).code).to.equal(1);
        await ssh.execChecked('rm -rf /home/vagrant /tmp/vagrant-shell');
      } finally {
        ssh.close();
      }
    }
    rmSync(scratch, { recursive: true, force: true });
    const answer = await httpGet(clientSocket(paths, requireLabMeta(paths, lab), vip, 80), vip);
    expect(answer.body.trim()).to.match(/^backend[12]$/);
  });

  it('carries 8 MiB over SSH into a node whole and promptly: no GSO frame of the host is cut short on the way in', async () => {
    // The host hands a veth's TCP data over in GSO frames of up to 64 KiB; uml's vector driver
    // without gro=1 reads them into MTU-sized buffers and the rest is lost, so an upload crawls in
    // retransmission back-off (a balancer then "did not answer" for minutes) and the node says so.
    const bulk = randomBytes(8 << 20);
    const ssh = await connectNode(paths, requireLabMeta(paths, lab), 'backend1');
    try {
      await ssh.upload('/tmp/bulk', { 'data.bin': bulk });
      const digest = (await ssh.execChecked('sha256sum /tmp/bulk/data.bin && rm -rf /tmp/bulk')).stdout.split(' ')[0];
      expect(digest).to.equal(createHash('sha256').update(bulk).digest('hex'));
    } finally {
      ssh.close();
    }
    const consoleLog = readFileSync(path.join(paths.nodeDir('backend1'), 'console.log'), 'utf8');
    expect(consoleLog).to.include('eth0: raw: using vnet headers');
    expect(consoleLog).not.to.include('Incoming GSO frames and GRO disabled');
  });

  it('wakes every node on both links a few times a second (a lost uml wake-up then holds no packet longer)', async () => {
    // uml can lose the wake-up of a readable link (see src/uml/link-kick.ts): the holder's broadcast
    // to UDP's discard port is the next packet. Each node counts them as broadcasts nobody listens to.
    const ssh = await connectNode(paths, requireLabMeta(paths, lab), 'backend2');
    try {
      const ignored = async () => {
        const [names = [], values = []] = (await ssh.execChecked("grep '^Udp:' /proc/net/snmp")).stdout.trim().split('\n').map((line) => line.split(/\s+/));
        return Number(values[names.indexOf('IgnoredMulti')]);
      };
      const before = await ignored();
      const links = async () => (await ssh.execChecked('cat /sys/class/net/eth0/statistics/rx_packets /sys/class/net/eth1/statistics/rx_packets')).stdout.trim().split('\n').map(Number);
      const linksBefore = await links();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const linksAfter = await links();
      // Two links, four a second each: at least 12 in two seconds, give or take a period at each end.
      expect((await ignored()) - before).to.be.at.least(12);
      for (const [index, count] of linksAfter.entries()) expect(count - (linksBefore[index] ?? 0), `eth${index}`).to.be.at.least(6);
    } finally {
      ssh.close();
    }
  });

  it('reads every node\'s disk a few times a second (a lost uml I/O completion then waits no longer)', async () => {
    // uml can lose the wake-up of its block driver too (box/overlay/usr/local/sbin/lab-disk-kick):
    // each node reads one block of its disk from two processes four times a second each.
    await withNodes(paths, requireLabMeta(paths, lab), async (nodes) => {
      for (const [name, ssh] of nodes) {
        const reads = async () => Number((await ssh.execChecked("awk '$3 == \"ubda\" {print $4}' /proc/diskstats")).stdout.trim());
        const before = await reads();
        await new Promise((resolve) => setTimeout(resolve, 2000));
        // Eight a second: at least 12 in two seconds, give or take a period at each end.
        expect((await reads()) - before, name).to.be.at.least(12);
        expect((await ssh.execChecked('systemctl is-active lab-disk-kick')).stdout.trim(), name).to.equal('active');
      }
    });
  });

  it('runs commands one after another in a shell kept open on a node: each its own output, stderr and exit code', async () => {
    const ssh = await connectNode(paths, requireLabMeta(paths, lab), 'backend2');
    const shell = await ssh.openShell();
    try {
      const pid = async () => (await shell.execChecked('echo $$')).stdout.trim();
      const first = await pid();
      // Sent together: the shell answers each in turn; `cat` must not swallow the commands after it.
      const results = await Promise.all([
        shell.exec('hostname; echo oops >&2; printf "no newline"'),
        shell.exec('cat; (exit 3)'),
        shell.exec('for i in 1 2; do\n  echo line $i\ndone'),
      ]);
      expect(results).to.deep.equal([
        { code: 0, stdout: 'backend2\nno newline', stderr: 'oops\n' },
        { code: 3, stdout: '', stderr: '' },
        { code: 0, stdout: 'line 1\nline 2\n', stderr: '' },
      ]);
      const late = await shell.exec('sleep 2; echo late', { timeoutMs: 300 }).then(() => 'answered', (error: { code?: string }) => error.code);
      expect(late).to.equal('EXEC_TIMEOUT');
      // The timed-out command's output stays its own; the shell is the same process throughout.
      expect((await shell.execChecked('echo next')).stdout).to.equal('next\n');
      expect(await pid()).to.equal(first);
      const failed = await shell.execChecked('ls /no-such-file').then(() => 'passed', (error: Error & { code?: string }) => `${error.code}: ${error.message}`);
      expect(failed).to.match(/^REMOTE_COMMAND_FAILED: 'ls \/no-such-file' on backend2 exited with 2:\n.*No such file/);
    } finally {
      shell.close();
      ssh.close();
    }
    const ended = await shell.exec('true').then(() => 'answered', (error: { code?: string }) => error.code);
    expect(ended).to.equal('EXEC_FAILED');
  });

  it('ends a scenario step that waits past its bound with an error naming the step, and what the node was doing', async () => {
    const meta = requireLabMeta(paths, lab);
    const ssh = await connectNode(paths, meta, 'backend1');
    try {
      // A command that does not end in time, as a wedged shell or a stalled node would look.
      const stuck = ssh.exec('sleep 20 # stuck-step-probe');
      const error = await boundedStep(stuck, 1_000, "a probe's command", { paths, meta, node: 'backend1' }).then(() => undefined, (caught: LabError) => caught);
      expect(error?.code).to.equal('SCENARIO_STEP_TIMEOUT');
      expect(error?.message).to.match(/^a probe's command did not finish within 1 s; backend1 then:\n/);
      // Seen over a new connection: the stuck command, asleep in the kernel, and the node's load.
      expect(error?.message, error?.message).to.match(/^\s*\d+ S\S*\s+\d+ \S+\s+sleep 20$/m);
      expect(error?.message, 'kernel threads left out').not.to.match(/\[kswapd0\]/);
      expect(error?.message).to.match(/^disk ubda reads \d+ ms \d+ writes \d+ ms \d+ in flight \d+$/m);
      expect(error?.message).to.match(/^\d+\.\d+ \d+\.\d+ \d+\.\d+ \d+\/\d+ \d+$/m);
      expect(error?.hint).to.include(`lab:status -- --name ${lab}`);
    } finally {
      ssh.close();
    }
  });

  it("keeps management SSH working after the seed's fault: ip link set down eth1 on balancer1", async () => {
    const meta = requireLabMeta(paths, lab);
    const before = await connectNode(paths, meta, 'balancer1');
    try {
      await before.execChecked('ip link set down eth1');
      const after = await connectNode(paths, meta, 'balancer1'); // a new connection, after the fault
      try {
        expect((await after.execChecked('hostname')).stdout.trim()).to.equal('balancer1');
        expect((await after.execChecked('ip -br link show eth1')).stdout).to.match(/^eth1\s+DOWN/);
      } finally {
        after.close();
      }
    } finally {
      await before.exec('ip link set up eth1');
      before.close();
    }
  });

  it('lab:down removes every process, mount and file of the lab, and is safe to run twice', async () => {
    expect(leftovers(paths.dir)).not.to.be.empty; // the lab is really there before
    const namespace = labPidNamespace(paths.holderScript);
    expect(processesInNamespace(namespace).length).to.be.at.least(5);
    const down = await runCli(['down', '--name', lab]);
    // Looked at the moment down returns: nothing of the lab may still be exiting (lab:down && lab:up).
    expect(processesInNamespace(namespace), 'processes of the lab still there when lab:down returned').to.deep.equal([]);
    expect(down.code, down.stderr).to.equal(0);
    expect(down.stderr).to.include(`lab ${lab} removed`);
    expect(leftovers(paths.dir)).to.deep.equal([]);
    expect(existsSync(paths.dir)).to.equal(false);
    expect(hostNetworkSnapshot()).to.equal(hostNetworkBefore);
    const again = await runCli(['down', '--name', lab]);
    expect(again.code).to.equal(0);
    expect(again.stderr).to.include('nothing to remove');
  });
});
