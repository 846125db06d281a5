import { spawn } from 'node:child_process';
import { LabError } from '../errors.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  /** Called with each chunk of output, for long commands whose progress should show. */
  onOutput?: (chunk: string) => void;
}

/** Runs a host command and collects its output; a missing program becomes MISSING_COMMAND. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onOutput?.(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.onOutput?.(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(new LabError('MISSING_COMMAND', `the program '${command}' is not installed on this host`, { cause: error }));
      } else {
        reject(new LabError('COMMAND_FAILED', `could not run '${command}'`, { cause: error }));
      }
    });
    child.on('close', (code, signal) => {
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.on('error', () => undefined); // the program may exit without reading its input
    child.stdin.end(options.input ?? '');
  });
}

/** Like run, but a non-zero exit becomes a COMMAND_FAILED error that quotes stderr. */
export async function runChecked(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-12).join('\n');
    throw new LabError('COMMAND_FAILED', `'${[command, ...args].join(' ')}' exited with ${result.code}${detail ? `:\n${detail}` : ''}`);
  }
  return result;
}
