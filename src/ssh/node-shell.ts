import { randomBytes } from 'node:crypto';
import type ssh2 from 'ssh2';
import { LabError } from '../errors.js';
import { within } from '../util/within.js';
import { checkedResult, type CommandRunner, type ExecResult, type RunOptions } from './command-runner.js';

interface Pending {
  marker: string;
  stdout?: string;
  code?: number;
  stderr?: string;
  settle: (result: ExecResult | LabError) => void;
}

/**
 * One bash kept open on a node over one SSH channel; commands run in it one after another.
 *
 * Why: each SSH exec makes sshd fork a session and start a shell, and on a uml node under load
 * that start, on both balancers at once, delays keepalived's own track script past its interval
 * (the seed's `systemctl status nginx` every 2 s): the balancer enters FAULT because it was
 * looked at. A shell started before the load only forks the command itself.
 * Each command ends with a marker line, on stdout with its exit code and on stderr, so output
 * is split per command without a round trip.
 */
export class NodeShell implements CommandRunner {
  private queue: Promise<unknown> = Promise.resolve();
  private stdout = '';
  private stderr = '';
  private pending?: Pending;
  private ended?: LabError;

  constructor(
    readonly node: string,
    private readonly channel: ssh2.ClientChannel,
  ) {
    channel.setEncoding('utf8');
    channel.stderr.setEncoding('utf8');
    channel.on('data', (chunk: string) => {
      this.stdout += chunk;
      this.collect();
    });
    channel.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
      this.collect();
    });
    channel.on('close', () => {
      this.ended ??= new LabError('EXEC_FAILED', `the shell kept open on ${node} ended`);
      this.pending?.settle(this.ended);
    });
  }

  exec(command: string, options: RunOptions = {}): Promise<ExecResult> {
    const run = this.queue.then(() => this.runNow(command));
    this.queue = run.catch(() => undefined);
    if (!options.timeoutMs) return run;
    const timeoutMs = options.timeoutMs;
    // The command keeps its place in the queue until its marker comes: the next one cannot read its output.
    return within(run, timeoutMs, () => new LabError('EXEC_TIMEOUT', `'${command}' on ${this.node} did not finish within ${timeoutMs} ms`));
  }

  async execChecked(command: string, options: RunOptions = {}): Promise<ExecResult> {
    return checkedResult(this.node, command, await this.exec(command, options));
  }

  /** Ends the shell (bash exits on the end of its input); commands still waiting fail with EXEC_FAILED. */
  close(): void {
    this.ended ??= new LabError('EXEC_FAILED', `the shell kept open on ${this.node} was closed`);
    this.pending?.settle(this.ended);
    this.channel.end();
  }

  private runNow(command: string): Promise<ExecResult> {
    if (this.ended) return Promise.reject(this.ended);
    const marker = `##failover-lab-done:${randomBytes(6).toString('hex')}`;
    return new Promise((resolve, reject) => {
      this.pending = {
        marker,
        settle: (result) => {
          this.pending = undefined;
          if (result instanceof LabError) reject(result);
          else resolve(result);
        },
      };
      // stdin is the channel: a command that read it would swallow the next ones.
      this.channel.write(`{\n${command}\n} < /dev/null; rc=$?; printf '%s\\n' '${marker}' >&2; printf '\\n%s %d\\n' '${marker}' "$rc"\n`);
    });
  }

  private collect(): void {
    const pending = this.pending;
    if (!pending) return;
    if (pending.stdout === undefined) {
      const at = this.stdout.indexOf(`\n${pending.marker} `);
      const end = at < 0 ? -1 : this.stdout.indexOf('\n', at + 1);
      if (end >= 0) {
        pending.stdout = this.stdout.slice(0, at);
        pending.code = Number(this.stdout.slice(at + pending.marker.length + 2, end));
        this.stdout = this.stdout.slice(end + 1);
      }
    }
    if (pending.stderr === undefined) {
      const at = this.stderr.indexOf(`${pending.marker}\n`);
      if (at >= 0) {
        pending.stderr = this.stderr.slice(0, at);
        this.stderr = this.stderr.slice(at + pending.marker.length + 1);
      }
    }
    if (pending.stdout !== undefined && pending.stderr !== undefined) {
      pending.settle({ code: pending.code ?? 255, stdout: pending.stdout, stderr: pending.stderr });
    }
  }
}
