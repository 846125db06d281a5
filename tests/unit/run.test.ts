import { expect } from 'chai';
import { LabError } from '../../src/errors.js';
import { processAlive } from '../../src/util/procfs.js';
import { run, runChecked } from '../../src/util/run.js';

async function rejection(promise: Promise<unknown>): Promise<LabError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).to.be.instanceOf(LabError);
  return error as LabError;
}

describe('running host commands (util/run on execa)', () => {
  it('a missing program is MISSING_COMMAND, naming it and the fix', async () => {
    const error = await rejection(run('failover-lab-no-such-program', ['--version']));
    expect(error.code).to.equal('MISSING_COMMAND');
    expect(error.message).to.include("'failover-lab-no-such-program'");
    expect(error.hint).to.include('failover-lab-no-such-program').and.include('PATH');
  });

  it('a non-zero exit is a result for run, and COMMAND_FAILED quoting the command and the end of its output for runChecked', async () => {
    const script = 'for i in $(seq 1 20); do echo line$i >&2; done; exit 3';
    const result = await run('sh', ['-c', script]);
    expect(result.code).to.equal(3);
    const error = await rejection(runChecked('sh', ['-c', script]));
    expect(error.code).to.equal('COMMAND_FAILED');
    expect(error.message).to.include(`'sh -c ${script}' exited with 3`).and.include('line20');
    expect(error.message).to.include('line9').and.not.include('line8\n'); // the last 12 lines
  });

  it('gives input, environment and output as they are, and each chunk of output to onOutput', async () => {
    const chunks: string[] = [];
    const result = await run('sh', ['-c', 'cat; echo "$GREETING" >&2'], { input: 'héllo\n', env: { PATH: process.env.PATH, GREETING: 'hi' }, onOutput: (chunk) => chunks.push(chunk) });
    expect(result).to.deep.equal({ code: 0, stdout: 'héllo\n', stderr: 'hi\n' });
    expect(chunks.join('')).to.include('héllo\n').and.include('hi\n');
  });

  it('a timeout kills the command and its children, which would otherwise keep its output open', async () => {
    const started = Date.now();
    const result = await run('sh', ['-c', 'sleep 30 & echo $!; sleep 30'], { timeoutMs: 300 });
    expect(Date.now() - started).to.be.below(5000);
    expect(result.timedOut).to.equal(true);
    expect(result.code).to.equal(128 + 9);
    const grandchild = Number(result.stdout.trim());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processAlive(grandchild), `the background sleep ${grandchild} outlived the timeout`).to.equal(false);
    const error = await rejection(runChecked('sh', ['-c', 'echo started; sleep 30'], { timeoutMs: 300 }));
    expect(error.message).to.include('was killed after 0.3 s').and.include('started');
  });
});
