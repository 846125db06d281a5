import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import ssh2 from 'ssh2';
import { LabError } from '../errors.js';
import { checkedResult, type CommandRunner, type ExecOptions, type ExecResult } from './command-runner.js';
import { hostKeyMismatch } from './host-key-check.js';
import { NodeShell } from './node-shell.js';

export type { ExecResult } from './command-runner.js';

/** How to reach one node's sshd; `openSocket` lets a provider route the TCP stream (e.g. into a namespace). */
export interface SshTarget {
  node: string;
  host: string;
  port: number;
  username: string;
  privateKey: string;
  /** "ssh-ed25519 BASE64" the node must present; unset (Vagrant) accepts any host key. */
  hostKey?: string;
  openSocket?: () => Promise<Duplex>;
}

/** One SSH session per node; everything above providers talks to nodes only through this. */
export class Communicator implements CommandRunner {
  private constructor(
    readonly node: string,
    private readonly client: ssh2.Client,
  ) {}

  /** Connects once; fails with NODE_UNREACHABLE naming the node. */
  static async connect(target: SshTarget, readyTimeoutMs = 10_000): Promise<Communicator> {
    const client = new ssh2.Client();
    const sock = target.openSocket ? await target.openSocket() : undefined;
    let mismatch: ReturnType<typeof hostKeyMismatch>;
    const pinned = target.hostKey;
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      // ssh2 may emit several errors for one failed attempt: keep listening, reject once.
      client.on('error', (cause) => {
        sock?.destroy();
        if (mismatch) {
          reject(
            new LabError('HOST_KEY_MISMATCH', `${target.node} (${target.host}:${target.port}) presented SSH host key ${mismatch.presented}, not ${mismatch.expected} recorded for it when the lab was made`, {
              cause,
              hint: 'something else answers at the node\'s address, or the lab was remade under it: npm run lab:down && npm run lab:up',
            }),
          );
        } else reject(new LabError('NODE_UNREACHABLE', `cannot open SSH to ${target.node} (${target.host}:${target.port})`, { cause }));
      });
      client.connect({
        host: target.host,
        port: target.port,
        username: target.username,
        privateKey: target.privateKey,
        sock: sock as never,
        hostVerifier: pinned ? (key: Buffer) => !(mismatch = hostKeyMismatch(key, pinned)) : undefined,
        readyTimeout: readyTimeoutMs,
        keepaliveInterval: 5_000,
      });
    });
    return new Communicator(target.node, client);
  }

  /** Retries until sshd answers (a node that is still booting refuses or resets connections). */
  static async waitReady(target: SshTarget, timeoutMs: number, explain: () => string = () => ''): Promise<Communicator> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        return await Communicator.connect(target, Math.max(1_000, Math.min(10_000, deadline - Date.now())));
      } catch (error) {
        // A wrong host key will not get right by waiting, nor will a lab whose sandbox is gone (its
        // control socket refused: removed under a grader's deadline, or crashed).
        if (error instanceof LabError && (error.code === 'HOST_KEY_MISMATCH' || error.code === 'SANDBOX_UNREACHABLE')) throw error;
        lastError = error;
        await sleep(200);
      }
    }
    const detail = explain();
    throw new LabError('NODE_TIMEOUT', `${target.node} did not accept SSH within ${Math.round(timeoutMs / 1000)} s${detail ? `\n${detail}` : ''}`, {
      cause: lastError,
      hint: `read the node's console log; bring the lab down and up again with: npm run lab:down && npm run lab:up`,
    });
  }

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (error, channel) => {
        if (error) {
          reject(new LabError('EXEC_FAILED', `cannot run a command on ${this.node}`, { cause: error }));
          return;
        }
        let stdout = '';
        let stderr = '';
        let code: number | undefined;
        const timer = options.timeoutMs
          ? setTimeout(() => {
              channel.close();
              reject(new LabError('EXEC_TIMEOUT', `'${command}' on ${this.node} did not finish within ${options.timeoutMs} ms`));
            }, options.timeoutMs)
          : undefined;
        channel.setEncoding('utf8');
        channel.stderr.setEncoding('utf8');
        channel.on('data', (chunk: string) => (stdout += chunk));
        channel.stderr.on('data', (chunk: string) => (stderr += chunk));
        channel.on('exit', (exitCode: number | null, signal?: string) => {
          code = exitCode ?? (signal ? 128 : 255);
        });
        channel.on('close', () => {
          if (timer) clearTimeout(timer);
          resolve({ code: code ?? 255, stdout, stderr });
        });
        channel.end(options.input ?? '');
      });
    });
  }

  /**
   * Runs a long command (e.g. a monitor) and hands over its output line by line as it comes.
   * `stop` ends the command: it runs in the background of a shell that waits for the end of its
   * input, so closing our side kills it (closing an SSH channel alone leaves the command running).
   * The command should still bound itself (e.g. with timeout) in case the connection drops.
   */
  stream(command: string, onLine: (line: string) => void): { done: Promise<number>; stop: () => void } {
    let stopChannel = () => undefined as void;
    const done = new Promise<number>((resolve, reject) => {
      const wrapped = `${command} & child=$!; read -r _; kill $child 2>/dev/null; wait`;
      this.client.exec(wrapped, (error, channel) => {
        if (error) {
          reject(new LabError('EXEC_FAILED', `cannot run '${command}' on ${this.node}`, { cause: error }));
          return;
        }
        stopChannel = () => channel.end();
        let buffer = '';
        let code = 255;
        channel.setEncoding('utf8');
        channel.on('data', (chunk: string) => {
          buffer += chunk;
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            onLine(buffer.slice(0, newline));
            buffer = buffer.slice(newline + 1);
          }
        });
        channel.stderr.resume();
        channel.on('exit', (exitCode: number | null) => (code = exitCode ?? 255));
        channel.on('close', () => resolve(code));
      });
    });
    return { done, stop: () => stopChannel() };
  }

  async execChecked(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return checkedResult(this.node, command, await this.exec(command, options));
  }

  /** One shell kept open on the node for a series of short commands (see NodeShell for why). */
  openShell(): Promise<NodeShell> {
    return new Promise((resolve, reject) => {
      this.client.exec('exec bash --noprofile --norc', (error, channel) => {
        if (error) reject(new LabError('EXEC_FAILED', `cannot open a shell on ${this.node}`, { cause: error }));
        else resolve(new NodeShell(this.node, channel));
      });
    });
  }

  /** Writes files into a directory on the node over SFTP (one session, no process per file). */
  async upload(remoteDir: string, files: Record<string, string | Buffer>, mode = 0o644): Promise<void> {
    await this.execChecked(`rm -rf '${remoteDir}' && mkdir -p '${remoteDir}'`);
    const sftp = await new Promise<ssh2.SFTPWrapper>((resolve, reject) =>
      this.client.sftp((error, session) => (error ? reject(new LabError('UPLOAD_FAILED', `no SFTP on ${this.node}`, { cause: error })) : resolve(session))),
    );
    // ssh2 never calls a pending write back when the connection drops: the upload would hang.
    let onClose = () => undefined as void;
    const dropped = new Promise<never>((_resolve, reject) => {
      onClose = () => reject(new LabError('UPLOAD_FAILED', `the SSH connection to ${this.node} closed during an upload to ${remoteDir}`));
      this.client.once('close', onClose);
    });
    try {
      for (const [name, content] of Object.entries(files)) {
        await Promise.race([
          dropped,
          new Promise<void>((resolve, reject) =>
            sftp.writeFile(`${remoteDir}/${name}`, content, { mode }, (error) =>
              error ? reject(new LabError('UPLOAD_FAILED', `cannot write ${remoteDir}/${name} on ${this.node}`, { cause: error })) : resolve(),
            ),
          ),
        ]);
      }
    } finally {
      this.client.off('close', onClose);
      dropped.catch(() => undefined);
      sftp.end();
    }
  }

  /** An interactive login shell wired to this terminal; resolves with the shell's exit code. */
  shell(input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<number> {
    return new Promise((resolve, reject) => {
      const window = { term: process.env.TERM ?? 'xterm', rows: output.rows ?? 24, cols: output.columns ?? 80, height: 0, width: 0 };
      this.client.shell(window, (error, channel) => {
        if (error) {
          reject(new LabError('SHELL_FAILED', `cannot open a shell on ${this.node}`, { cause: error }));
          return;
        }
        let code = 0;
        const raw = input.isTTY;
        if (raw) input.setRawMode(true);
        input.pipe(channel);
        channel.pipe(output);
        channel.stderr.pipe(process.stderr);
        const onResize = () => channel.setWindow(output.rows ?? 24, output.columns ?? 80, 0, 0);
        output.on('resize', onResize);
        channel.on('exit', (exitCode: number | null) => (code = exitCode ?? 0));
        channel.on('close', () => {
          output.off('resize', onResize);
          input.unpipe(channel);
          if (raw) input.setRawMode(false);
          input.pause();
          resolve(code);
        });
      });
    });
  }

  close(): void {
    this.client.end();
  }
}
