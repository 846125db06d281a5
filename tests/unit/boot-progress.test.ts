import { expect } from 'chai';
import { utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers.js';
import { bootProgress, lastConsoleLine, longRunningJob, quietConsoleMs } from '../../src/uml/boot-progress.js';

// Console lines of uml nodes booting Debian 12 (systemd 252): the first two from CI, where two labs
// booted at once and every node was still starting units after 45 s; the last from the one stuck boot.
const slowBoot = '[\x1b[0;1;31m   ***\x1b[0m] (2 of 4) Job systemd-modules-load.s…vice/start running (6s / 1min 31s)';
const slowBootSkipped = 'systemd[1]: systemd-repart.service - Repartition Root Disk was skipped because no trigger condition checks were met.';
const stuckJob = '[  ***] Job systemd-tmpfiles-setup.service/start running (1min 24s / no limit)';

describe('a booting node: slow or stuck (from its console log)', () => {
  const dir = tempDir('boot-progress-');
  const log = path.join(dir, 'console.log');

  it("reads systemd's long-running job lines, with minutes, seconds and a truncated unit name", () => {
    expect(longRunningJob(stuckJob)).to.deep.equal({ name: 'systemd-tmpfiles-setup.service', seconds: 84 });
    expect(longRunningJob(slowBoot)).to.equal(undefined);
    expect(longRunningJob('[ ***] Job ssh.service/start running (45s / 1min 30s)')).to.deep.equal({ name: 'ssh.service', seconds: 45 });
    expect(longRunningJob(slowBootSkipped)).to.equal(undefined);
  });

  it('takes the last line without terminal escapes', () => {
    expect(lastConsoleLine(`booting\n${slowBoot}\r\n\n`)).to.equal('[   ***] (2 of 4) Job systemd-modules-load.s…vice/start running (6s / 1min 31s)');
  });

  it('a console still writing is a slow boot, not a stuck one', () => {
    writeFileSync(log, `${slowBootSkipped}\n${slowBoot}\n`);
    expect(bootProgress(log)).to.include({ stuck: false });
  });

  it('a console silent for a while, a job running for long or no console at all is stuck', () => {
    writeFileSync(log, `${slowBoot}\n`);
    const now = Date.now();
    utimesSync(log, new Date(now - quietConsoleMs - 1000), new Date(now - quietConsoleMs - 1000));
    const quiet = bootProgress(log, now);
    expect(quiet).to.include({ stuck: true });
    expect(quiet.stuck && quiet.why).to.match(/console has been silent for 2\d s/);
    writeFileSync(log, `${stuckJob}\n`);
    const hung = bootProgress(log);
    expect(hung.stuck && hung.why).to.equal('systemd-tmpfiles-setup.service has been starting for 84 s');
    expect(bootProgress(path.join(dir, 'missing.log'))).to.include({ stuck: true });
  });
});
