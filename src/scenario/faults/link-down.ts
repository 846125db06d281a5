import { parseEpochRealtime } from '../../parse/node-time.js';
import type { CommandRunner } from '../../ssh/command-runner.js';
import type { Fault, FaultTiming } from './fault.js';

/** The seed's fault: `ip link set down eth1` on a node; the management link (eth0) stays up. */
export function linkDown(node: string, interfaceName: string): Fault {
  const setLink = async (ssh: CommandRunner, state: 'up' | 'down'): Promise<FaultTiming> => {
    const { stdout } = await ssh.execChecked(`started=$EPOCHREALTIME; ip link set ${state} ${interfaceName} && echo "$started $EPOCHREALTIME"`);
    const [startedAt, doneAt] = stdout.trim().split(' ').map(parseEpochRealtime);
    return { startedAt, doneAt };
  };
  return {
    name: 'link-down',
    node,
    describe: () => `ip link set down ${interfaceName} on ${node}`,
    inject: (ssh) => setLink(ssh, 'down'),
    revert: (ssh) => setLink(ssh, 'up'),
  };
}
