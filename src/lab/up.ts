import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureBoxImage } from '../box/image.js';
import { LabError } from '../errors.js';
import { checkUserNamespaces, ensureHostPackages } from '../host/packages.js';
import { provisionNode } from '../provision/apply.js';
import { renderAllNodeFiles } from '../render/bundle.js';
import { Communicator } from '../ssh/communicator.js';
import { ensureLabKey } from '../ssh/keys.js';
import type { LabSpec } from '../spec/types.js';
import { backends } from '../spec/types.js';
import { sandboxPlan } from '../uml/plan.js';
import { sandboxRunning, startSandbox, stopSandbox, waitForSandbox } from '../uml/sandbox.js';
import type { Progress } from '../util/progress.js';
import { clientSocket, sshTarget, withNodes } from './access.js';
import { waitForConvergence } from './convergence.js';
import { httpGet } from './http-probe.js';
import { downLab, labLeftovers } from './down.js';
import { labPaths, readLabMeta, writeLabMeta, type LabMeta, type LabPaths } from './state.js';

export interface UpResult {
  meta: LabMeta;
  /** False when the lab was already up and was only re-provisioned. */
  created: boolean;
  boxBuilt: boolean;
}

const sshTimeoutMs = 90_000;

/**
 * Brings a lab up: everything that can be checked without a VM is checked first (spec, templates,
 * host), then the sandbox and nodes start, are provisioned, and `up` returns once the VIP answers.
 * If anything fails, the half-made lab is removed and its logs are kept for reading.
 */
export async function upLab(spec: LabSpec, progress: Progress): Promise<UpResult> {
  const paths = labPaths(spec.name);
  const files = renderAllNodeFiles(spec); // template errors stop here, before anything exists

  const existing = readLabMeta(paths);
  if (existing?.readyAt && sandboxRunning(paths)) {
    if (JSON.stringify(existing.spec) !== JSON.stringify(spec)) {
      throw new LabError('LAB_UP_DIFFERENT', `lab "${spec.name}" is already up with a different spec`, {
        hint: `take it down first (npm run lab:down -- --name ${spec.name}), or give this one another name with --name`,
      });
    }
    progress.info(`lab ${spec.name} is already up; re-applying its configuration`);
    await provisionAll(paths, existing, spec, files, progress);
    await progress.step('waiting for the VIP to serve HTTP', () => waitForVip(paths, spec));
    return { meta: existing, created: false, boxBuilt: false };
  }
  if (labLeftovers(paths)) await downLab(spec.name, progress, paths); // what an earlier run left

  checkUserNamespaces();
  await ensureHostPackages(progress, { build: false });
  const box = await ensureBoxImage(progress);

  try {
    const meta = await progress.step(`starting ${spec.nodes.length} nodes`, async () => {
      const key = ensureLabKey(paths.privateKey, paths.publicKey);
      const plan = sandboxPlan({ spec, paths, boxImage: box.path, publicKeyBlob: key.publicBlob });
      const created: LabMeta = {
        name: spec.name,
        provider: 'uml',
        spec,
        boxImage: box.path,
        createdAt: new Date().toISOString(),
        nodes: plan.nodes.map((node) => ({ name: node.name, managementAddress: node.managementAddress, sshPort: 22 })),
      };
      writeLabMeta(paths, created);
      startSandbox(paths, plan);
      await waitForSandbox(paths);
      return created;
    });
    await provisionAll(paths, meta, spec, files, progress);
    await progress.step('waiting for the VIP to serve HTTP', () => waitForVip(paths, spec));
    await progress.step('waiting for VRRP to settle', () => withNodes(paths, meta, (sessions) => waitForConvergence(spec, sessions)));
    meta.readyAt = new Date().toISOString();
    writeLabMeta(paths, meta);
    return { meta, created: true, boxBuilt: box.built };
  } catch (error) {
    // For debugging the lab itself: leave the failed lab running to look inside (lab:down removes it).
    if (process.env.FAILOVER_LAB_KEEP_FAILED === '1') throw error;
    const kept = await removeHalfBuiltLab(paths);
    if (error instanceof LabError && kept) {
      throw new LabError(error.code, `${error.message}\n(the lab was removed; its console logs are kept in ${kept})`, { cause: error.cause, hint: error.hint });
    }
    throw error;
  }
}

/** Stops a lab that did not come up, keeping its logs; returns where they are. */
export async function removeHalfBuiltLab(paths: LabPaths): Promise<string | undefined> {
  await stopSandbox(paths);
  const keep = paths.failedLogs;
  let kept: string | undefined;
  if (existsSync(paths.dir)) {
    rmSync(keep, { recursive: true, force: true });
    if (existsSync(paths.holderLog)) {
      mkdirSync(keep, { recursive: true });
      cpSync(paths.holderLog, path.join(keep, 'holder.log'));
      kept = keep;
    }
    const nodesDir = path.dirname(paths.nodeDir('-'));
    for (const node of existsSync(nodesDir) ? readdirSync(nodesDir) : []) {
      const log = path.join(nodesDir, node, 'console.log');
      if (existsSync(log)) {
        mkdirSync(keep, { recursive: true });
        cpSync(log, path.join(keep, `${node}.console.log`));
        kept = keep;
      }
    }
  }
  rmSync(paths.dir, { recursive: true, force: true });
  return kept;
}

function consoleTail(paths: LabPaths, node: string): string {
  return `its console log is ${path.join(paths.nodeDir(node), 'console.log')}`;
}

async function provisionAll(paths: LabPaths, meta: LabMeta, spec: LabSpec, files: Map<string, Record<string, string>>, progress: Progress): Promise<void> {
  await progress.step(`booting and provisioning ${spec.nodes.map((node) => node.name).join(', ')}`, () =>
    Promise.all(
      spec.nodes.map(async (node) => {
        const ssh = await Communicator.waitReady(sshTarget(paths, meta, node.name), sshTimeoutMs, () => consoleTail(paths, node.name));
        try {
          await provisionNode(spec, node, ssh, files.get(node.name) ?? {});
        } finally {
          ssh.close();
        }
      }),
    ),
  );
}

/** The lab is up when a client request to the VIP is answered by a backend. */
async function waitForVip(paths: LabPaths, spec: LabSpec, timeoutMs = 30_000): Promise<void> {
  const names = new Set(backends(spec).map((node) => node.name));
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const answer = await httpGet(clientSocket(paths, spec.vip.address, spec.service.port), spec.vip.address, '/', 2_000);
      if (answer.status === 200 && names.has(answer.body.trim())) return;
      last = `HTTP ${answer.status}: ${answer.body.trim().slice(0, 80)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new LabError('VIP_NOT_SERVING', `the VIP ${spec.vip.address}:${spec.service.port} did not serve a backend's page within ${timeoutMs / 1000} s (last: ${last})`, {
    hint: 'check keepalived on the balancers: npm run lab:status, then npm run lab:exec -- balancer1 journalctl -u keepalived',
  });
}
