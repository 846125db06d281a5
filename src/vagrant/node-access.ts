import { LabError } from '../errors.js';
import type { NodeAccess } from '../lab/state.js';
import type { SshConfigEntry } from '../parse/vagrant-ssh-config.js';
import type { LabSpec } from '../spec/types.js';

/**
 * Turns `vagrant ssh-config` into the lab's node access records (one per spec node, in spec order),
 * from which lab/access.ts builds the same communicator options as for uml nodes.
 */
export function nodeAccessFromSshConfig(spec: LabSpec, entries: SshConfigEntry[]): NodeAccess[] {
  return spec.nodes.map((node) => {
    const entry = entries.find((candidate) => candidate.host === node.name);
    const identityFile = entry?.identityFiles[0];
    if (!entry || !identityFile) {
      throw new LabError('VAGRANT_SSH_CONFIG', `vagrant ssh-config gave no ${entry ? 'IdentityFile' : 'Host block'} for ${node.name}`, {
        hint: `is the machine running? check with: npm run lab:status; the Vagrantfile must define every node of ${spec.sourcePath}`,
      });
    }
    return { name: node.name, managementAddress: entry.hostName, sshPort: entry.port, identityFile };
  });
}
