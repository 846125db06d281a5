/**
 * npm run bench:up — how fast the uml lab comes and goes, and what a node costs, on this machine.
 * Writes reports/bench-up.json. Figures, not assertions: the machines here are noisy.
 *   cold image build (into a scratch cache, so the real cache is untouched; needs root)
 *   lab:up with the cached image, lab:down — several runs, each from nothing
 *   peak memory per node (PSS of the node's uml processes, sampled while it boots and serves)
 *   command start: how long a command takes before it does lab work (needs no lab; alone with BENCH_SKIP_LAB=1)
 *   the same up/down and memory for the lab through Vagrant on libvirt (BENCH_LIBVIRT_RUNS, default 1)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clientSocket } from '../src/lab/access.js';
import { httpGet } from '../src/lab/http-probe.js';
import { labPaths, requireLabMeta } from '../src/lab/state.js';
import { loadSpec } from '../src/spec/load.js';
import { defaultSpecPath, projectRoot } from '../src/util/paths.js';
import { vagrantMinimumMemoryMb } from '../src/vagrant/machine-plan.js';
import { runBench } from './bench-report.js';

const cli = path.join(projectRoot, 'dist', 'src', 'cli', 'main.js');
const lab = 'bench';
const libvirtLab = 'bench-libvirt';
/** Runs of the libvirt lab (Vagrant on libvirt, emulated here): minutes each; 0 leaves it out. */
const libvirtRuns = Number(process.env.BENCH_LIBVIRT_RUNS ?? 1);
const runs = Number(process.env.BENCH_RUNS ?? 3);

/** Seconds from start to exit of a command that must succeed. */
function timeCommand(program: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: projectRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - started) / 1e9) : reject(new Error(`${args.join(' ')} failed:\n${stderr}`))));
  });
}

function timeCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return timeCommand(process.execPath, [cli, ...args], env);
}

/**
 * What a command costs before it does its work, measured with --help so that no lab is needed: through
 * npm and the launcher (as npm run lab:status starts), the launcher alone, and the compiled CLI alone.
 * One unmeasured run first: it compiles if a source changed.
 */
async function commandStart(runs: number): Promise<Record<string, { command: string; medianSeconds: number; all: number[] }>> {
  const launcher = path.join('scripts', 'launch.mjs');
  const commands: Record<string, [string, string[]]> = {
    npmScript: ['npm', ['run', '-s', 'lab:status', '--', '--help']],
    launcher: [process.execPath, [launcher, path.relative(projectRoot, cli), 'status', '--help']],
    compiledCli: [process.execPath, [path.relative(projectRoot, cli), '--help']],
  };
  const figures: Record<string, { command: string; medianSeconds: number; all: number[] }> = {};
  for (const [name, [program, args]] of Object.entries(commands)) {
    await timeCommand(program, args);
    const times: number[] = [];
    for (let run = 0; run < runs; run += 1) times.push(await timeCommand(program, args));
    figures[name] = { command: [path.basename(program), ...args].join(' '), medianSeconds: round(median(times)), all: times.map(round) };
  }
  return figures;
}

/** How a node's host processes are told apart: uml's umid, or the libvirt domain name qemu runs with. */
const umlNode = (name: string) => `umid=${lab}-${name}\0`;
const libvirtNode = (name: string) => `guest=failover-lab-${libvirtLab}-${name},`;

/** PSS in MB of each node's host processes (uml runs several per node; libvirt one qemu). */
function nodeMemoryMb(nodeNames: string[], marker: (name: string) => string = umlNode): Map<string, number> {
  const totals = new Map(nodeNames.map((name) => [name, 0]));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      const node = nodeNames.find((name) => cmdline.includes(marker(name)));
      if (!node) continue;
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${entry}/smaps_rollup`, 'utf8'));
      totals.set(node, (totals.get(node) ?? 0) + Number(pss?.[1] ?? 0) / 1024);
    } catch {
      // process exited meanwhile
    }
  }
  return totals;
}

const round = (value: number) => Math.round(value * 100) / 100;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

runBench('bench-up', async () => {
  const spec = loadSpec(defaultSpecPath);
  const nodes = spec.nodes.map((node) => node.name);
  const result: Record<string, unknown> = { commandStart: await commandStart(5) };
  if (process.env.BENCH_SKIP_LAB === '1') return result;

  if (process.getuid?.() === 0 && process.env.BENCH_SKIP_IMAGE !== '1') {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'failover-lab-bench-cache-'));
    try {
      result.imageColdSeconds = round(await timeCli(['image'], { ...process.env, FAILOVER_LAB_CACHE: scratch }));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  await timeCli(['image']); // the real cache, for the runs below
  const uml = await upDownRuns(lab, [], runs, nodes, umlNode, spec);
  Object.assign(result, {
    runs,
    labUpSeconds: uml.up,
    labDownSeconds: uml.down,
    peakPssMbPerNode: uml.peak,
    memoryGivenMbPerNode: spec.memoryMb,
    targets: { imageColdSeconds: 90, labUpSeconds: 20, labDownSeconds: 5, peakMbPerNode: 256 },
  });
  if (libvirtRuns > 0) {
    // The same lab through Vagrant on libvirt (the box is built by the first run if it is not cached).
    const libvirt = await upDownRuns(libvirtLab, ['--provider', 'vagrant'], libvirtRuns, nodes, libvirtNode, spec);
    result.libvirt = { runs: libvirtRuns, labUpSeconds: libvirt.up, labDownSeconds: libvirt.down, peakPssMbPerNode: libvirt.peak, memoryGivenMbPerNode: Math.max(spec.memoryMb, vagrantMinimumMemoryMb) };
  }
  return result;
});

/** lab:up, 100 requests through the VIP, lab:down, `runs` times from nothing, sampling each node's memory. */
async function upDownRuns(name: string, upArgs: string[], runs: number, nodes: string[], marker: (node: string) => string, spec: ReturnType<typeof loadSpec>) {
  await timeCli(['down', '--name', name]);
  const up: number[] = [];
  const down: number[] = [];
  const peak = new Map(nodes.map((node) => [node, 0]));
  for (let run = 0; run < runs; run += 1) {
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const [node, mb] of nodeMemoryMb(nodes, marker)) peak.set(node, Math.max(peak.get(node) ?? 0, mb));
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    up.push(await timeCli(['up', ...upArgs, '--name', name]));
    // Some traffic through the VIP, so the nodes are measured serving, not idle.
    const paths = labPaths(name);
    const vip = clientSocket(paths, requireLabMeta(paths, name), spec.vip.address, spec.service.port);
    for (let request = 0; request < 100; request += 1) await httpGet(vip, spec.vip.address);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    sampling = false;
    await sampler;
    down.push(await timeCli(['down', '--name', name]));
  }
  return {
    up: { median: round(median(up)), all: up.map(round) },
    down: { median: round(median(down)), all: down.map(round) },
    peak: Object.fromEntries([...peak].map(([node, mb]) => [node, round(mb)])),
  };
}
