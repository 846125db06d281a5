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
  // On a TTY a running step's line stays open, to be replaced by its result; a line printed
  // meanwhile (e.g. Vagrant's progress) ends it first, and the result then gets a line of its own.
  let openStep = false;
  const finish = (mark: string, label: string, took: string) => {
    write(openStep ? `\r\x1b[2K  ${mark} ${label} (${took})\n` : `  ${mark} ${label} (${took})\n`);
    openStep = false;
  };
  return {
    async step(label, work) {
      const started = Date.now();
      write(tty ? `  … ${label}` : `${label} …\n`);
      openStep = tty;
      try {
        const result = await work();
        const took = formatSeconds(Date.now() - started);
        if (tty) finish('✓', label, took);
        else write(`${label}: done in ${took}\n`);
        return result;
      } catch (error) {
        const took = formatSeconds(Date.now() - started);
        if (tty) finish('✗', label, took);
        else write(`${label}: failed after ${took}\n`);
        throw error;
      }
    },
    info(line) {
      write(`${openStep ? '\n' : ''}${line}\n`);
      openStep = false;
    },
  };
}

export const silentProgress: Progress = {
  step: (_label, work) => work(),
  info: () => undefined,
};

/**
 * Passes steps and lines on to `inner` and remembers the steps still running, so that work that
 * timed out can say where it was (e.g. a grader's lab past its wall clock).
 */
export function trackingProgress(inner: Progress): Progress & { running(): string | undefined } {
  const open: { label: string; since: number }[] = [];
  return {
    async step(label, work) {
      const entry = { label, since: Date.now() };
      open.push(entry);
      try {
        return await inner.step(label, work);
      } finally {
        open.splice(open.indexOf(entry), 1);
      }
    },
    info: (line) => inner.info(line),
    running: () => (open.length === 0 ? undefined : open.map((entry) => `${entry.label} (for ${formatSeconds(Date.now() - entry.since)})`).join(' › ')),
  };
}
