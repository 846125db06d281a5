import os from 'node:os';

/**
 * What one lab takes: four nodes of ~260 MB each, and two cores. Measured on a 2-core host: with
 * two labs at once, nodes missed the 90-s SSH deadline at boot and correct balancers went to FAULT
 * by themselves (10 of the first 34 submissions misgraded); one lab at a time, 2 of the first 21.
 */
export const LAB_MEMORY_BYTES = 4 * 260 * 1024 * 1024;
export const LAB_CORES = 2;

/** How many labs to run at once on this host: what both cores and free memory allow, at least 1. */
export function defaultJobs(host: { cores: number; freeBytes: number } = { cores: os.availableParallelism(), freeBytes: os.freemem() }): number {
  const byCores = Math.floor(host.cores / LAB_CORES);
  const byMemory = Math.floor(host.freeBytes / LAB_MEMORY_BYTES);
  return Math.max(1, Math.min(byCores, byMemory));
}
