import { LabError } from '../errors.js';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** What every runner takes; a shell kept open has no stdin of its own to give a command. */
export interface RunOptions {
  timeoutMs?: number;
}

export interface ExecOptions extends RunOptions {
  input?: string;
}

/**
 * Runs commands on one node: an SSH exec channel per command (Communicator) or one shell kept open
 * (NodeShell). Probes, clocks and faults need no more than this.
 */
export interface CommandRunner {
  readonly node: string;
  exec(command: string, options?: RunOptions): Promise<ExecResult>;
  /** Like exec, but a non-zero exit becomes REMOTE_COMMAND_FAILED quoting the node and stderr. */
  execChecked(command: string, options?: RunOptions): Promise<ExecResult>;
}

export function checkedResult(node: string, command: string, result: ExecResult): ExecResult {
  if (result.code === 0) return result;
  const detail = (result.stderr || result.stdout).trim().split('\n').slice(-12).join('\n');
  throw new LabError('REMOTE_COMMAND_FAILED', `'${command}' on ${node} exited with ${result.code}${detail ? `:\n${detail}` : ''}`);
}
