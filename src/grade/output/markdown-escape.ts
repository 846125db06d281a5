/**
 * Student text in markdown: it must stay text. Inline text gets HTML entities for & < > and a
 * backslash before every character markdown gives a meaning to; code spans and blocks get a fence
 * longer than any backtick run inside, so nothing in them can close them. Control characters
 * (a terminal escape in a log, a NUL) become their visible Unicode pictures everywhere.
 */

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
// Characters with a meaning anywhere in a line (emphasis, links, tables, math, mentions)...
const MARKDOWN_PUNCTUATION = /[\\`*_[\]()|~$@!]/g;
// ...and those that mean something only at the start of a line (headings, lists, quotes, setext).
const LINE_START_MARKER = /^(\s*)([#+=-]|\d+\.)/;

/** Control characters as visible pictures (␛ for ESC); tab, LF and CR are left for the caller. */
export function visibleControls(text: string): string {
  return text.replace(CONTROL, (char) => String.fromCharCode(char === '\u007f' ? 0x2421 : 0x2400 + char.charCodeAt(0)));
}

/** One line of plain text: no markup, no HTML, no line breaks that could start a new block. */
export function escapeInline(text: string): string {
  return visibleControls(text)
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MARKDOWN_PUNCTUATION, (char) => `\\${char}`)
    .replace(LINE_START_MARKER, (_match, space: string, marker: string) => `${space}${marker.slice(0, -1)}\\${marker.slice(-1)}`);
}

/** A code span (`text`) that no backtick inside can end; one line. */
export function codeSpan(text: string): string {
  const line = visibleControls(text).replace(/[\r\n\t]+/g, ' ');
  const fence = '`'.repeat(longestRun(line, '`') + 1);
  // A span that starts or ends with a backtick needs a space between it and the fence.
  const pad = line.startsWith('`') || line.endsWith('`') || line.trim() === '' ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run in the text. */
export function codeBlock(text: string, info = 'text'): string {
  const body = visibleControls(text).replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const each of text) {
    current = each === char ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}
