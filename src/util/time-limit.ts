import type { ChildProcess } from 'node:child_process';
import { onExit } from 'signal-exit';

/**
 * A command with a time limit runs in a process group of its own (spawned detached), so that the
 * limit ends all of it: killing only the program would leave its children (e.g. the ruby behind a
 * vagrant launcher) holding the output pipes, and the caller waiting for them. Being detached, the
 * group would also outlive us, so it is killed when this process exits or dies of a signal (execa's
 * own cleanup skips detached processes). Windows has no process groups and gives a detached program
 * a console window: there the program alone is killed.
 */
export const limitedCommandsGetOwnGroup = process.platform !== 'win32';

/** Kills the command (its whole group where it has one) after timeoutMs; stop() ends the watch and says whether time ran out. */
export function limitTime(child: ChildProcess, timeoutMs: number): { stop: () => boolean } {
  let timedOut = false;
  const kill = () => {
    if (child.pid === undefined) return; // it never started
    try {
      if (limitedCommandsGetOwnGroup) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // the group is gone already
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, timeoutMs);
  const removeExitHook = limitedCommandsGetOwnGroup ? onExit(kill) : () => undefined;
  return {
    stop: () => {
      clearTimeout(timer);
      removeExitHook();
      return timedOut;
    },
  };
}
