import { existsSync } from 'node:fs';
import { cachedBoxImage } from '../box/image.js';
import { missingPackages, userNamespaceProblems } from '../host/packages.js';
import type { LabSpec } from '../spec/types.js';
import { isRoot } from '../util/paths.js';
import { type Check, note, ok, problem } from './check.js';
import { availableMemoryMb } from './memory.js';

/** Per node: the uml kernel's mem= plus what its host-side helpers and page tables take (measured: ~+50 MB PSS). */
const umlOverheadMb = 64;

/** Can the uml provider run on this host? Synchronous and quick: it only reads files. */
export function umlChecks(spec: LabSpec, platform: NodeJS.Platform = process.platform): Check[] {
  if (platform !== 'linux') return [problem(`the uml provider needs a Linux host (this is ${platform})`, 'use the vagrant provider: npm run lab:up -- --provider vagrant')];
  const checks: Check[] = [];
  const root = isRoot();
  checks.push(root ? ok('running as root (the lab itself runs as uid 65534 inside its sandbox)') : note('not root: the lab runs in unprivileged user namespaces'));
  for (const userns of userNamespaceProblems()) checks.push(problem(userns.message, userns.fix));

  const image = cachedBoxImage();
  const missing = missingPackages({ build: !image });
  const apt = existsSync('/usr/bin/apt-get');
  if (missing.length === 0) checks.push(ok(`host packages present (user-mode-linux, iproute2, util-linux${image ? '' : ', mmdebstrap, e2fsprogs'})`));
  else if (root && apt) checks.push(note(`packages ${missing.join(', ')} are missing: lab:up installs them (root, apt)`));
  else checks.push(problem(`packages ${missing.join(', ')} are missing`, apt ? `sudo apt-get install -y ${missing.join(' ')}` : `install ${missing.join(', ')} with the distribution's package manager`));

  if (image) checks.push(ok(`node image cached: ${image}`));
  else if (root) checks.push(note('the node image is not built yet: lab:up builds it once (about 30 s)'));
  else checks.push(problem('the node image is not built yet, and building it needs root', 'sudo npm run lab:image (once; every user can then use it)'));

  checks.push(note('/dev/net/tun is not needed: nodes use raw sockets on veth pairs inside the lab namespace'));

  const needMb = spec.nodes.length * (spec.memoryMb + umlOverheadMb);
  const freeMb = availableMemoryMb();
  checks.push(
    freeMb >= needMb
      ? ok(`memory: ${needMb} MiB needed for ${spec.nodes.length} nodes, ${freeMb} MiB available`)
      : problem(`memory: ${needMb} MiB needed for ${spec.nodes.length} nodes, only ${freeMb} MiB available`, `stop other programs, or lower resources.memory_mb in ${spec.sourcePath}`),
  );
  return checks;
}
