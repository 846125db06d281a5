import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Communicator } from '../ssh/communicator.js';
import { sshTarget } from '../lab/access.js';
import { readLabMeta, type LabPaths } from '../lab/state.js';
import { redactSecrets } from '../uml/console-log.js';

export interface NodeLog {
  node: string;
  /** Where the lines come from: keepalived's journal (over SSH) or the node's console. */
  source: 'journal' | 'console';
  lines: string[];
}

const JOURNAL_LINES = 40;
const CONSOLE_LINES = 25;

/**
 * A lab that did not come up, in the nodes' own words: keepalived's journal on each balancer
 * while SSH still answers, else the tail of its console log. Read before the lab is removed.
 */
export async function collectNodeLogs(paths: LabPaths, nodes: string[]): Promise<NodeLog[]> {
  const meta = readLabMeta(paths);
  return Promise.all(
    nodes.map(async (node): Promise<NodeLog> => {
      if (meta) {
        const journal = await keepalivedJournal(paths, meta, node).catch(() => undefined);
        if (journal) return { node, source: 'journal', lines: journal };
      }
      return { node, source: 'console', lines: consoleTail(path.join(paths.nodeDir(node), 'console.log')) };
    }),
  );
}

async function keepalivedJournal(paths: LabPaths, meta: NonNullable<ReturnType<typeof readLabMeta>>, node: string): Promise<string[] | undefined> {
  const ssh = await Communicator.connect(sshTarget(paths, meta, node), 5_000);
  try {
    // Without the lines our own state probes make (SIGUSR1: "Printing ... data for process(N) on
    // signal", two a second while a lab settles): they pushed the student's FAULT out of the last 40.
    const result = await ssh.exec(`journalctl -u keepalived -n 2000 --no-pager -o short-precise | grep -v 'data for process([0-9]*) on signal' | tail -n ${JOURNAL_LINES}`, { timeoutMs: 10_000 });
    const lines = result.stdout.split('\n').map((line) => line.trimEnd()).filter(Boolean);
    return lines.length > 0 ? lines : undefined;
  } finally {
    ssh.close();
  }
}

function consoleTail(file: string): string[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split(/\r?\n|\r/).map((line) => redactSecrets(line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trimEnd())).filter(Boolean);
  return lines.slice(-CONSOLE_LINES);
}
