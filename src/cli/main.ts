#!/usr/bin/env node
import { describeError, LabError } from '../errors.js';
import { type CommandLine, parseCommandLine } from './command-line.js';
import { usage } from './usage.js';

type Command = (cli: CommandLine) => Promise<number>;

/**
 * Each command lives in commands/ and is imported only when it runs: --help loads nothing more than
 * this file, and status not what up or failover need (image builder, provisioning, scenario).
 */
const commands = new Map<string, () => Promise<Command>>([
  ['up', async () => (await import('./commands/up.js')).up],
  ['down', async () => (await import('./commands/down.js')).down],
  ['status', async () => (await import('./commands/status.js')).status],
  ['ssh', async () => (await import('./commands/ssh.js')).ssh],
  ['exec', async () => (await import('./commands/exec.js')).exec],
  ['failover', async () => (await import('./commands/failover.js')).failover],
  ['image', async () => (await import('./commands/image.js')).image],
  ['doctor', async () => (await import('./commands/doctor.js')).doctor],
  ['render', async () => (await import('./commands/render.js')).render],
  ['connections', async () => (await import('./commands/connections.js')).connections],
  ['grade', async () => (await import('./commands/grade.js')).grade],
]);

async function main(argv: string[]): Promise<number> {
  const cli = parseCommandLine(argv);
  if (cli.options.help || !cli.command) {
    process.stdout.write(usage);
    return cli.command || cli.options.help ? 0 : 2;
  }
  const load = commands.get(cli.command);
  if (!load) throw new LabError('USAGE', `unknown command "${cli.command}"`, { hint: 'run failover-lab --help' });
  const command = await load();
  return command(cli);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${describeError(error)}\n`);
    process.exit(error instanceof LabError && error.code === 'USAGE' ? 2 : 1);
  },
);
