import { parseArgs } from 'node:util';

/** What the user asked for: the command word, its own words, and the options (one set for every command). */
export interface CommandLine {
  command: string | undefined;
  /** The words after the command (e.g. ssh's NODE). */
  args: string[];
  /** exec's remote command, flags and all. */
  remote: string[];
  options: {
    spec?: string;
    name?: string;
    rebuild?: boolean;
    background?: boolean;
    mode?: string;
    fault?: string;
    node?: string;
    provider?: string;
    out?: string;
    help?: boolean;
    // grade
    lang?: string;
    rubric?: string;
    jobs?: string;
    shard?: string;
    merge?: boolean;
    course?: string;
    timeout?: string;
    'static-only'?: boolean;
    'every-lab'?: boolean;
    // connections
    connections?: string;
    hold?: string;
    'fin-timeout'?: string;
  };
}

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

export function parseCommandLine(argv: string[]): CommandLine {
  const { ours, remote } = splitRemoteCommand(argv);
  const { values, positionals } = parseArgs({
    args: ours,
    allowPositionals: true,
    strict: true,
    options: {
      spec: { type: 'string' },
      name: { type: 'string' },
      rebuild: { type: 'boolean' },
      background: { type: 'boolean' },
      mode: { type: 'string' },
      fault: { type: 'string' },
      node: { type: 'string' },
      provider: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      lang: { type: 'string' },
      rubric: { type: 'string' },
      jobs: { type: 'string' },
      shard: { type: 'string' },
      merge: { type: 'boolean' },
      course: { type: 'string' },
      timeout: { type: 'string' },
      'static-only': { type: 'boolean' },
      'every-lab': { type: 'boolean' },
      connections: { type: 'string' },
      hold: { type: 'string' },
      'fin-timeout': { type: 'string' },
    },
  });
  const [command, ...args] = positionals;
  return { command, args, remote, options: values };
}
