import { expect } from 'chai';
import { createProgress, silentProgress, trackingProgress } from '../../src/util/progress.js';

/** A stand-in for process.stderr that records what is written. */
function captured(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const stream = { isTTY, write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => text.replace(/\(\d+\.\d s\)|\d+\.\d s/g, 'T') };
}

describe('progress output', () => {
  it('on a TTY: a step line is replaced by its result; lines printed meanwhile end it first', async () => {
    const out = captured(true);
    const progress = createProgress(out.stream);
    await progress.step('quiet step', async () => undefined);
    await progress.step('vagrant up', async () => progress.info('    ==> balancer1: Booting VM...'));
    expect(out.text()).to.equal('  … quiet step\r\x1b[2K  ✓ quiet step T\n  … vagrant up\n    ==> balancer1: Booting VM...\n  ✓ vagrant up T\n');
  });

  it('elsewhere: plain lines, with the failure of a step', async () => {
    const out = captured(false);
    const progress = createProgress(out.stream);
    await progress.step('boot', () => Promise.reject(new Error('no'))).catch(() => undefined);
    expect(out.text()).to.equal('boot …\nboot: failed after T\n');
  });

  it('tracks the steps still running, nested ones too, so that a timeout can say where it was', async () => {
    const progress = trackingProgress(silentProgress);
    expect(progress.running()).to.equal(undefined);
    let inside: string | undefined;
    await progress.step('lab up', () => progress.step('booting 4 nodes', async () => void (inside = progress.running())));
    expect(inside).to.match(/^lab up \(for \d+\.\d s\) › booting 4 nodes \(for \d+\.\d s\)$/);
    await progress.step('failing', async () => { throw new Error('no'); }).catch(() => undefined);
    expect(progress.running(), 'a finished or failed step is no longer running').to.equal(undefined);
  });
});
