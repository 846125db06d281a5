import { connectNode } from '../lab/access.js';
import { labPaths, requireLabMeta } from '../lab/state.js';
import type { Communicator } from '../ssh/communicator.js';
import type { CommandLine } from './command-line.js';
import { labNameOf } from './lab-spec.js';

/** Opens SSH to a node of the lab named on the command line, and closes it when use is done. */
export async function withNodeSession<T>(cli: CommandLine, node: string, use: (session: Communicator) => Promise<T>): Promise<T> {
  const name = await labNameOf(cli);
  const paths = labPaths(name);
  const session = await connectNode(paths, requireLabMeta(paths, name), node);
  try {
    return await use(session);
  } finally {
    session.close();
  }
}
