import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { cpuPriorityAvailable, labCgroups } from '../../src/host/cpu-limit.js';
import { scenarioConvergenceTimeoutMs, waitForLabConvergence } from '../../src/lab/convergence.js';
import { labPaths, requireLabMeta } from '../../src/lab/state.js';
import { providerFor } from '../../src/provider/registry.js';
import { labStateRoot } from '../../src/util/paths.js';
import { ownPidNamespace, pidNamespaceOf, processesInNamespaces } from '../../src/util/procfs.js';
import { repoRoot } from '../helpers.js';
import { earlyLab, upWithDescribeBefore } from './early-labs.js';

export const cliPath = path.join(repoRoot, 'dist', 'src', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

type CliOptions = { env?: NodeJS.ProcessEnv; timeoutMs?: number; command?: string[]; cli?: string; whileRunning?: (child: ChildProcess) => void };

/**
 * `lab:status`'s table once it shows balancer1 MASTER, looking at most 4 times, 8 s apart. lab:up
 * returns with VRRP settled, but looking disturbs it: the seed's `systemctl status nginx` (0.2 s in
 * an idle uml node) outlasted its 2-s interval while a look's SSH logins and probes ran beside it,
 * sending balancer1 to FAULT for ~5 s (seen in CI, and here on a look right after another).
 * keepalived's own words go to the test output when it took more than one look.
 */
export async function settledStatusTable(lab: string, options: CliOptions = {}): Promise<CliResult> {
  for (let looks = 1; ; looks += 1) {
    const table = await runCli(['status', '--name', lab], options);
    if (/balancer1 .* MASTER /.test(table.stdout) || looks === 4) {
      for (const node of looks > 1 ? ['balancer1', 'balancer2'] : []) {
        const journal = await runCli(['exec', '--name', lab, node, 'journalctl -u keepalived -o short-precise --no-pager | grep -v Printing | tail -n 12'], options);
        console.log(`      ${lab}'s ${node}, as balancer1 was MASTER only at look ${looks}:\n${journal.stdout}`);
      }
      return table;
    }
    await new Promise((resolve) => setTimeout(resolve, 8_000));
  }
}

/** Runs the failover-lab CLI the way a user does, and collects its output. */
export function runCli(
  args: string[],
  options: CliOptions = {},
): Promise<CliResult> {
  const [program, ...prefix] = options.command ?? [process.execPath];
  return new Promise((resolve, reject) => {
    const child = spawn(program ?? process.execPath, [...prefix, options.cli ?? cliPath, ...args], {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    options.whileRunning?.(child);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The CPU priority of the lab's cgroup as the kernel shows it: 'background' (cpu.idle 1 where the
 * kernel has it, else the lowest weight), 'foreground' (not idle, the default weight), else what
 * its files say; undefined without a CPU cgroup.
 */
export function labCpuPriority(lab: string): string | undefined {
  for (const dir of labCgroups(lab)) {
    const weightFile = ['cpu.shares', 'cpu.weight'].map((name) => path.join(dir, name)).find((candidate) => existsSync(candidate));
    if (!weightFile) continue;
    const weight = readFileSync(weightFile, 'utf8').trim();
    const idleFile = path.join(dir, 'cpu.idle');
    const idle = existsSync(idleFile) ? readFileSync(idleFile, 'utf8').trim() === '1' : undefined;
    if (idle ?? ['2', '1'].includes(weight)) return 'background';
    if (['1024', '100'].includes(weight)) return 'foreground';
    return `weight ${weight}${idle === undefined ? '' : `, idle ${idle}`}`;
  }
  return undefined;
}

/** The host's own network namespace as `ip` sees it: links, addresses and routes (lab traffic must add none). */
export function hostNetworkSnapshot(): string {
  const show = (args: string[]) => spawnSync('ip', args, { encoding: 'utf8' }).stdout.replace(/\s+$/gm, '');
  return ['-o link show', '-o addr show', 'route show', '-6 route show'].map((args) => show(args.split(' '))).join('\n--\n');
}

/** Host processes whose command line mentions the text (e.g. a lab's state directory). */
export function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1').replace(/\0/g, ' ');
      if (cmdline.includes(text)) found.push(`${entry}: ${cmdline.trim()}`);
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/**
 * What grade batches have on the host: lab state folders and processes of grade-* labs. Tests compare it before
 * and after a batch rather than with nothing, so that debris of an earlier, killed run on the same host is not
 * blamed on the batch under test (and the batch's own leftovers still are).
 */
export function gradeLabsOnHost(): { labs: string[]; processes: string[] } {
  const labs = existsSync(labStateRoot()) ? readdirSync(labStateRoot()).filter((entry) => entry.startsWith('grade-')) : [];
  return { labs: labs.sort(), processes: processesMentioning('/labs/grade-').sort() };
}

/** Mounts in the host's mount namespace that mention the text. */
export function mountsMentioning(text: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((line) => line.includes(text));
}

/** The lab left nothing in the host's view: no process, no mount, no state. */
export function leftovers(stateDir: string): string[] {
  return [...processesMentioning(stateDir), ...mountsMentioning(stateDir)];
}

/** The PID namespace of a running lab's sandbox, found from its holder process (not from the lab's own records). */
export function labPidNamespace(holderScript: string): string {
  const namespaces = processesMentioning(holderScript)
    .map((entry) => pidNamespaceOf(Number(entry.split(':')[0])))
    .filter((namespace) => namespace !== undefined && namespace !== ownPidNamespace());
  expect(namespaces, `no holder process runs ${holderScript}`).not.to.be.empty;
  return namespaces[0]!;
}

/** Processes still in that namespace, in any state: killed uml processes that are still exiting count. */
export function processesInNamespace(namespace: string): string[] {
  return processesInNamespaces(new Set([namespace])).map((pid) => {
    try {
      return `${pid}: ${readFileSync(`/proc/${pid}/stat`, 'latin1').trim().slice(0, 80)}`;
    } catch {
      return `${pid}: (gone)`;
    }
  });
}

export function noStackTrace(text: string): boolean {
  return !/^\s+at .+:\d+:\d+\)?$/m.test(text);
}

/**
 * An early lab (early-labs.ts) for its tests: its lab:up as it ended (exit 0 asserted), raised to
 * the foreground, with VRRP settled (while idle in the background, a busy host may have kept its
 * adverts back).
 */
export async function takeEarlyLab(lab: string): Promise<{ hostNetworkBefore: string; up: CliResult }> {
  const early = await earlyLab(lab);
  expect(early.up.code, early.up.stderr).to.equal(0);
  const paths = labPaths(lab);
  // Tests run scenarios in-process too (runFailover), not only through lab:failover, which raises the lab itself.
  expect(providerFor('uml').setCpuPriority(paths, 'foreground') || !cpuPriorityAvailable()).to.equal(true);
  await waitForLabConvergence(paths, requireLabMeta(paths, lab), scenarioConvergenceTimeoutMs);
  return early;
}

/**
 * Gives a describe block (its `this`) its own lab, from nothing, removed after its tests. It comes
 * up in the background while the describe before it (or `describesAhead` before) runs, and is taken
 * for the tests (takeEarlyLab).
 */
export function useLab(suite: Mocha.Suite, lab: string, upArgs: string[] = [], describesAhead = 1): void {
  upWithDescribeBefore(suite, lab, upArgs, { timeoutMs: 600_000, describesAhead });
  before(async function () {
    this.timeout(600_000);
    await takeEarlyLab(lab);
  });
  after(async function () {
    this.timeout(60_000);
    await runCli(['down', '--name', lab]);
  });
}
