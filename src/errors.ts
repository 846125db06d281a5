/**
 * Errors that cross module boundaries carry a stable code (for callers and tests), a message that
 * names the thing and the place, and a hint that says how to fix it. The CLI prints these without
 * a stack trace.
 */
export class LabError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  /** Data for programs (e.g. the grader maps keepalived's own output to a student's lines); never printed. */
  readonly details: Record<string, string> | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown; details?: Record<string, string> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LabError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/** An error and its causes, outermost first. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && current !== null; current = current instanceof Error ? current.cause : undefined) chain.push(current);
  return chain;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Renders an error for people: message, hint, and the chain of causes (no stack trace). */
export function describeError(error: unknown): string {
  return causeChain(error)
    .flatMap((current, index) => {
      if (index > 0) return [`  caused by: ${messageOf(current)}`];
      return [`error: ${messageOf(current)}`, ...(current instanceof LabError && current.hint ? [`  fix: ${current.hint}`] : [])];
    })
    .join('\n');
}

/** The message at the end of an error's chain of causes: what actually went wrong, for one line. */
export function innermostMessage(error: unknown): string {
  return messageOf(causeChain(error).at(-1));
}
