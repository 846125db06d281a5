import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { provisionBundle } from '../provision/apply.js';

/**
 * Writes, for each node, the directory the Vagrantfile uploads to /var/lib/failover-lab/provision:
 * the provision/ scripts plus the node's rendered files — byte for byte what the uml provider
 * uploads over SSH. The Vagrantfile stays free of addresses and configs; it only copies and runs.
 */
export function writeNodeFiles(dir: string, files: Map<string, Record<string, string>>): void {
  for (const [node, rendered] of files) {
    // Only the node's own folder is replaced: DIR may be any folder a user names with --out.
    const nodeDir = path.join(dir, node);
    rmSync(nodeDir, { recursive: true, force: true });
    mkdirSync(nodeDir, { recursive: true });
    for (const [name, content] of Object.entries(provisionBundle(rendered))) writeFileSync(path.join(nodeDir, name), content);
  }
}
