import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { labPaths } from '../../src/lab/state.js';
import { labCgroups } from '../../src/host/cpu-limit.js';
import { cliPath, hostNetworkSnapshot, leftovers, processesMentioning, runCli } from './cli.js';

const lab = 'crashed';
const paths = labPaths(lab);

describe('lab:down after the orchestrator was killed with SIGKILL in the middle of lab:up (acceptance)', function () {
  this.timeout(180_000);

  after(async () => {
    await runCli(['down', '--name', lab]);
  });

  it('finds the orphaned lab and removes all of it', async () => {
    await runCli(['down', '--name', lab]);
    const hostNetworkBefore = hostNetworkSnapshot();
    const up = spawn(process.execPath, [cliPath, 'up', '--name', lab], { stdio: 'ignore' });
    const umlMarker = `uml_dir=${paths.umlDir}`;
    const deadline = Date.now() + 120_000;
    // Kill it once its nodes are booting: the sandbox exists and uml processes run.
    while (processesMentioning(umlMarker).length < 4) {
      expect(Date.now(), 'the nodes never started').to.be.lessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    up.kill('SIGKILL');
    await new Promise((resolve) => up.once('exit', resolve));

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(processesMentioning(umlMarker), 'the lab outlives its orchestrator').to.have.length.greaterThan(3);
    if (process.getuid?.() === 0) expect(labCgroups(lab), 'the lab runs in its CPU (and process) cgroups').not.to.be.empty;

    const down = await runCli(['down', '--name', lab]);
    expect(down.code, down.stderr).to.equal(0);
    expect(leftovers(paths.dir)).to.deep.equal([]);
    expect(labCgroups(lab), 'CPU cgroups left').to.deep.equal([]);
    expect(existsSync(paths.dir)).to.equal(false);
    expect(hostNetworkSnapshot()).to.equal(hostNetworkBefore);
  });
});
