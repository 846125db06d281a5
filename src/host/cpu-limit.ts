import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LabError } from '../errors.js';
import type { CpuPriority } from '../provider/provider.js';
import { isRoot } from '../util/paths.js';

/**
 * One lab's cgroups: every process of the lab runs in them (uml: the sandbox; libvirt: its daemon,
 * VMs and vagrant), so its CPU weight can be lowered while another lab runs a scenario, and its CPU
 * capped so a busy or forking node (a student's script runs as root there) leaves other labs and
 * the orchestrator their share. uml's mem= already caps each node's memory. The strongest means the
 * host allows is used:
 *   cgroup v2 cpu.max          root on a host whose /sys/fs/cgroup is cgroup v2 (not verified here)
 *   cgroup v1 cpu.cfs_quota_us root on a host with the v1 cpu controller (verified on Debian 12)
 *   nice 10 + ionice idle      anyone else: no cap, but the lab yields to everything else
 * A cgroup is found again by the lab's name alone, so lab:down removes it after a crash too.
 */
export interface CpuLimit {
  kind: 'cgroup-v2' | 'cgroup-v1' | 'nice';
  /** For lab:up and lab:status, e.g. "1 CPU (cgroup v1 cpu.cfs_quota_us)". */
  description: string;
  /** Run the lab's first process under this: it joins the cgroup (or lowers its priority) before anything else runs. */
  commandPrefix: string[];
}

/**
 * The CPU cap is written when the lab's configuration is about to be applied, not when its nodes
 * boot: until then only the node image's own code runs (nothing of a submission's), and booting
 * four kernels is most of lab:up's CPU (capped at 1 CPU on 2 cores it took 35-38 s, not 18 s).
 * The process cap holds from the first process on.
 */
export function enforceCpuLimit(lab: string): void {
  const quota = Math.round(labCpus() * periodUs);
  const files = [path.join(v2Parent, lab, 'cpu.max'), path.join(v1Parent, lab, 'cpu.cfs_quota_us')].filter((file) => existsSync(file));
  try {
    for (const file of files) writeFileSync(file, file.endsWith('cpu.max') ? `${quota} ${periodUs}` : String(quota));
  } catch (cause) {
    throw new LabError('CPU_LIMIT_FAILED', `cannot cap the CPU of lab ${lab} in ${cgroupRoot}`, { cause, hint: 'FAILOVER_LAB_CPUS sets the cap; see the cause for what the cgroup file system refused' });
  }
}

const cgroupRoot = '/sys/fs/cgroup';
const v1Parent = path.join(cgroupRoot, 'cpu', 'failover-lab');
const v1PidsParent = path.join(cgroupRoot, 'pids', 'failover-lab');
/**
 * Host processes a lab may have: a running seed lab has ~35 (uml runs a few host processes per
 * node); a fork bomb in a node stops here instead of filling the host's process table.
 */
export const labPidsMax = 1024;
const v2Parent = path.join(cgroupRoot, 'failover-lab');
const periodUs = 100_000;

/**
 * CPUs a lab may use: FAILOVER_LAB_CPUS, else all of the host's. A lab of your own configs runs at
 * full speed (on 2 cores a 1-CPU cap made lab:up take 35-38 s instead of 18 s); labs of untrusted
 * code get a real cap from whoever runs them: the grader sets it to its share of the machine, at
 * most all but one core. Measured: all but half a core on 2 cores let a lab of busy loops starve
 * its neighbour (0.2 answers/s against 486 idle); 1 CPU kept it at 463.
 */
export function labCpus(): number {
  const wanted = Number(process.env.FAILOVER_LAB_CPUS ?? os.availableParallelism());
  if (!(wanted > 0)) throw new LabError('BAD_SETTING', `FAILOVER_LAB_CPUS=${process.env.FAILOVER_LAB_CPUS} is not a positive number of CPUs`, { hint: 'e.g. FAILOVER_LAB_CPUS=1.5' });
  return wanted;
}

function joinCgroups(dirs: string[]): string[] {
  // The shell moves itself into the cgroups, then becomes the lab's process: none of it runs outside them.
  const procs = dirs.map((dir) => path.join(dir, 'cgroup.procs')).join(':');
  return ['sh', '-c', 'IFS=:; for f in $0; do echo $$ > "$f" || exit 1; done; unset IFS; exec "$@"', procs];
}

/** cgroup v1's pids controller, where the host has it: the lab's process cap (undefined without it). */
function v1PidsCgroup(lab: string): string | undefined {
  if (!existsSync(path.join(cgroupRoot, 'pids', 'cgroup.procs'))) return undefined;
  const dir = path.join(v1PidsParent, lab);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'pids.max'), String(labPidsMax));
  return dir;
}

