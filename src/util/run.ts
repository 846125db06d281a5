import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { LabError } from '../errors.js';
import { limitedCommandsGetOwnGroup, limitTime } from './time-limit.js';

export interface RunResult {
  /** The exit code; 128 + the signal's number when a signal ended the command (as a shell reports it). */
  code: number;
  stdout: string;
  stderr: string;
  /** Set when timeoutMs ran out and the command was killed. */
  timedOut?: boolean;
}

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  /** Called with each chunk of output, for long commands whose progress should show. */
  onOutput?: (chunk: string) => void;
}

/**
 * Runs a host command through execa and collects its output; a non-zero exit is a result, a missing
 * program is MISSING_COMMAND. The command ends with this process (execa's cleanup), and one with
 * timeoutMs is killed whole when its time is up (see time-limit.ts).
 */
export async function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  // Loaded on first use: commands that start no program (--help, status of a uml lab) skip its ~100 ms.
  const { execa } = await import('execa');
  const ownGroup = options.timeoutMs !== undefined && limitedCommandsGetOwnGroup;
  const subprocess = execa(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    extendEnv: false, // options.env is the whole environment, as with child_process
    input: options.input ?? '', // stdin is closed at once: a program that reads it must not wait for us
    stripFinalNewline: false, // callers parse the output as the program wrote it
    reject: false,
    detached: ownGroup,
  });
  const limit = options.timeoutMs === undefined ? undefined : limitTime(subprocess, options.timeoutMs);
  if (options.onOutput) {
    forwardText(subprocess.stdout, options.onOutput);
    forwardText(subprocess.stderr, options.onOutput);
  }
  const result = await subprocess;
  const timedOut = limit?.stop() ?? false;
  if (result.failed && result.exitCode === undefined && result.signal === undefined) throw startFailure(command, result);
  const code = result.exitCode ?? 128 + (result.signal ? constants.signals[result.signal] : 0);
  return { code, stdout: result.stdout, stderr: result.stderr, ...(timedOut ? { timedOut } : {}) };
}

/** Like run, but a non-zero exit becomes a COMMAND_FAILED error that quotes the end of its output. */
export async function runChecked(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-12).join('\n');
    const how = result.timedOut ? `was killed after ${(options.timeoutMs ?? 0) / 1000} s` : `exited with ${result.code}`;
    throw new LabError('COMMAND_FAILED', `'${[command, ...args].join(' ')}' ${how}${detail ? `:\n${detail}` : ''}`);
  }
  return result;
}

/** The program could not be started at all (execa's error, whose cause is the spawn error). */
function startFailure(command: string, failure: { code?: string; cause?: unknown }): LabError {
  const cause = failure.cause ?? failure;
  if (failure.code === 'ENOENT') {
    return new LabError('MISSING_COMMAND', `the program '${command}' is not installed on this host`, {
      cause,
      hint: `install the package that provides '${command}' so that it is on the PATH (npm run lab:doctor lists what the lab needs on this host)`,
    });
  }
  return new LabError('COMMAND_FAILED', `could not run '${command}'`, { cause });
}

/** Passes output on as text while execa collects it; the decoder keeps a character split across chunks whole. */
function forwardText(stream: Readable | null, onText: (text: string) => void): void {
  const decoder = new StringDecoder('utf8');
  stream?.on('data', (chunk: Buffer) => {
    const text = decoder.write(chunk);
    if (text) onText(text);
  });
}
