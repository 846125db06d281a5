import path from 'node:path';
import { renderAllNodeFiles } from '../../render/bundle.js';
import { createProgress } from '../../util/progress.js';
import { defaultNodeFilesDir } from '../../vagrant/cli.js';
import { writeNodeFiles } from '../../vagrant/node-files.js';
import type { CommandLine } from '../command-line.js';
import { labSpecOf } from '../lab-spec.js';

/** Each node's provisioning files, for a plain `vagrant up`. */
export async function render(cli: CommandLine): Promise<number> {
  const progress = createProgress();
  const labSpec = await labSpecOf(cli);
  const out = path.resolve(cli.options.out ?? defaultNodeFilesDir);
  writeNodeFiles(out, renderAllNodeFiles(labSpec));
  progress.info(`provisioning files for ${labSpec.nodes.map((node) => node.name).join(', ')} written to ${out}`);
  return 0;
}
