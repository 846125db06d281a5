import { hostNetworkSnapshot, runCli, type CliResult } from './cli.js';

/**
 * Labs brought up before their tests' turn, with `lab:up --background`: their boot takes only the
 * CPU time the tests running meanwhile leave (a scenario's VRRP timing is wall-clock bound, and the
 * background is an idle cgroup: its tasks yield at once to the scenario's). Test files ask at load
 * time, and a test awaits the result (earlyLab).
 *   - 'with-suite' (upEarly): from the root hook on; the libvirt lab, ~4 min of both cores emulated.
 *   - 'with-describe-before' (upWithDescribeBefore): while the describe loaded just before the
 *     asking one runs (or a few before, when those are short), not earlier: an idle lab still costs
 *     some CPU, and its turn is near.
 */
type Start = 'with-suite' | 'with-describe-before';

interface UpOptions {
  timeoutMs: number;
  /** The environment of its lab:up (e.g. FAILOVER_LAB_CPUS), when not the suite's own. */
  env?: NodeJS.ProcessEnv;
}

interface DescribeOptions extends UpOptions {
  /** Start with the describe this many before the asking one (default 1): short ones cover less of a boot (~20 s). */
  describesAhead?: number;
}

interface EarlyLab extends UpOptions {
  args: string[];
  start: Start;
  started?: { hostNetworkBefore: string; up: Promise<CliResult> };
  taken: boolean;
}

const early = new Map<string, EarlyLab>();

function ask(lab: string, args: string[], start: Start, options: UpOptions): void {
  early.set(lab, { args: ['up', '--name', lab, '--background', ...args], start, ...options, taken: false });
}

/** At a test file's load: lab:up ARGS for lab NAME from the suite's start, fresh (what an earlier run left is removed first), at background CPU priority. */
export function upEarly(lab: string, args: string[], timeoutMs: number): void {
  ask(lab, args, 'with-suite', { timeoutMs });
}

/**
 * In a describe's body (its `this`): the same, started by a `before` hook added to the describe
 * mocha loaded just before it, or `describesAhead` before it (its own hooks run first). Where that
 * one does not run (a --grep), earlyLab starts the lab itself.
 */
export function upWithDescribeBefore(suite: Mocha.Suite, lab: string, args: string[], options: DescribeOptions): void {
  const { describesAhead = 1, ...upOptions } = options;
  ask(lab, args, 'with-describe-before', upOptions);
  const siblings = suite.parent?.suites ?? [];
  const index = siblings.indexOf(suite);
  const starter = index > 0 ? siblings[Math.max(0, index - describesAhead)] : undefined;
  starter?.beforeAll(`lab ${lab} comes up in the background for a describe after this one`, () => {
    const wanted = early.get(lab);
    if (wanted && !wanted.started) startUp(lab, wanted);
  });
}

function startUp(lab: string, wanted: EarlyLab): NonNullable<EarlyLab['started']> {
  const hostNetworkBefore = hostNetworkSnapshot();
  const up = runCli(['down', '--name', lab]).then(() => runCli(wanted.args, { timeoutMs: wanted.timeoutMs, ...(wanted.env ? { env: wanted.env } : {}) }));
  wanted.started = { hostNetworkBefore, up };
  return wanted.started;
}

/** Root hook: the labs that start with the suite start coming up now. */
export function startEarlyLabs(): void {
  for (const [lab, wanted] of early) if (wanted.start === 'with-suite' && !wanted.started) startUp(lab, wanted);
}

/** The early lab's lab:up as it ended, and the host's network as it was before it started. */
export async function earlyLab(lab: string): Promise<{ hostNetworkBefore: string; up: CliResult }> {
  const wanted = early.get(lab);
  if (!wanted) throw new Error(`no early lab ${lab}: its test file asks at load (upEarly, upWithDescribeBefore)`);
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
