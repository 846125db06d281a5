import { expect } from 'chai';
import path from 'node:path';
import { LabError } from '../../src/errors.js';
import { sandboxConnection } from '../../src/lab/sandbox-connection.js';
import { Communicator } from '../../src/ssh/communicator.js';
import { tempDir } from '../helpers.js';

describe('waiting for a node\'s SSH when its lab\'s sandbox is gone', () => {
  it('gives up at once with SANDBOX_UNREACHABLE instead of retrying until the boot deadline (a grader removed the lab under it)', async () => {
    // A control socket nobody serves, as after the sandbox was killed: the real connect error.
    const socketPath = path.join(tempDir(), 'holder.sock');
    const target = { node: 'balancer1', host: '10.0.0.1', port: 22, username: 'root', privateKey: '', openSocket: () => sandboxConnection(socketPath, 'the sandbox of a removed lab', { op: 'connect', host: '10.0.0.1', port: 22 }) };
    const started = Date.now();
    const error = await Communicator.waitReady(target, 20_000).then(() => undefined, (caught: unknown) => caught);
    expect(error).to.be.instanceOf(LabError).with.property('code', 'SANDBOX_UNREACHABLE');
    expect(Date.now() - started, 'not waited for').to.be.below(10_000);
  });
});
