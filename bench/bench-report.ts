import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/util/paths.js';

/** What the figures were measured on. */
export function machineFacts(): Record<string, unknown> {
  return { cpus: os.cpus().length, memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 100) / 100, kernel: os.release(), date: new Date().toISOString() };
}

/** Runs a benchmark and writes its figures to reports/NAME.json (and stdout); failures exit 1 with a line. */
export function runBench(name: string, measure: () => Promise<Record<string, unknown>>): void {
  measure().then(
    (figures) => {
      const result = { machine: machineFacts(), ...figures };
      mkdirSync(path.join(projectRoot, 'reports'), { recursive: true });
      const file = path.join(projectRoot, 'reports', `${name}.json`);
      writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\nwritten to ${file}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
