import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { removeCpuLimit } from '../uml/cpu-limit.js';
import { sandboxRunning, stopSandbox } from '../uml/sandbox.js';
import type { Progress } from '../util/progress.js';
import { destroyVagrantLab } from '../vagrant/lab.js';
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
  return existsSync(paths.dir) || existsSync(paths.failedLogs) || sandboxRunning(paths);
}

/**
 * Stops whatever runs the lab's nodes, for either provider: the uml sandbox's processes, the
 * Vagrant VMs. Throws when the VMs cannot be destroyed; Vagrant's record of them is in the state
 * directory, which the caller must then keep.
 */
export async function stopLabMachines(paths: LabPaths, progress: Progress): Promise<{ processesKilled: number; machinesDestroyed: boolean }> {
  const processesKilled = await stopSandbox(paths);
  removeCpuLimit(path.basename(paths.dir)); // by name: also when lab.json was never written
  const machinesDestroyed = await destroyVagrantLab(paths, progress);
  return { processesKilled, machinesDestroyed };
}

async function removeLab(paths: LabPaths, progress: Progress): Promise<DownReport> {
  const { processesKilled, machinesDestroyed } = await stopLabMachines(paths, progress);
  const stateRemoved = existsSync(paths.dir) || existsSync(paths.failedLogs);
  rmSync(paths.dir, { recursive: true, force: true });
  rmSync(paths.failedLogs, { recursive: true, force: true });
  return { name: path.basename(paths.dir), processesKilled, machinesDestroyed, stateRemoved };
}
