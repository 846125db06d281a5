import type { RawFinding } from './types.js';

/** Where the config keepalived -t read came from: its path on the node, and its place in the submission. */
export interface CheckedConfig {
  nodePath: string;
  file: string;
  /** The submission line of the config's first line (a markdown block's first content line). */
  firstLine: number;
}

/**
 * keepalived 2.2.7's messages that are no mistake of the student's in the lab (the project's
 * provision/balancer.sh tolerates the same ones), and those that mean keepalived kept the file
 * but changed or dropped a setting. Everything else keepalived prints means it rejects or ignores part of the file.
 */
const NOTES = [/SECURITY VIOLATION - scripts are being executed/, /resolved by path search/, /Script user .* does not exist/];
const WARNINGS = [/^Truncating auth_pass/, /track script .* not found, ignoring/, /^Config files missing/];

/**
 * Turns `keepalived -t -f FILE` output into findings at the student's file and line. Its exit
 * code is no verdict (2.2.7 exits 6 on the seed's valid config over the scripts warning); the
 * same message printed by each of keepalived's processes is reported once.
 */
export function findingsFromKeepalivedCheck(output: string, checked: CheckedConfig): RawFinding[] {
  const findings: RawFinding[] = [];
  const seen = new Set<string>();
  for (const text of output.split(/\r?\n/).map((line) => line.trim()).filter(Boolean)) {
    if (/^exit=\d+$/.test(text)) continue;
    const located = /^\((?:(.+?): )?Line (\d+)\) (.*)$/.exec(text);
    const message = located ? located[3]! : text;
    const inIncluded = located?.[1] !== undefined && located[1] !== checked.nodePath;
    const line = located && !inIncluded ? checked.firstLine + Number(located[2]) - 1 : undefined;
    const key = `${line ?? ''} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const code = NOTES.some((pattern) => pattern.test(message)) ? 'keepalived-note' : WARNINGS.some((pattern) => pattern.test(message)) ? 'keepalived-warning' : 'keepalived-error';
    findings.push({ code, file: checked.file, ...(line !== undefined ? { line } : {}), params: { text: inIncluded ? `${located![1]}: ${message}` : message } });
  }
  return findings;
}
