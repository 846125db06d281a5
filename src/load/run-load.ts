import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LabError } from '../errors.js';
import type { LabPaths } from '../lab/state.js';
import type { LoadSummary, TimelineEvent } from '../scenario/timeline.js';
import type { LoadRecord, LoadRequest } from './protocol.js';

const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.js');

export interface RunningLoad {
  /** Resolves when the load has run its duration, with autocannon's summary and our counts. */
  finished: Promise<LoadSummary>;
}

/**
 * Starts the load generator inside the lab's namespaces (entered through the sandbox's holder), so
 * its traffic goes only to lab addresses. Each record becomes a timeline event as it arrives.
 */
export function startLoad(paths: LabPaths, request: LoadRequest, onEvent: (event: TimelineEvent) => void): RunningLoad {
  const holderPid = Number(readFileSync(paths.holderPid, 'utf8').trim());
  const child = spawn(
    'nsenter',
    ['--target', String(holderPid), '--user', '--net', '--preserve-credentials', '--', process.execPath, worker, JSON.stringify(request)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let summary: LoadSummary | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const record = JSON.parse(line) as LoadRecord;
    if (record.type === 'response') {
      onEvent({ t: record.t, kind: 'response', backend: record.backend, status: record.status, latencyMs: record.latencyMs, connection: record.connection });
    } else if (record.type === 'failed') {
      onEvent({ t: record.t, kind: 'request-failed', error: record.error, connection: record.connection });
    } else {
      summary = record.summary;
    }
  });
  const finished = new Promise<LoadSummary>((resolve, reject) => {
    child.on('error', (cause) => reject(new LabError('LOAD_FAILED', 'cannot start the load generator (nsenter)', { cause, hint: 'install util-linux' })));
    child.on('close', (code) => {
      if (code === 0 && summary) resolve(summary);
      else reject(new LabError('LOAD_FAILED', `the load generator exited with ${code}: ${stderr.trim().split('\n').slice(-5).join('\n')}`));
    });
  });
  // The scenario awaits this only after the fault; until then a failure must not count as unhandled.
  finished.catch(() => undefined);
  return { finished };
}
