import { existsSync, rmSync } from 'node:fs';
import { stopSandbox } from '../uml/sandbox.js';
import type { Progress } from '../util/progress.js';
import { labPaths, type LabPaths } from './state.js';
import { failedLogsDir } from './up.js';

export interface DownReport {
  name: string;
  processesKilled: number;
  stateRemoved: boolean;
}

/**
 * Removes everything a lab made: its sandbox (and with it every process, interface and mount in
 * it) and its state directory. Works from the state directory and /proc alone, so it also cleans
 * up after an orchestrator that was killed mid-`up`. Safe to run when nothing is there.
 */
export async function downLab(name: string, progress: Progress, paths: LabPaths = labPaths(name)): Promise<DownReport> {
  const processesKilled = await progress.step(`stopping lab ${name}`, () => stopSandbox(paths));
  const stateRemoved = existsSync(paths.dir) || existsSync(failedLogsDir(paths));
  rmSync(paths.dir, { recursive: true, force: true });
  rmSync(failedLogsDir(paths), { recursive: true, force: true });
  return { name, processesKilled, stateRemoved };
}
