import type { CodeBlock, SubmissionFile } from './types.js';

/** How many prose lines before a block may name its node (a heading plus a caption or two). */
const CONTEXT_LINES = 3;

/**
 * Splits a submission file into code blocks. Markdown: its fenced blocks (``` or ~~~, with or
 * without a language tag, also indented under list items; an unclosed fence runs to the end, as
 * in CommonMark). Any other text file is one block.
 * A hand-written scanner: fences are all the grader needs from markdown, and it keeps line numbers exact.
 */
export function codeBlocks(file: SubmissionFile): CodeBlock[] {
  const lines = file.text.split(/\r?\n/);
  if (file.kind !== 'markdown') return [{ file: file.path, firstLine: 1, lang: '', lines, textBefore: [] }];
  const blocks: CodeBlock[] = [];
  let prose: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/.exec(lines[index] ?? '');
    if (!open) {
      const text = (lines[index] ?? '').trim();
      if (text) prose.push(text);
      continue;
    }
    const [, indent = '', fence = '', lang = ''] = open;
    const content: string[] = [];
    let end = index + 1;
    for (; end < lines.length; end++) {
      const line = lines[end] ?? '';
      if (isClosingFence(line, fence)) break;
      content.push(stripIndent(line, indent.length));
    }
    blocks.push({ file: file.path, firstLine: index + 2, lang, lines: content, textBefore: prose.slice(-CONTEXT_LINES) });
    prose = [];
    index = end;
  }
  return blocks;
}

function isClosingFence(line: string, fence: string): boolean {
  const match = /^\s*(`{3,}|~{3,})\s*$/.exec(line);
  return match !== null && match[1]![0] === fence[0] && match[1]!.length >= fence.length;
}

function stripIndent(line: string, width: number): string {
  let cut = 0;
  while (cut < width && line[cut] === ' ') cut++;
  return line.slice(cut);
}
