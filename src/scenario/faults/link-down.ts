import type { Communicator } from '../../ssh/communicator.js';
import type { Fault } from './fault.js';

/** The seed's fault: `ip link set down eth1` on a node; the management link (eth0) stays up. */
export function linkDown(node: string, interfaceName: string): Fault {
  return {
    name: 'link-down',
    node,
    describe: () => `ip link set down ${interfaceName} on ${node}`,
    async inject(ssh: Communicator) {
      await ssh.execChecked(`ip link set down ${interfaceName}`);
    },
    async revert(ssh: Communicator) {
      await ssh.execChecked(`ip link set up ${interfaceName}`);
    },
  };
}