function v2Usable(): boolean {
  return isRoot() && existsSync(path.join(cgroupRoot, 'cgroup.controllers')) && readFileSync(path.join(cgroupRoot, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('cpu');
}

function v1Usable(): boolean {
  return isRoot() && existsSync(path.join(cgroupRoot, 'cpu', 'cpu.cfs_quota_us'));
}

/** cgroup CPU weights: the lowest each version takes, and the kernel's default. */
const weights = { v1: { background: '2', foreground: '1024' }, v2: { background: '1', foreground: '100' } } as const;

/**
 * Sets the priority of a lab's cgroup; false where the lab has none (nice only: it then competes as
 * any process, and a caller wanting a background lab must not start one beside a scenario).
 * Background is the lowest weight and, where the kernel has cpu.idle (Linux 5.15+), an idle group:
 * its tasks then yield at once to any other that wakes (SCHED_IDLE), which a low weight alone does
 * not promise (a uml boot beside the fault catalogue once coincided with a takeover before the fault).
 */
export function setCpuPriority(lab: string, priority: CpuPriority): boolean {
  const groups = [
    { weightFile: path.join(v2Parent, lab, 'cpu.weight'), value: weights.v2[priority] },
    { weightFile: path.join(v1Parent, lab, 'cpu.shares'), value: weights.v1[priority] },
  ].filter(({ weightFile }) => existsSync(weightFile));
  try {
    for (const { weightFile, value } of groups) {
      const idle = path.join(path.dirname(weightFile), 'cpu.idle');
      const hasIdle = existsSync(idle);
      // The kernel refuses a weight while the group is idle: leave idle first, enter it last.
      if (hasIdle) writeFileSync(idle, '0');
      writeFileSync(weightFile, value);
      if (hasIdle && priority === 'background') writeFileSync(idle, '1');
    }
  } catch (cause) {
    throw new LabError('CPU_LIMIT_FAILED', `cannot set the CPU priority of lab ${lab} in ${cgroupRoot}`, { cause, hint: 'see the cause for what the cgroup file system refused' });
  }
  return groups.length > 0;
}

/** Whether labs started now get a cgroup, so that setCpuPriority can work (root on cgroup v1 or v2 with cpu). */
export function cpuPriorityAvailable(): boolean {
  return v2Usable() || v1Usable();
}

/** Makes the lab's cgroup (or settles for nice) at the priority asked for, and says how to start the lab's first process in it. */
export function applyCpuLimit(lab: string, priority: CpuPriority = 'foreground'): CpuLimit {
  const limit = makeLabCgroup(lab);
  if (limit.kind !== 'nice') setCpuPriority(lab, priority);
  return limit;
}

function makeLabCgroup(lab: string): CpuLimit {
  const cpus = labCpus();
  try {
    if (v2Usable()) {
      const pids = readFileSync(path.join(cgroupRoot, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('pids');
      const controllers = pids ? '+cpu +pids' : '+cpu';
      mkdirSync(v2Parent, { recursive: true });
      writeFileSync(path.join(cgroupRoot, 'cgroup.subtree_control'), controllers);
      writeFileSync(path.join(v2Parent, 'cgroup.subtree_control'), controllers);
      const dir = path.join(v2Parent, lab);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'cpu.max'), `max ${periodUs}`); // capped by enforceCpuLimit
      if (pids) writeFileSync(path.join(dir, 'pids.max'), String(labPidsMax));
      return { kind: 'cgroup-v2', description: `${cpus} CPU (cgroup v2 cpu.max)${pids ? `, ${labPidsMax} processes (pids.max)` : ''}`, commandPrefix: joinCgroups([dir]) };
    }
    if (v1Usable()) {
      const dir = path.join(v1Parent, lab);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'cpu.cfs_period_us'), String(periodUs));
      writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), '-1'); // capped by enforceCpuLimit
      const pids = v1PidsCgroup(lab);
      return {
        kind: 'cgroup-v1',
        description: `${cpus} CPU (cgroup v1 cpu.cfs_quota_us)${pids ? `, ${labPidsMax} processes (pids.max)` : ''}`,
        commandPrefix: joinCgroups(pids ? [dir, pids] : [dir]),
      };
    }
  } catch (cause) {
    throw new LabError('CPU_LIMIT_FAILED', `cannot cap the CPU of lab ${lab} in ${cgroupRoot}`, { cause, hint: 'FAILOVER_LAB_CPUS sets the cap; see the cause for what the cgroup file system refused' });
  }
  return { kind: 'nice', description: 'not capped (no cgroup this user may write): nice 10, ionice idle', commandPrefix: ['nice', '-n', '10', 'ionice', '-c', '3'] };
}

/** A prefix that runs a command in the lab's cgroups as they are (none: an empty prefix), e.g. a tool that drives the lab. */
export function inLabCgroups(lab: string): string[] {
  const dirs = labCgroups(lab);
  return dirs.length > 0 ? joinCgroups(dirs) : [];
}

/** The lab's cgroup directories that exist now (for lab:down and tests). */
export function labCgroups(lab: string): string[] {
  return [path.join(v1Parent, lab), path.join(v1PidsParent, lab), path.join(v2Parent, lab)].filter((dir) => existsSync(dir));
}

/** Removes the lab's cgroups, found by its name; its processes must be gone. Safe when there are none. */
export function removeCpuLimit(lab: string): void {
  for (const dir of labCgroups(lab)) {
    try {
      rmdirSync(dir); // a cgroup is removed with rmdir, its control files go with it
    } catch (cause) {
      throw new LabError('CPU_LIMIT_STUCK', `cannot remove the cgroup ${dir} of lab ${lab}`, { cause, hint: `processes left in it: cat ${dir}/cgroup.procs` });
    }
  }
}
