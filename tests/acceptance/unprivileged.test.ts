import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clientSocket } from '../../src/lab/access.js';
import { httpGet } from '../../src/lab/http-probe.js';
import { labPaths, requireLabMeta } from '../../src/lab/state.js';
import { repoRoot } from '../helpers.js';
import { leftovers, processesMentioning, runCli, settledStatusTable, takeEarlyLab } from './cli.js';
import { upWithDescribeBefore } from './early-labs.js';

const nobody = 65534;
const isRoot = process.getuid?.() === 0;

/**
 * The same lab, run by an unprivileged user (uid 65534) with the image root built, while a second
 * lab with the same addresses runs as root: labs are isolated by their own namespaces.
 */
describe('an unprivileged user runs a lab beside a root one (acceptance)', function () {
  this.timeout(300_000);
  const rootLab = 'beside';
  const userLab = 'unprivileged';
  let work = '';
  let env: NodeJS.ProcessEnv = {};
  let cli = '';
  const asNobody = ['setpriv', `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', '--inh-caps=-all', process.execPath];

  // The root lab comes up in the background while the describe before this one runs (early-labs.ts).
  if (isRoot) upWithDescribeBefore(this, rootLab, [], { timeoutMs: 600_000 });

  before(async function () {
    // Not root: every other acceptance test already ran unprivileged.
    if (!isRoot) this.skip();
    this.timeout(600_000);
    // A copy the user can read wherever the checkout lives (CI may clone under /root).
    work = mkdtempSync(path.join(os.tmpdir(), 'failover-lab-unprivileged-'));
    chmodSync(work, 0o755);
    for (const entry of ['package.json', 'dist', 'node_modules', 'provision', 'box', 'lab']) {
      cpSync(path.join(repoRoot, entry), path.join(work, 'app', entry), { recursive: true });
    }
    const home = path.join(work, 'home');
    mkdirSync(home);
    spawnSync('chown', [`${nobody}:${nobody}`, home]);
    env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: home, LANG: 'C.UTF-8' };
    cli = path.join(work, 'app', 'dist', 'src', 'cli', 'main.js');
    await takeEarlyLab(rootLab);
  });

  after(async function () {
    if (!isRoot) return;
    this.timeout(60_000);
    await runCli(['down', '--name', userLab], { command: asNobody, cli, env });
    await runCli(['down', '--name', rootLab]);
    rmSync(work, { recursive: true, force: true });
  });

  it('brings the lab up, answers lab:status and lab:exec, and removes it all, without root', async () => {
    const up = await runCli(['up', '--name', userLab], { command: asNobody, cli, env });
    expect(up.code, up.stderr).to.equal(0);

    const stateDir = path.join(env.HOME ?? '', '.local', 'state', 'failover-lab', 'labs', userLab);
    const uml = processesMentioning(`uml_dir=${stateDir}/sandbox/uml`);
    expect(uml.length).to.be.at.least(4);
    // uml starts short-lived helper processes: judge those still there when looked at.
    const owners = uml.flatMap((entry) => {
      try {
        return [readFileSync(`/proc/${entry.split(':')[0]}/status`, 'utf8')];
      } catch {
        return [];
      }
    });
    expect(owners.length).to.be.at.least(4);
    for (const status of owners) expect(status, `a uml process runs as uid ${nobody}`).to.match(new RegExp(`^Uid:\\s+${nobody}\\s`, 'm'));

    const status = await settledStatusTable(userLab, { command: asNobody, cli, env });
    expect(status.code, status.stderr).to.equal(0);
    expect(status.stdout).to.match(/balancer1\s+balancer\s+running\s+\S+\s+172\.28\.128\.10\s+MASTER\s+yes\s+yes/);
    expect(status.stdout).to.match(/balancer2\s+balancer\s+running\s+\S+\s+172\.28\.128\.20\s+BACKUP\s+-\s+yes/);
    const whoami = await runCli(['exec', '--name', userLab, 'backend1', 'id', '-u'], { command: asNobody, cli, env });
    expect(whoami.stdout.trim()).to.equal('0'); // root inside the node, nobody outside

    // The root lab, same addresses, still serves its own VIP.
    const paths = labPaths(rootLab);
    const answer = await httpGet(clientSocket(paths, requireLabMeta(paths, rootLab), '172.28.128.200', 80), '172.28.128.200');
    expect(answer.body.trim()).to.match(/^backend[12]$/);

    const down = await runCli(['down', '--name', userLab], { command: asNobody, cli, env });
    expect(down.code, down.stderr).to.equal(0);
    expect(leftovers(stateDir)).to.deep.equal([]);
    expect(existsSync(stateDir)).to.equal(false);
  });
});
