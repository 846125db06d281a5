import path from 'node:path';
import type { Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LabError } from '../errors.js';
import { providerFor } from '../provider/registry.js';
import type { LabMeta, LabPaths } from '../lab/state.js';
import type { LoadSummary, TimelineEvent } from '../scenario/timeline.js';
import type { LoadRecord, LoadRequest } from './protocol.js';

const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.js');

export interface RunningLoad {
  /** Resolves when the worker starts sending, with that instant: a scenario's times count from there, not from the spawn. */
  started: Promise<number>;
  /** Resolves when the load has run its duration, with autocannon's summary and our counts. */
  finished: Promise<LoadSummary>;
  /** Ends the load now, as if its duration were up: finished resolves with what ran until then. */
  finish(): void;
  /** Ends the worker (a run that gave up waiting for it): finished then rejects. */
  stop(): void;
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
  const stopping = new AbortController();
  const control: WorkerControl = { finishRequested: false };
  let markStarted: (t: number) => void = () => undefined;
  const started = new Promise<number>((resolve) => (markStarted = resolve));
  const finished = runWorker(command, args, onEvent, stopping.signal, control, markStarted);
  // The scenario awaits this only after the fault; until then a failure must not count as unhandled.
  finished.catch(() => undefined);
  return {
    // A worker that ends without starting rejects as finished does.
    started: Promise.race([started, finished.then(() => Promise.reject(new LabError('LOAD_FAILED', 'the load generator ended before it started sending')))]),
    finished,
    finish: () => {
      control.finishRequested = true;
      control.stdin?.write('finish\n');
    },
    stop: () => stopping.abort(),
  };
}

/** The worker's stdin once it runs; a finish asked for before that is written when it starts. */
interface WorkerControl {
  finishRequested: boolean;
  stdin?: Writable;
}

/** Streams the worker's records as they come; execa ends the worker with this process (a Ctrl-C mid-scenario). */
async function runWorker(command: string, args: string[], onEvent: (event: TimelineEvent) => void, stop: AbortSignal, control: WorkerControl, onStarted: (t: number) => void): Promise<LoadSummary> {
  const { execa } = await import('execa');
  const subprocess = execa(command, args, { stdin: 'pipe', buffer: { stdout: false, stderr: true }, reject: false, cancelSignal: stop });
  // A worker that has ended closes its stdin: a late finish must not fail on the closed pipe.
  subprocess.stdin.on('error', () => undefined);
  control.stdin = subprocess.stdin;
  if (control.finishRequested) subprocess.stdin.write('finish\n');
  let summary: LoadSummary | undefined;
  createInterface({ input: subprocess.stdout }).on('line', (line) => {
    const record = JSON.parse(line) as LoadRecord;
    if (record.type === 'started') {
      onStarted(record.t);
    } else if (record.type === 'response') {
      onEvent({ t: record.t, kind: 'response', backend: record.backend, status: record.status, latencyMs: record.latencyMs, connection: record.connection, ...(record.vip ? { vip: record.vip } : {}) });
    } else if (record.type === 'failed') {
      onEvent({ t: record.t, kind: 'request-failed', error: record.error, connection: record.connection, ...(record.vip ? { vip: record.vip } : {}) });
    } else {
      summary = record.summary;
    }
  });
  const result = await subprocess;
  if (result.exitCode === undefined && result.signal === undefined) {
    throw new LabError('LOAD_FAILED', `cannot start the load generator (${command})`, { cause: result.cause, hint: command === 'nsenter' ? 'install util-linux' : undefined });
  }
  if (result.exitCode !== 0 || !summary) {
    const stderr = String(result.stderr ?? '').trim().split('\n').slice(-5).join('\n');
    throw new LabError('LOAD_FAILED', `the load generator exited with ${result.exitCode ?? result.signal}: ${stderr}`);
  }
  return summary;
}
