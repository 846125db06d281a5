import { LabError } from '../../errors.js';
import type { CommandLine } from '../command-line.js';
import { withNodeSession } from '../node-session.js';

/** Runs the remote command (words joined, as a shell line) and exits with its exit code. */
export async function exec(cli: CommandLine): Promise<number> {
  const [node] = cli.args;
  if (!node || cli.remote.length === 0) throw new LabError('USAGE', 'usage: failover-lab exec NODE COMMAND...');
  return withNodeSession(cli, node, async (session) => {
    const result = await session.exec(cli.remote.join(' '));
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    return result.code;
  });
}
