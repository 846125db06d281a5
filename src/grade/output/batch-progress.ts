import type { BatchState } from './batch.js';

/** One line for the log: "graded 7/20 (2 failed) · 3 running · ETA 4m10s". */
export function formatBatchProgress(state: BatchState): string {
  const failed = state.failed > 0 ? ` (${state.failed} failed)` : '';
  const eta = state.etaMs !== undefined && state.done < state.total ? ` · ETA ${formatEta(state.etaMs)}` : '';
  return `graded ${state.done}/${state.total}${failed} · ${state.running} running${eta}`;
}

/** 45s, 4m10s, 1h05m: as precise as an estimate deserves. */
export function formatEta(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
