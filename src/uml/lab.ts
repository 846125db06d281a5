import path from 'node:path';
import { innermostMessage, LabError } from '../errors.js';
import { cachedBoxImage, ensureBoxImage } from '../box/image.js';
import { checkUserNamespaces, ensureHostPackages } from '../host/packages.js';
import { nodeAccess, writeLabMeta, type LabMeta, type LabPaths } from '../lab/state.js';
import { provisionNode } from '../provision/apply.js';
import { Communicator } from '../ssh/communicator.js';
import { ensureLabKey, generateHostKey } from '../ssh/keys.js';
import type { CpuPriority } from '../provider/provider.js';
import type { LabSpec } from '../spec/types.js';
import type { Progress } from '../util/progress.js';
import { umlSshTarget } from './access.js';
import { sandboxPlan, umidOf } from './plan.js';
import { bootProgress } from './boot-progress.js';
import { applyCpuLimit, enforceCpuLimit } from '../host/cpu-limit.js';
import { restartSandboxNode, startSandbox, waitForSandbox } from './sandbox.js';

/** Starts the lab's sandbox and uml nodes and provisions them over SSH. Returns with the lab's state written. */
export async function startUmlLab(spec: LabSpec, paths: LabPaths, files: Map<string, Record<string, string>>, progress: Progress, priority: CpuPriority = 'foreground'): Promise<{ meta: LabMeta; boxBuilt: boolean }> {
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
    const cpuLimit = applyCpuLimit(spec.name, priority);
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

/**
 * When a node that has not answered SSH is first looked at (FAILOVER_LAB_BOOT_DEADLINE). Nodes
 * answer in 5-30 s with one lab on 2 cores; with two labs booting at once every node of both was
 * still in early systemd units after 45 s (CI), so a boot that still progresses is waited for
 * (looked at again every 15 s, up to 4 × the deadline), and only a stuck one is restarted.
 */
function bootDeadlineMs(): number {
  const seconds = Number(process.env.FAILOVER_LAB_BOOT_DEADLINE ?? 45);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 45) * 1000;
}

const bootRecheckMs = 15_000;
const slowBootFactor = 4;

/**
 * Waits for a node's sshd. A node whose boot is stuck (see bootProgress), or still not done after
 * 4 × the deadline, is restarted once with a fresh disk (saying so), so one stuck boot does not
 * fail a whole lab or a batch of them.
 */
async function waitForNodeSsh(paths: LabPaths, meta: LabMeta, node: string, progress: Progress): Promise<Communicator> {
  const consoleLog = path.join(paths.nodeDir(node), 'console.log');
  const target = umlSshTarget(paths, nodeAccess(meta, node));
  const deadline = bootDeadlineMs();
  let restartNote: string | undefined;
  let waited = 0;
  let next = deadline;
  for (;;) {
    try {
      return await Communicator.waitReady(target, next);
    } catch (error) {
      if (!(error instanceof LabError) || error.code !== 'NODE_TIMEOUT') throw error;
      waited += next;
      const boot = bootProgress(consoleLog);
      if (!boot.stuck && waited < deadline * slowBootFactor) {
        next = bootRecheckMs;
        continue;
      }
      const why = boot.stuck ? boot.why : 'it is still booting';
      // What the last SSH attempt met (refused, reset, no handshake) tells a dead sshd from a stalled node.
      const said = `${boot.lastLine ? `; its console last said: ${boot.lastLine}` : ''}; the last SSH attempt: ${error.cause === undefined ? 'none' : innermostMessage(error.cause).split('\n')[0]}`;
      if (restartNote !== undefined) {
        throw new LabError('NODE_TIMEOUT', `${node} did not accept SSH within ${waited / 1000} s of its restart (${why}${said})\n${restartNote}`, {
          cause: error.cause,
          hint: error.hint,
        });
      }
      progress.info(`${node} did not answer SSH within ${waited / 1000} s (${why}${said}): restarting it once with a fresh disk`);
      const restarted = await restartSandboxNode(paths, umidOf(meta.name, node), node);
      restartNote = `it was restarted once after ${waited / 1000} s; its console logs are ${consoleLog.replace(/\.log$/, `.${restarted.restarts}.log`)} and ${consoleLog}`;
      waited = 0;
      next = deadline;
    }
  }
}

/**
 * Provisions every node over SSH: the provision/ scripts and the node's rendered files. Idempotent.
 * Every node is booted first and the lab's CPU cap set before any configuration (a submission's
 * scripts run as root) reaches a node.
 */
export async function provisionUmlLab(paths: LabPaths, meta: LabMeta, spec: LabSpec, files: Map<string, Record<string, string>>, progress: Progress): Promise<void> {
  const names = spec.nodes.map((node) => node.name).join(', ');
  const sessions = await progress.step(`booting ${names}`, async () => {
    const settled = await Promise.allSettled(spec.nodes.map(async (node) => [node, await waitForNodeSsh(paths, meta, node.name, progress)] as const));
    const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    const ready = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    if (failed) {
      for (const [, ssh] of ready) ssh.close();
      throw failed.reason;
    }
    return ready;
  });
  try {
    enforceCpuLimit(spec.name);
    await progress.step(`provisioning ${names}`, () => Promise.all(sessions.map(([node, ssh]) => provisionNode(spec, node, ssh, files.get(node.name) ?? {}))));
  } finally {
    for (const [, ssh] of sessions) ssh.close();
  }
}
