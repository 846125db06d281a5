import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { labCgroups, removeCpuLimit } from '../host/cpu-limit.js';
import { providers } from '../provider/registry.js';
import type { Progress } from '../util/progress.js';
import { labPaths, type LabPaths } from './state.js';

export interface DownReport {
  name: string;
  processesKilled: number;
  /** A Vagrant lab's VMs were destroyed. */
  machinesDestroyed: boolean;
  stateRemoved: boolean;
}

/**
 * Removes everything a lab made: its sandbox (and with it every process, interface and mount in
 * it) or its Vagrant VMs, and its state directory. Works from the state directory and /proc alone,
 * so it also cleans up after an orchestrator that was killed mid-`up`. Safe to run when nothing is there.
 */
export async function downLab(name: string, progress: Progress, paths: LabPaths = labPaths(name)): Promise<DownReport> {
  return progress.step(`stopping lab ${name}`, () => removeLab(paths, progress));
}

/** True when anything of the lab is there to remove: processes, state or kept logs. */
export function labLeftovers(paths: LabPaths): boolean {
  return existsSync(paths.dir) || existsSync(paths.failedLogs) || labCgroups(path.basename(paths.dir)).length > 0 || providers.some((provider) => provider.running(paths));
}

/**
 * Stops whatever runs the lab's nodes. Every provider is asked, not only the one lab.json names:
 * after a crash mid-up there may be no lab.json, and each finds its own leftovers. Throws when
 * one cannot finish; its records are in the state directory, which the caller must then keep.
 */
export async function stopLabMachines(paths: LabPaths, progress: Progress): Promise<{ processesKilled: number; machinesDestroyed: boolean }> {
  let processesKilled = 0;
  let machinesDestroyed = false;
  for (const provider of providers) {
    const removed = await provider.removeMachines(paths, progress);
    processesKilled += removed.processesKilled;
    machinesDestroyed ||= removed.machinesDestroyed;
  }
  // After every provider: a lab's cgroups hold all of its processes, whichever provider ran them.
  removeCpuLimit(path.basename(paths.dir)); // by name: also when lab.json was never written
  return { processesKilled, machinesDestroyed };
}

async function removeLab(paths: LabPaths, progress: Progress): Promise<DownReport> {
  const { processesKilled, machinesDestroyed } = await stopLabMachines(paths, progress);
  const stateRemoved = existsSync(paths.dir) || existsSync(paths.failedLogs);
  rmSync(paths.dir, { recursive: true, force: true });
  rmSync(paths.failedLogs, { recursive: true, force: true });
  return { name: path.basename(paths.dir), processesKilled, machinesDestroyed, stateRemoved };
}
