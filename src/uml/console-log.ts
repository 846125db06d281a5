/**
 * A node's console log, written by the holder (imports only node:, as the holder is copied out of the
 * checkout). The kernel echoes its command line at boot, and it carries the node's private host key
 * (lab.hostkey=): the log sits in the lab's sandbox/ folder, which every node of the lab can read
 * through hostfs, so the key is blanked before the line is written.
 */
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';

export function redactSecrets(line: string): string {
  return line.replace(/lab\.hostkey=\S+/g, 'lab.hostkey=(hidden)');
}

/** Appends a process's output to file line by line, each redacted (a line is never split across writes). */
export function writeConsoleLog(file: string, ...outputs: Readable[]): void {
  const sink = createWriteStream(file, { flags: 'a' });
  for (const output of outputs) {
    let pending = '';
    output.setEncoding('latin1');
    output.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      if (lines.length > 0) sink.write(Buffer.from(`${lines.map(redactSecrets).join('\n')}\n`, 'latin1'));
    });
    output.on('end', () => pending && sink.write(Buffer.from(redactSecrets(pending), 'latin1')));
  }
}
