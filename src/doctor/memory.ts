import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** Memory the host can give new processes, in MiB (Linux: MemAvailable, which counts reclaimable cache). */
export function availableMemoryMb(): number {
  if (existsSync('/proc/meminfo')) {
    const match = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (match) return Math.floor(Number(match[1]) / 1024);
  }
  return Math.floor(os.freemem() / 2 ** 20);
}
