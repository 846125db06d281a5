import { LabError } from '../../errors.js';
import type { CommandLine } from '../command-line.js';
import { withNodeSession } from '../node-session.js';

export async function ssh(cli: CommandLine): Promise<number> {
  const [node] = cli.args;
  if (!node) throw new LabError('USAGE', 'which node? e.g. failover-lab ssh balancer1');
  return withNodeSession(cli, node, (session) => session.shell(process.stdin, process.stdout));
}
