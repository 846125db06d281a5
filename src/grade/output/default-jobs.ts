import os from 'node:os';

/**
 * What one lab takes: four nodes of ~260 MB each, and two cores. Measured on a 2-core host: with
 * two labs at once, nodes missed the 90-s SSH deadline at boot and correct balancers went to FAULT
 * by themselves (10 of the first 34 submissions misgraded); one lab at a time, 2 of the first 21.
 */
export const LAB_MEMORY_BYTES = 4 * 260 * 1024 * 1024;
export const LAB_CORES = 2;

/** How many failover scenarios may run at once on this host: one per two cores, at least 1. */
export function scenarioSlots(cores: number = os.availableParallelism()): number {
  return Math.max(1, Math.floor(cores / LAB_CORES));
}

/**
 * Labs per scenario slot that come up at background priority while the slot's scenario runs and
 * wait for their turn (ScenarioTurns). Two, not one: a lab that fails slowly on its way up (VRRP
 * that never settles: 20 s more) held the only place, and the slot then stood idle until the next
 * lab had booted (39 s of a 7:43 corpus batch here).
 */
const WAITING_PER_SLOT = 2;

/**
 * How many labs to run at once: one per scenario slot, and where the host can weigh labs' CPU
 * (cgroups: LabProvider.cpuPriorityAvailable) WAITING_PER_SLOT more; never more than free memory
 * holds, at least 1.
 */
export function defaultJobs(host: { cores: number; freeBytes: number; weighsLabs: boolean }): number {
  const byCores = scenarioSlots(host.cores) * (host.weighsLabs ? 1 + WAITING_PER_SLOT : 1);
  const byMemory = Math.floor(host.freeBytes / LAB_MEMORY_BYTES);
  return Math.max(1, Math.min(byCores, byMemory));
}

/**
 * How many of `jobs` labs may come up or wait for a turn beside `slots` scenarios at once
 * (ScenarioTurns): WAITING_PER_SLOT per slot at most. More labs wait before they start, so a
 * submission's time limit never runs while it queues behind many.
 */
export function waitingLabs(jobs: number, slots: number): number {
  return Math.max(1, Math.min(jobs - slots, WAITING_PER_SLOT * slots));
}
