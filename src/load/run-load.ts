import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LabError } from '../errors.js';
import { providerFor } from '../provider/registry.js';
import type { LabMeta, LabPaths } from '../lab/state.js';
import type { LoadSummary, TimelineEvent } from '../scenario/timeline.js';
import type { LoadRecord, LoadRequest } from './protocol.js';

const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.js');

export interface RunningLoad {
  /** Resolves when the load has run its duration, with autocannon's summary and our counts. */
  finished: Promise<LoadSummary>;
}

/** Where the lab's client is, as its provider says (uml: inside the lab's namespaces). */
function workerCommand(paths: LabPaths, meta: LabMeta, request: LoadRequest): { command: string; args: string[] } {
  return providerFor(meta.provider).clientCommand(paths, meta, process.execPath, [worker, JSON.stringify(request)]);
}

/**
 * Starts the load generator where the lab's client is, so its traffic goes only to lab addresses.
 * Each record becomes a timeline event as it arrives.
 */
export function startLoad(paths: LabPaths, meta: LabMeta, request: LoadRequest, onEvent: (event: TimelineEvent) => void): RunningLoad {
  const { command, args } = workerCommand(paths, meta, request);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
    child.on('error', (cause) => reject(new LabError('LOAD_FAILED', `cannot start the load generator (${command})`, { cause, hint: command === 'nsenter' ? 'install util-linux' : undefined })));
    child.on('close', (code) => {
      if (code === 0 && summary) resolve(summary);
      else reject(new LabError('LOAD_FAILED', `the load generator exited with ${code}: ${stderr.trim().split('\n').slice(-5).join('\n')}`));
    });
  });
  // The scenario awaits this only after the fault; until then a failure must not count as unhandled.
  finished.catch(() => undefined);
  return { finished };
}
