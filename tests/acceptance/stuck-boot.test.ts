import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { clientSocket } from '../../src/lab/access.js';
import { httpGet } from '../../src/lab/http-probe.js';
import { labPaths, requireLabMeta } from '../../src/lab/state.js';
import { cliPath, processesMentioning, runCli } from './cli.js';

const lab = 'stuck';
const paths = labPaths(lab);
const vip = '172.28.128.200';

describe('lab:up when a node does not finish booting (acceptance)', function () {
  this.timeout(300_000);

  after(async function () {
    this.timeout(60_000);
    await runCli(['down', '--name', lab]);
  });

  it('restarts that node once with a fresh disk, says so, and the lab comes up', async () => {
    await runCli(['down', '--name', lab]);
    // A boot that hangs, made real: backend2's VM is frozen (SIGSTOP) as soon as it starts.
    const deadlineSeconds = 30;
    const up = spawn(process.execPath, [cliPath, 'up', '--name', lab], { env: { ...process.env, FAILOVER_LAB_BOOT_DEADLINE: String(deadlineSeconds) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    up.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => up.once('exit', resolve));
    let frozen: string[] = [];
    for (const started = Date.now(); frozen.length === 0 && Date.now() - started < 60_000; ) {
      frozen = processesMentioning(`umid=${lab}-backend2`).map((entry) => entry.split(':')[0] ?? '');
      if (frozen.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(frozen, 'backend2 never started').not.to.be.empty;
    spawnSync('kill', ['-STOP', ...frozen]);

    expect(await exited, stderr).to.equal(0);
    expect(stderr).to.match(new RegExp(`backend2 did not answer SSH within ${deadlineSeconds} s.*restarting it once with a fresh disk`));
    expect(stderr).not.to.match(/(balancer1|balancer2|backend1) did not answer SSH/);
    // The frozen VM is gone, its console log kept beside the new one.
    for (const pid of frozen) expect(existsSync(`/proc/${pid}`) && !/\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'latin1')), `frozen pid ${pid} still runs`).to.equal(false);
    const nodeDir = paths.nodeDir('backend2');
    expect(existsSync(path.join(nodeDir, 'console.1.log'))).to.equal(true);
    // Both backends serve: the restarted one was provisioned like the others.
    const meta = requireLabMeta(paths, lab);
    const answers = new Set<string>();
    for (let request = 0; request < 4; request += 1) answers.add((await httpGet(clientSocket(paths, meta, vip, 80), vip)).body.trim());
    expect([...answers].sort()).to.deep.equal(['backend1', 'backend2']);
  });
});
