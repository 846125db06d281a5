import type { LoadMode, LoadSummary } from '../scenario/timeline.js';

/** What the orchestrator asks the load worker (inside the lab's namespace) to do. */
export interface LoadRequest {
  host: string;
  /**
   * Several VIPs instead of host (three active balancers): connection i goes to hosts[i % n] (as
   * autocannon spreads its clients over its URLs), as DNS round robin would spread clients; each
   * record then names its VIP.
   */
  hosts?: string[];
  port: number;
  mode: LoadMode;
  connections: number;
  /** Requests per second over all connections (a bound, not a target under failure). */
  rate: number;
  durationSeconds: number;
  /** Per-request timeout; a request without an answer by then counts as failed. */
  timeoutSeconds: number;
}

/** One JSON line per record on the worker's stdout. */
export type LoadRecord =
  /** autocannon is about to send: the load's real start (a worker took 3.5 s to get there once, in CI-like runs). */
  | { type: 'started'; t: number }
  | { type: 'response'; t: number; connection: number; status: number; latencyMs: number; backend: string; vip?: string }
  | { type: 'failed'; t: number; connection: number; error: string; vip?: string }
  | { type: 'summary'; summary: LoadSummary };
