import type { LabSpec } from '../spec/types.js';
import { defaultSpecPath } from '../util/paths.js';
import type { CommandLine } from './command-line.js';

/** The spec named by --spec (default lab/seed.yaml), under the --name given. */
export async function labSpecOf(cli: CommandLine): Promise<LabSpec> {
  // The spec's parser and schema (yaml, zod) take ~90 ms of CPU to load: only a command that reads the spec pays.
  const { loadSpec } = await import('../spec/load.js');
  return loadSpec(cli.options.spec ?? defaultSpecPath, { name: cli.options.name });
}

/** --name, or the spec's name: the spec is read only when no name is given. */
export async function labNameOf(cli: CommandLine): Promise<string> {
  return cli.options.name ?? (await labSpecOf(cli)).name;
}
