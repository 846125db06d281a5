import { LabError } from '../errors.js';
import { execOnNewConnection } from '../lab/access.js';
import type { LabMeta, LabPaths } from '../lab/state.js';
import { within } from '../util/within.js';

/**
 * Every wait of a scenario is bounded: a command in a node's shell, a fault's act, the load
 * generator's end, the watchers' stop. A run that waits past its bound ends with an error that
 * names the step and the node and shows what the node was doing, seen over a new connection
 * (its processes with the kernel function each waits in, its disks' counters, its queues, its load), instead of a run
 * that never returns (a CI test then only says that it timed out).
 */

/** A short command in a node's shell (ipvsadm, echo): it answers in well under a second. */
export const shellCommandTimeoutMs = 20_000;
/** A fault's act or revert: a command, or a VM killed, frozen or thawed by its engine. */
export const faultActTimeoutMs = 60_000;
/** The watchers' streams end within a round trip once asked to. */
export const watcherStopTimeoutMs = 10_000;

const nodeLookTimeoutMs = 15_000;
const nodeLookLines = 50;

/** What a node is doing, as one look over a new SSH connection sees it; never throws. */
export async function lookAtNode(paths: LabPaths, meta: LabMeta, node: string): Promise<string> {
  // Processes but kernel threads, newest last (D: waiting on a device; wchan: the kernel function
  // each sleeps in); the disks' counters (ms spent reading and writing, I/Os in flight: a block
  // driver's completion reported late shows there, even once this look has woken it); queues; load.
  const command = `ps --ppid 2 -p 2 --deselect -o pid,stat,etimes,wchan:28,args --sort=start_time | tail -n 25; awk '$3 !~ /^(loop|ram)/ {print "disk", $3, "reads", $4, "ms", $7, "writes", $8, "ms", $11, "in flight", $12}' /proc/diskstats; tc -s qdisc show | head -n 12; cat /proc/loadavg`;
  try {
    const { stdout, stderr } = await execOnNewConnection(paths, meta, node, command, { timeoutMs: nodeLookTimeoutMs });
    return `${stdout}${stderr}`.trimEnd().split('\n').slice(0, nodeLookLines).join('\n');
  } catch (error) {
    return `(a look at ${node} over a new SSH connection failed too: ${error instanceof Error ? error.message : String(error)})`;
  }
}

/**
 * Settles as `work` does, or after `ms` rejects with SCENARIO_STEP_TIMEOUT naming `what` and, when
 * it ran on a node, what that node was doing. `work` itself runs on (the caller closes what it used).
 */
export async function boundedStep<T>(work: Promise<T>, ms: number, what: string, where?: { paths: LabPaths; meta: LabMeta; node: string }): Promise<T> {
  try {
    return await within(work, ms, () => new LabError('SCENARIO_STEP_TIMEOUT', `${what} did not finish within ${Math.round(ms / 1000)} s`));
  } catch (error) {
    if (!(error instanceof LabError && error.code === 'SCENARIO_STEP_TIMEOUT') || !where) throw error;
    const look = await lookAtNode(where.paths, where.meta, where.node);
    throw new LabError('SCENARIO_STEP_TIMEOUT', `${error.message}; ${where.node} then:\n${look}`, {
      hint: `the lab may be stalled: look with npm run lab:status -- --name ${where.meta.spec.name}, or bring it down and up again`,
    });
  }
}
