import { LabError } from '../errors.js';
import { execOnNewConnection } from '../lab/access.js';
import type { LabMeta, LabPaths } from '../lab/state.js';
import { checkedResult, type RunOptions } from '../ssh/command-runner.js';
import { boundedStep, shellCommandTimeoutMs } from './stuck-step.js';

/** A preparation reads a few programs; one that has not answered by then is asked again. */
const preparePatienceMs = 10_000;

const runOnNewConnection = async (paths: LabPaths, meta: LabMeta, node: string, command: string, options: RunOptions = {}) =>
  checkedResult(node, command, await execOnNewConnection(paths, meta, node, command, options));

/**
 * Runs a fault's preparation (FaultDefinition.prepare) on each node it may hit, before the load:
 * the fault's own command then finds its programs and kernel modules in memory instead of reading
 * them from the node's disk mid-scenario, the first time on that node. A uml node's block driver
 * was seen to report reads and writes done seconds to minutes late (see README); twice a CI run's
 * link-loss, whose command loads sch_netem and starts tc for the first time on its node, never
 * returned (where it waited was not recorded then).
 * Each node is asked over a new SSH connection, before the scenario's quiet wait (nothing judged is
 * disturbed), and asked once more over another connection when the first gets no answer in time.
 */
export async function prepareFaultNodes(paths: LabPaths, meta: LabMeta, nodes: string[], command: string): Promise<void> {
  for (const node of nodes) {
    try {
      await runOnNewConnection(paths, meta, node, command, { timeoutMs: preparePatienceMs });
    } catch (error) {
      if (!(error instanceof LabError && error.code === 'EXEC_TIMEOUT')) throw error;
      await boundedStep(runOnNewConnection(paths, meta, node, command), shellCommandTimeoutMs, `preparing the fault on ${node} ('${command}'), asked again over a new connection`, { paths, meta, node });
    }
  }
}
