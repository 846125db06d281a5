import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this code runs from (dist/src/util → three levels up), for provision/, box/, lab/. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const defaultSpecPath = path.join(projectRoot, 'lab', 'seed.yaml');

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Where node images are cached. Root builds into a system-wide cache that every user can read. */
export function boxCacheDirs(): { write: string; read: string[] } {
  const override = process.env.FAILOVER_LAB_CACHE;
  if (override) return { write: override, read: [override] };
  const system = '/var/cache/failover-lab';
  if (isRoot()) return { write: system, read: [system] };
  const user = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'failover-lab');
  return { write: user, read: [user, system] };
}

/** Where running labs keep their state (one directory per lab name). */
export function labStateRoot(): string {
  const override = process.env.FAILOVER_LAB_STATE;
  if (override) return override;
  if (isRoot()) return '/var/lib/failover-lab/labs';
  return path.join(process.env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state'), 'failover-lab', 'labs');
}
