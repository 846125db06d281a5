import { parseEpochRealtime } from '../../parse/node-time.js';
import type { CommandRunner } from '../../ssh/command-runner.js';
import type { Fault, FaultTiming } from './fault.js';

/**
 * Runs `command` on the node and returns when it ran by the node's clock. The command runs in the
 * scenario's shell on the node, so it must not `exit`; a failure is its non-zero status.
 */
export async function stampedCommand(node: CommandRunner, command: string): Promise<FaultTiming> {
  const { stdout } = await node.execChecked(`started=$EPOCHREALTIME; { ${command}; } && echo "$started $EPOCHREALTIME"`);
  const [startedAt, doneAt] = stdout.trim().split('\n').at(-1)!.split(' ').map(parseEpochRealtime);
  return { startedAt, doneAt };
}

/** A fault that is one shell command on the node, undone by another (both run as root over SSH). */
export function commandFault(name: string, node: string, action: string, inject: string, revert: string): Fault {
  return {
    name,
    node,
    describe: () => `${action} on ${node}`,
    repeatable: true,
    inject: (context) => stampedCommand(context.shell, inject),
    revert: (context) => stampedCommand(context.shell, revert),
  };
}
