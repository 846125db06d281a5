/**
 * Progress for long work: on a TTY each step shows a spinner-free "…" line that is replaced by its
 * result and timing; otherwise plain lines, one when a step starts and one when it ends.
 */
export interface Progress {
  step<T>(label: string, work: () => Promise<T>): Promise<T>;
  info(line: string): void;
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  const tty = Boolean(stream.isTTY);
  const write = (text: string) => {
    if (!quiet) stream.write(text);
  };
  return {
    async step(label, work) {
      const started = Date.now();
      write(tty ? `  … ${label}` : `${label} …\n`);
      try {
        const result = await work();
        const took = formatSeconds(Date.now() - started);
        write(tty ? `\r\x1b[2K  ✓ ${label} (${took})\n` : `${label}: done in ${took}\n`);
        return result;
      } catch (error) {
        const took = formatSeconds(Date.now() - started);
        write(tty ? `\r\x1b[2K  ✗ ${label} (${took})\n` : `${label}: failed after ${took}\n`);
        throw error;
      }
    },
    info(line) {
      write(`${line}\n`);
    },
  };
}

export const silentProgress: Progress = {
  step: (_label, work) => work(),
  info: () => undefined,
};
