#!/usr/bin/env node
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBoxImage } from '../box/image.js';
import { describeError, LabError } from '../errors.js';
import { ensureHostPackages } from '../host/packages.js';
import { connectNode } from '../lab/access.js';
import { downLab } from '../lab/down.js';
import { labPaths, readLabMeta, requireLabMeta } from '../lab/state.js';
import { runFailover } from '../scenario/failover.js';
import { seedScenario } from '../scenario/run.js';
import { labRunning } from '../lab/running.js';
import { chooseProvider } from '../provider/choose.js';
import { umlChecks } from '../doctor/uml-checks.js';
import { doctorReport } from '../doctor/report.js';
import { renderAllNodeFiles } from '../render/bundle.js';
import type { LabSpec } from '../spec/types.js';
import { defaultNodeFilesDir } from '../vagrant/cli.js';
import { writeNodeFiles } from '../vagrant/node-files.js';
import { formatStatusTable, labStatus } from '../lab/status.js';
import { removeHalfBuiltLab, upLab } from '../lab/up.js';
import { loadSpec } from '../spec/load.js';
import { defaultSpecPath } from '../util/paths.js';
import { createProgress, formatSeconds } from '../util/progress.js';

const usage = `usage: failover-lab COMMAND [options]

commands:
  up                      bring the lab up (uml: builds the node image once; vagrant: vagrant up),
                          provision it, wait for the VIP
  down                    remove the lab: every process, VM, interface and file it made
  status                  table of nodes, keepalived state, VIP holder, IPVS service
  ssh NODE                interactive root shell on a node
  exec NODE COMMAND...    run one command on a node; exits with its exit code
  image [--rebuild]       build the node image (needs root once)
  doctor                  can this host run the lab? one line per check, with the fix for each problem
  render [--out DIR]      write each node's provisioning files for a plain 'vagrant up'
                          (default DIR: .vagrant/failover-lab/node-files, where the Vagrantfile looks)
  failover [--mode M]     the seed's failover scenario on the lab (brought up if needed): load
                          through the VIP, ip link set down eth1 on the master, checks, report;
                          M is new-connection (default) or keep-alive; exits 1 if a check fails

options:
  --spec FILE             lab spec (default: lab/seed.yaml)
  --name NAME             lab name (default: the spec's name); labs with different names can run at once
  --provider P            uml (User-Mode Linux, the default on Linux) or vagrant (VirtualBox);
                          also LAB_PROVIDER=P. A running lab keeps the provider it was made with.
`;

/** `exec NODE CMD...` keeps the command's own flags (e.g. ipvsadm -Ln): options are read only before NODE. */
function splitRemoteCommand(argv: string[]): { ours: string[]; remote: string[] } {
  const valued = ['--spec', '--name', '--provider'];
  const positions: number[] = [];
  for (let index = 0; index < argv.length && positions.length < 2; index += 1) {
    const arg = argv[index] ?? '';
    if (valued.includes(arg)) index += 1;
    else if (!arg.startsWith('-')) positions.push(index);
  }
  const [commandAt, nodeAt] = positions;
  if (commandAt === undefined || argv[commandAt] !== 'exec' || nodeAt === undefined) return { ours: argv, remote: [] };
  return { ours: argv.slice(0, nodeAt + 1), remote: argv.slice(nodeAt + 1) };
}

