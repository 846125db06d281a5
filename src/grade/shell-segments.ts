import type { CodeBlock } from './types.js';

export interface NumberedLine {
  text: string;
  /** The submission file's line. */
  line: number;
}

/** A stretch of a code block: a shell command with its output or here-document, or plain text when there is no prompt. */
export interface Segment {
  /** The host named by the prompt (root@Balancer1:~# → Balancer1). */
  host?: string;
  command?: string;
  commandLine?: number;
  /** The lines after the prompt (or the whole block without one). */
  lines: NumberedLine[];
}

/** user@host:path# or [user@host path]$ — what students paste from their terminal. */
const HOST_PROMPT = /^\s*\[?[\w.-]+@([\w.-]+)(?:[:\s][^#$]*)?\]?[#$]\s?(.*)$/;
/** A bare "$ cmd", or "# cmd" when cmd is a command (a bare "# …" is usually a config comment). */
const BARE_PROMPT = /^\s*(?:\$\s+(.*)|#\s+((?:sudo|ipvsadm|cat|keepalived|systemctl|ip|vim?|nano|curl|tee)\b.*))$/;

/** Splits a code block at its shell prompts. */
export function shellSegments(block: CodeBlock): Segment[] {
  const segments: Segment[] = [];
  let current: Segment = { lines: [] };
  block.lines.forEach((text, index) => {
    const line = block.firstLine + index;
    const prompt = parsePrompt(text);
    if (!prompt) return void current.lines.push({ text, line });
    if (current.lines.length > 0 || current.command !== undefined) segments.push(current);
    current = { command: prompt.command, commandLine: line, lines: [], ...(prompt.host ? { host: prompt.host } : {}) };
  });
  segments.push(current);
  return segments;
}

function parsePrompt(text: string): { host?: string; command: string } | undefined {
  const host = HOST_PROMPT.exec(text);
  if (host) return { host: host[1]!, command: (host[2] ?? '').trim() };
  const bare = BARE_PROMPT.exec(text);
  if (bare) return { command: (bare[1] ?? bare[2] ?? '').trim() };
  return undefined;
}

/** The terminator of a here-document the command opens (cat > file <<EOF, tee <<'EOF'). */
export function hereDocumentEnd(command: string | undefined): string | undefined {
  const match = command ? /<<-?\s*['"]?(\w+)['"]?/.exec(command) : null;
  return match?.[1];
}
