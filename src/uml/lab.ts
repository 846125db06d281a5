import path from 'node:path';
import { cachedBoxImage, ensureBoxImage } from '../box/image.js';
import { checkUserNamespaces, ensureHostPackages } from '../host/packages.js';
import { sshTarget } from '../lab/access.js';
import { writeLabMeta, type LabMeta, type LabPaths } from '../lab/state.js';
import { provisionNode } from '../provision/apply.js';
import { Communicator } from '../ssh/communicator.js';
import { ensureLabKey, generateHostKey } from '../ssh/keys.js';
import type { LabSpec } from '../spec/types.js';
import type { Progress } from '../util/progress.js';
import { sandboxPlan } from './plan.js';
import { applyCpuLimit } from './cpu-limit.js';
import { startSandbox, waitForSandbox } from './sandbox.js';

const sshTimeoutMs = 90_000;

/** Starts the lab's sandbox and uml nodes and provisions them over SSH. Returns with the lab's state written. */
export async function startUmlLab(spec: LabSpec, paths: LabPaths, files: Map<string, Record<string, string>>, progress: Progress): Promise<{ meta: LabMeta; boxBuilt: boolean }> {
  checkUserNamespaces();
  // Everything the up will need is asked for in one go, before any of it is used: on a fresh host
  // that includes the image builder's packages (no image is cached there).
  await ensureHostPackages(progress, { build: cachedBoxImage() === undefined });
  const box = await ensureBoxImage(progress);
  const meta = await progress.step(`starting ${spec.nodes.length} nodes`, async () => {
    const key = ensureLabKey(paths.privateKey, paths.publicKey);
    const hostKeys = new Map(spec.nodes.map((node) => [node.name, generateHostKey(node.name)]));
    const plan = sandboxPlan({ spec, paths, boxImage: box.path, publicKeyBlob: key.publicBlob, hostKeys: new Map([...hostKeys].map(([name, hostKey]) => [name, hostKey.privateBody])) });
    const created: LabMeta = {
      name: spec.name,
      provider: 'uml',
      spec,
      boxImage: box.path,
      createdAt: new Date().toISOString(),
      nodes: plan.nodes.map((node) => ({ name: node.name, managementAddress: node.managementAddress, sshPort: 22, hostKey: hostKeys.get(node.name)?.publicKey })),
    };
    const cpuLimit = applyCpuLimit(spec.name);
    created.cpuLimit = cpuLimit.description;
    writeLabMeta(paths, created);
    progress.info(`CPU of the lab: ${cpuLimit.description}`);
    startSandbox(paths, plan, cpuLimit);
    await waitForSandbox(paths);
    return created;
  });
  await provisionUmlLab(paths, meta, spec, files, progress);
  return { meta, boxBuilt: box.built };
}

/** Provisions every node over SSH: the provision/ scripts and the node's rendered files. Idempotent. */
export async function provisionUmlLab(paths: LabPaths, meta: LabMeta, spec: LabSpec, files: Map<string, Record<string, string>>, progress: Progress): Promise<void> {
  await progress.step(`booting and provisioning ${spec.nodes.map((node) => node.name).join(', ')}`, () =>
    Promise.all(
      spec.nodes.map(async (node) => {
        const consoleLog = () => `its console log is ${path.join(paths.nodeDir(node.name), 'console.log')}`;
        const ssh = await Communicator.waitReady(sshTarget(paths, meta, node.name), sshTimeoutMs, consoleLog);
        try {
          await provisionNode(spec, node, ssh, files.get(node.name) ?? {});
        } finally {
          ssh.close();
        }
      }),
    ),
  );
}
