import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * The host's processes that match, found in /proc (none on hosts without it, e.g. macOS). A process
 * in the middle of exec is briefly unreadable (seen: 10 misses in 2510 scans of a starting lab
 * sandbox, never two in a row), so a scan that finds nothing is made once more before it counts.
 */
export function findProcesses(matches: (read: (file: 'cmdline' | 'environ') => string[]) => boolean): number[] {
  if (!existsSync('/proc/self')) return [];
  const found = scanProcesses(matches);
  return found.length > 0 ? found : scanProcesses(matches);
}

function scanProcesses(matches: (read: (file: 'cmdline' | 'environ') => string[]) => boolean): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      if (matches((file) => readFileSync(`/proc/${entry}/${file}`, 'latin1').split('\0'))) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** True while the process exists and is not a zombie (a zombie has already let go of everything). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}
