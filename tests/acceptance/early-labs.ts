import { hostNetworkSnapshot, runCli, type CliResult } from './cli.js';

/**
 * Labs brought up before their tests' turn, with `lab:up --background`: their boot takes only the
 * CPU time the tests running meanwhile leave (a scenario's VRRP timing is wall-clock, not CPU,
 * bound: the host is idle for much of it). Files ask at load time, in the order mocha runs them.
 *   - 'with-suite': from the root hook on (the libvirt lab: ~4 min of both cores under emulation).
 *   - 'one-ahead': the describes that each use a uml lab of their own (useLab): the next one's lab
 *     comes up while the current one's tests run, not earlier (an idle lab still costs some CPU).
 */
type Start = 'with-suite' | 'one-ahead';

interface EarlyLab {
  lab: string;
  args: string[];
  start: Start;
  timeoutMs: number;
  started?: { hostNetworkBefore: string; up: Promise<CliResult> };
  taken: boolean;
}

const early: EarlyLab[] = [];

/** At a test file's load: lab:up ARGS for lab NAME, fresh (what an earlier run left is removed first), at background CPU priority. */
export function upEarly(lab: string, args: string[], options: { start: Start; timeoutMs: number }): void {
  early.push({ lab, args: ['up', '--name', lab, '--background', ...args], start: options.start, timeoutMs: options.timeoutMs, taken: false });
}

function startUp(wanted: EarlyLab): NonNullable<EarlyLab['started']> {
  const hostNetworkBefore = hostNetworkSnapshot();
  const up = runCli(['down', '--name', wanted.lab]).then(() => runCli(wanted.args, { timeoutMs: wanted.timeoutMs }));
  wanted.started = { hostNetworkBefore, up };
  return wanted.started;
}

function startNextOneAhead(): void {
  const next = early.find((wanted) => wanted.start === 'one-ahead' && !wanted.taken);
  if (next && !next.started) startUp(next);
}

/** Root hook: the labs that start with the suite, and the first one-ahead lab. */
export function startEarlyLabs(): void {
  for (const wanted of early) if (wanted.start === 'with-suite' && !wanted.started) startUp(wanted);
  startNextOneAhead();
}

/** The early lab's lab:up as it ended, and the host's network as it was before it started; the next one-ahead lab starts coming up. */
export async function earlyLab(lab: string): Promise<{ hostNetworkBefore: string; up: CliResult }> {
  const wanted = early.find((candidate) => candidate.lab === lab);
  if (!wanted) throw new Error(`no early lab ${lab}: its test file calls upEarly at load`);
  wanted.taken = true;
  const started = wanted.started ?? startUp(wanted);
  startNextOneAhead();
  return { hostNetworkBefore: started.hostNetworkBefore, up: await started.up };
}

/** Root hook, at the end: an early lab whose tests did not run (a --grep) is not left behind. */
export async function downUntakenEarlyLabs(): Promise<void> {
  for (const wanted of early) {
    if (wanted.taken || !wanted.started) continue;
    await wanted.started.up;
    await runCli(['down', '--name', wanted.lab]);
  }
}
