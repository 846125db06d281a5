import { hostNetworkSnapshot, runCli, type CliResult } from './cli.js';

/**
 * Labs that a test file brings up long before its turn: `lab:up --background` from the root hook,
 * so their boot (the libvirt lab's four emulated VMs: ~4 min of both cores) takes only the CPU time
 * the tests before them leave (a scenario's VRRP timing is wall-clock bound: the host is idle for
 * much of it). A file asks at load time (upEarly); its test awaits the result (earlyLab).
 */
interface EarlyLab {
  args: string[];
  timeoutMs: number;
  started?: { hostNetworkBefore: string; up: Promise<CliResult> };
  taken: boolean;
}

const early = new Map<string, EarlyLab>();

/** At a test file's load: lab:up ARGS for lab NAME, fresh (what an earlier run left is removed first), at background CPU priority. */
export function upEarly(lab: string, args: string[], timeoutMs: number): void {
  early.set(lab, { args: ['up', '--name', lab, '--background', ...args], timeoutMs, taken: false });
}

function startUp(lab: string, wanted: EarlyLab): NonNullable<EarlyLab['started']> {
  const hostNetworkBefore = hostNetworkSnapshot();
  const up = runCli(['down', '--name', lab]).then(() => runCli(wanted.args, { timeoutMs: wanted.timeoutMs }));
  wanted.started = { hostNetworkBefore, up };
  return wanted.started;
}

/** Root hook: every lab asked for starts coming up now. */
export function startEarlyLabs(): void {
  for (const [lab, wanted] of early) if (!wanted.started) startUp(lab, wanted);
}

/** The early lab's lab:up as it ended, and the host's network as it was before it started. */
export async function earlyLab(lab: string): Promise<{ hostNetworkBefore: string; up: CliResult }> {
  const wanted = early.get(lab);
  if (!wanted) throw new Error(`no early lab ${lab}: its test file calls upEarly at load`);
  wanted.taken = true;
  const started = wanted.started ?? startUp(lab, wanted);
  return { hostNetworkBefore: started.hostNetworkBefore, up: await started.up };
}

/** Root hook, at the end: an early lab whose tests did not run (a --grep) is not left behind. */
export async function downUntakenEarlyLabs(): Promise<void> {
  for (const [lab, wanted] of early) {
    if (wanted.taken || !wanted.started) continue;
    await wanted.started.up;
    await runCli(['down', '--name', lab]);
  }
}
