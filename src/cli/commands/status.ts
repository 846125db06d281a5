import { formatStatusTable, labStatus } from '../../lab/status.js';
import type { CommandLine } from '../command-line.js';
import { labNameOf } from '../lab-spec.js';

export async function status(cli: CommandLine): Promise<number> {
  process.stdout.write(formatStatusTable(await labStatus(await labNameOf(cli))));
  return 0;
}
