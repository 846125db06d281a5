import { existsSync, readFileSync, statSync } from 'node:fs';

/**
 * Whether a node that has not answered SSH yet is still booting or stuck, from its console log.
 * A slow boot is not a stuck one: with two labs booting on 2 cores, every node of both labs was
 * still in early systemd units after 45 s (CI), and restarting them then only lost their progress.
 * A stuck boot shows one of two ways:
 *   - the console has been silent a while: a frozen VM, or one that finished booting and still does
 *     not answer; systemd prints a line a second while any job runs, so a slow boot is never quiet;
 *   - systemd says one job has run for long (the hang once seen: "Job
 *     systemd-tmpfiles-setup.service/start running (1min 24s / no limit)"); jobs of a slow boot
 *     ran under 10 s each.
 */
export type BootProgress = { stuck: false; lastLine?: string } | { stuck: true; why: string; lastLine?: string };

export const quietConsoleMs = 20_000;
export const longJobSeconds = 40;

export function bootProgress(consoleLog: string, now = Date.now()): BootProgress {
  if (!existsSync(consoleLog)) return { stuck: true, why: 'it has written no console output' };
  const lastLine = lastConsoleLine(readFileSync(consoleLog, 'latin1'));
  const quietMs = now - statSync(consoleLog).mtimeMs;
  if (quietMs >= quietConsoleMs) return { stuck: true, why: `its console has been silent for ${Math.round(quietMs / 1000)} s`, lastLine };
  const job = lastLine === undefined ? undefined : longRunningJob(lastLine);
  if (job) return { stuck: true, why: `${job.name} has been starting for ${job.seconds} s`, lastLine };
  return { stuck: false, lastLine };
}

/** The console's last non-empty line without terminal escapes (systemd colours its status). */
export function lastConsoleLine(text: string): string | undefined {
  const lines = text.split(/\r?\n|\r/).map((line) => line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trim()).filter(Boolean);
  return lines.at(-1)?.slice(0, 160);
}

/** systemd's status line for a job running long: "Job NAME/start running (1min 24s / no limit)". */
export function longRunningJob(line: string): { name: string; seconds: number } | undefined {
  const match = /Job (\S+?)\/\S+ running \((?:(\d+)min ?)?(?:(\d+(?:\.\d+)?)s)? \//.exec(line);
  if (!match || (match[2] === undefined && match[3] === undefined)) return undefined;
  const seconds = Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
  return seconds >= longJobSeconds ? { name: match[1] ?? 'a job', seconds: Math.round(seconds) } : undefined;
}