async function main(argv: string[]): Promise<number> {
  const { ours, remote } = splitRemoteCommand(argv);
  const { values, positionals } = parseArgs({
    args: ours,
    allowPositionals: true,
    strict: true,
    options: {
      spec: { type: 'string' },
      name: { type: 'string' },
      rebuild: { type: 'boolean' },
      mode: { type: 'string' },
      provider: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(usage);
    return command || values.help ? 0 : 2;
  }
  const progress = createProgress();
  const spec = () => loadSpec(values.spec ?? defaultSpecPath, { name: values.name });
  const labName = () => values.name ?? spec().name;
  const choose = (labSpec: LabSpec) => chooseProvider({ flag: values.provider, env: process.env.LAB_PROVIDER, platform: process.platform, umlChecks: () => umlChecks(labSpec) });
  const provider = (labSpec: LabSpec) => {
    const choice = choose(labSpec);
    progress.info(`provider: ${choice.name} (${choice.reason})`);
    return choice.name;
  };

  switch (command) {
    case 'up': {
      const labSpec = spec();
      const started = Date.now();
      const paths = labPaths(labSpec.name);
      const running = readLabMeta(paths);
      const keep = running?.readyAt && !values.provider && !process.env.LAB_PROVIDER;
      if (keep) progress.info(`provider: ${running.provider} (the lab is up on it)`);
      const chosen = keep ? running.provider : provider(labSpec);
      // Ctrl-C during up must not leave a half-built lab behind.
      const onInterrupt = () => {
        process.stderr.write('\ninterrupted: removing the half-built lab\n');
        void removeHalfBuiltLab(paths, progress).finally(() => process.exit(130));
      };
      process.once('SIGINT', onInterrupt);
      process.once('SIGTERM', onInterrupt);
      const result = await upLab(labSpec, progress, chosen);
      progress.info(`lab ${labSpec.name} is ${result.created ? 'up' : 'still up'} after ${formatSeconds(Date.now() - started)}: http://${labSpec.vip.address}:${labSpec.service.port}/ inside the lab`);
      progress.info('next: npm run lab:status, npm run lab:ssh -- balancer1, npm test');
      return 0;
    }
    case 'down': {
      const report = await downLab(labName(), progress);
      progress.info(report.processesKilled + Number(report.stateRemoved) + Number(report.machinesDestroyed) === 0 ? `lab ${report.name} was not up: nothing to remove` : `lab ${report.name} removed`);
      return 0;
    }
    case 'status': {
      const status = await labStatus(labName());
      process.stdout.write(formatStatusTable(status));
      return 0;
    }
    case 'ssh':
    case 'exec': {
      const [node] = rest;
      const commandWords = remote;
      if (!node || (command === 'exec' && commandWords.length === 0)) {
        throw new LabError('USAGE', command === 'ssh' ? 'which node? e.g. failover-lab ssh balancer1' : 'usage: failover-lab exec NODE COMMAND...');
      }
      const name = labName();
      const paths = labPaths(name);
      const session = await connectNode(paths, requireLabMeta(paths, name), node);
      try {
        if (command === 'ssh') return await session.shell(process.stdin, process.stdout);
        const result = await session.exec(commandWords.join(' '));
        process.stdout.write(result.stdout);
        process.stderr.write(result.stderr);
        return result.code;
      } finally {
        session.close();
      }
    }
    case 'failover': {
      const mode = values.mode ?? 'new-connection';
      if (mode !== 'new-connection' && mode !== 'keep-alive') {
        throw new LabError('USAGE', `--mode must be new-connection or keep-alive, not "${mode}"`);
      }
      const labSpec = spec();
      const paths = labPaths(labSpec.name);
      const running = readLabMeta(paths);
      const meta = running?.readyAt && (await labRunning(paths, running)) ? running : (await upLab(labSpec, progress, provider(labSpec))).meta;
      const run = await runFailover(paths, meta, { ...seedScenario, mode }, progress);
      process.stdout.write(run.summary);
      progress.info(`report: ${run.reportDir}/summary.md and result.json`);
      return run.passed ? 0 : 1;
    }
    case 'image': {
      await ensureHostPackages(progress, { build: true });
      const box = await ensureBoxImage(progress, { rebuild: values.rebuild });
      progress.info(`node image: ${box.path}${box.built ? '' : ' (cached)'}`);
      return 0;
    }
    case 'doctor': {
      const labSpec = spec();
      const report = await doctorReport(labSpec, choose(labSpec));
      process.stdout.write(report.text);
      return report.ready ? 0 : 1;
    }
    case 'render': {
      const labSpec = spec();
      const out = path.resolve(values.out ?? defaultNodeFilesDir);
      writeNodeFiles(out, renderAllNodeFiles(labSpec));
      progress.info(`provisioning files for ${labSpec.nodes.map((node) => node.name).join(', ')} written to ${out}`);
      return 0;
    }
    default:
      throw new LabError('USAGE', `unknown command "${command}"`, { hint: 'run failover-lab --help' });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${describeError(error)}\n`);
    process.exit(error instanceof LabError && error.code === 'USAGE' ? 2 : 1);
  },
);
