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

/** Renders an error for people: message, hint, and the chain of causes (no stack trace). */
export function describeError(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  let first = true;
  while (current !== undefined && current !== null) {
    const message = current instanceof Error ? current.message : String(current);
    lines.push(first ? `error: ${message}` : `  caused by: ${message}`);
    if (first && current instanceof LabError && current.hint) lines.push(`  fix: ${current.hint}`);
    first = false;
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.join('\n');
}

/** The message at the end of an error's chain of causes: what actually went wrong, for one line. */
export function innermostMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause !== undefined && current.cause !== null) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
