import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

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

/** The PID namespace a process lives in ("pid:[4026532…]", the same name in every namespace's view). */
export function pidNamespaceOf(pid: number | 'self'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined; // gone, or not ours to read
  }
}

export function ownPidNamespace(): string | undefined {
  return pidNamespaceOf('self');
}

/** Every process still in one of these PID namespaces, in any state (exiting and zombies too). */
export function processesInNamespaces(namespaces: ReadonlySet<string>): number[] {
  if (namespaces.size === 0 || !existsSync('/proc/self')) return [];
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      const namespace = pidNamespaceOf(pid);
      return namespace !== undefined && namespaces.has(namespace);
    });
}
