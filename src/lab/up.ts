import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LabError } from '../errors.js';
import { renderAllNodeFiles } from '../render/bundle.js';
import type { LabSpec } from '../spec/types.js';
import { backends, vipAddresses } from '../spec/types.js';
import type { CpuPriority } from '../provider/provider.js';
import { providerFor } from '../provider/registry.js';
import type { Progress } from '../util/progress.js';
import { clientSocket } from './access.js';
import { waitForLabConvergence } from './convergence.js';
import { downLab, labLeftovers, stopLabMachines } from './down.js';
import { httpGet } from './http-probe.js';
import { labRunning } from './running.js';
import { labPaths, readLabMeta, writeLabMeta, type LabMeta, type LabPaths, type ProviderName } from './state.js';

export interface UpResult {
  meta: LabMeta;
  /** False when the lab was already up and was only re-provisioned. */
  created: boolean;
  boxBuilt: boolean;
}

/**
 * Brings a lab up: everything that can be checked without a VM is checked first (spec, templates,
 * host), then the provider starts and provisions the nodes, and `up` returns once the VIP answers
 * and VRRP has settled. If anything fails, the half-made lab is removed and its logs are kept.
 */
export interface UpOptions {
  /** Runs on a lab that failed to come up, before it is removed: its nodes may still answer (the grader reads their logs). */
  beforeRemovingFailed?: (paths: LabPaths) => Promise<void>;
  /** The new lab's CPU weight beside other labs from its first process on (default foreground; see LabProvider.setCpuPriority). */
  priority?: CpuPriority;
}

export async function upLab(spec: LabSpec, progress: Progress, providerName: ProviderName, options: UpOptions = {}): Promise<UpResult> {
  const paths = labPaths(spec.name);
  const provider = providerFor(providerName);
  const files = renderAllNodeFiles(spec); // template errors stop here, before anything exists

  const existing = readLabMeta(paths);
  const sameSpec = existing !== undefined && JSON.stringify(existing.spec) === JSON.stringify(spec);
  if (existing?.readyAt && (await labRunning(paths, existing))) {
    if (!sameSpec || existing.provider !== provider.name) {
      const what = existing.provider !== provider.name ? `on the ${existing.provider} provider` : 'with a different spec';
      throw new LabError('LAB_UP_DIFFERENT', `lab "${spec.name}" is already up ${what}`, {
        hint: `take it down first (npm run lab:down -- --name ${spec.name}), or give this one another name with --name`,
      });
    }
    progress.info(`lab ${spec.name} is already up; re-applying its configuration`);
    await provider.reprovision(spec, paths, existing, files, progress);
    await progress.step('waiting for the VIP to serve HTTP', () => waitForVip(paths, existing, spec));
    return { meta: existing, created: false, boxBuilt: false };
  }
  // A lab whose machines exist but are stopped (a laptop rebooted), where the provider can boot
  // them again: much quicker than making and provisioning new ones.
  const resumable = existing?.readyAt && existing.provider === provider.name && provider.resumesStoppedLabs && sameSpec;
  if (!resumable && labLeftovers(paths)) await downLab(spec.name, progress, paths); // what an earlier run left

  try {
    const { meta, boxBuilt } = await provider.start(spec, paths, files, progress, options.priority);
    await progress.step('waiting for the VIP to serve HTTP', () => waitForVip(paths, meta, spec));
    await progress.step('waiting for VRRP to settle', () => waitForLabConvergence(paths, meta));
    meta.readyAt = new Date().toISOString();
    writeLabMeta(paths, meta);
    return { meta, created: true, boxBuilt };
  } catch (error) {
    // For debugging the lab itself: leave the failed lab running to look inside (lab:down removes it).
    if (process.env.FAILOVER_LAB_KEEP_FAILED === '1') throw error;
    let kept: string | undefined;
    await options.beforeRemovingFailed?.(paths).catch(() => undefined);
    try {
      kept = await removeHalfBuiltLab(paths, progress);
    } catch (cleanup) {
      // The state stays (removeHalfBuiltLab keeps it when it cannot finish), so lab:down can retry.
      const reason = cleanup instanceof Error ? cleanup.message.split('\n')[0] : String(cleanup);
      throw new LabError(error instanceof LabError ? error.code : 'UP_FAILED', `${error instanceof Error ? error.message : String(error)}\n(removing the half-built lab failed too: ${reason})`, {
        cause: error,
        hint: `remove what is left with: npm run lab:down -- --name ${spec.name}`,
      });
    }
    if (error instanceof LabError && kept) {
      throw new LabError(error.code, `${error.message}\n(the lab was removed; its logs are kept in ${kept})`, { cause: error.cause, hint: error.hint, ...(error.details ? { details: error.details } : {}) });
    }
    throw error;
  }
}

/**
 * Removes a lab that did not come up (its VMs too), keeping its logs; returns where they are.
 * Throws, keeping the state directory, when the VMs cannot be destroyed.
 */
export async function removeHalfBuiltLab(paths: LabPaths, progress: Progress): Promise<string | undefined> {
  await stopLabMachines(paths, progress);
  const keep = paths.failedLogs;
  let kept: string | undefined;
  if (existsSync(paths.dir)) {
    rmSync(keep, { recursive: true, force: true });
    if (existsSync(paths.holderLog)) {
      mkdirSync(keep, { recursive: true });
      cpSync(paths.holderLog, path.join(keep, 'holder.log'));
      kept = keep;
    }
    for (const node of existsSync(paths.nodesDir) ? readdirSync(paths.nodesDir) : []) {
      const log = path.join(paths.nodeDir(node), 'console.log');
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

/** The lab is up when a client request to each VIP is answered by a backend. */
async function waitForVip(paths: LabPaths, meta: LabMeta, spec: LabSpec, timeoutMs = 30_000): Promise<void> {
  const names = new Set(backends(spec).map((node) => node.name));
  const deadline = Date.now() + timeoutMs;
  for (const vip of vipAddresses(spec)) {
    let last = 'no answer';
    for (;;) {
      try {
        const answer = await httpGet(clientSocket(paths, meta, vip, spec.service.port), vip, '/', 2_000);
        if (answer.status === 200 && names.has(answer.body.trim())) break;
        last = `HTTP ${answer.status}: ${answer.body.trim().slice(0, 80)}`;
      } catch (error) {
        if (error instanceof LabError && error.code === 'SANDBOX_UNREACHABLE') throw error; // the lab is gone
        last = error instanceof Error ? error.message : String(error);
      }
      if (Date.now() >= deadline) {
        throw new LabError('VIP_NOT_SERVING', `the VIP ${vip}:${spec.service.port} did not serve a backend's page within ${timeoutMs / 1000} s (last: ${last})`, {
          hint: 'check keepalived on the balancers: npm run lab:status, then npm run lab:exec -- balancer1 journalctl -u keepalived',
        });
      }
      await sleep(200);
    }
  }
}
