import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LabError } from '../errors.js';
import { findProcesses, processAlive } from '../util/procfs.js';

/**
 * The machines Vagrant has made for a lab: Vagrant writes machines/NAME/PROVIDER/id once a VM
 * exists. None means there is nothing to destroy (and no need for a working VirtualBox to say so).
 */
export function createdMachines(dotfilePath: string): string[] {
  const machines = path.join(dotfilePath, 'machines');
  if (!existsSync(machines)) return [];
  return readdirSync(machines).filter((name) => {
    const providers = path.join(machines, name);
    return readdirSync(providers).some((provider) => existsSync(path.join(providers, provider, 'id')));
  });
}

/**
 * vagrant processes still working on the lab, e.g. the `vagrant up` of an orchestrator that was
 * killed: they run with the lab's VAGRANT_DOTFILE_PATH in their environment (so do the VBoxManage
 * calls they make). Vagrant would refuse to destroy a machine another of its processes has locked.
 */
export function strayVagrantProcesses(dotfilePath: string): number[] {
  const marker = `VAGRANT_DOTFILE_PATH=${dotfilePath}`;
  return findProcesses((read) => read('environ').includes(marker)).filter((pid) => pid !== process.pid);
}

/** Interrupts them as Ctrl-C would (Vagrant then cleans up after itself); kills what is left after the grace time. */
export async function stopStrayVagrant(dotfilePath: string, graceMs = 30_000): Promise<number> {
  const pids = strayVagrantProcesses(dotfilePath);
  const signal = (pid: number, name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  for (const pid of pids) signal(pid, 'SIGINT');
  const deadline = Date.now() + graceMs;
  while (strayVagrantProcesses(dotfilePath).some(processAlive)) {
    if (Date.now() > deadline) {
      for (const pid of strayVagrantProcesses(dotfilePath)) signal(pid, 'SIGKILL');
      await sleep(500);
      const left = strayVagrantProcesses(dotfilePath).filter(processAlive);
      if (left.length > 0) {
        throw new LabError('VAGRANT_STUCK', `vagrant processes of the lab would not exit: ${left.join(', ')}`, { hint: `look at them with: ps -fp ${left.join(',')}` });
      }
      break;
    }
    await sleep(100);
  }
  return pids.length;
}

export function strayVagrantRunning(dotfilePath: string): boolean {
  return strayVagrantProcesses(dotfilePath).some(processAlive);
}
