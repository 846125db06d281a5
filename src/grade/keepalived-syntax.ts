import type { RawFinding } from './types.js';

/** Where a config's text sits in the submission: its file and the file's line of the text's first line. */
export interface Origin {
  file: string;
  firstLine: number;
}

/** One keyword line of a keepalived.conf, with the block it opens. Lines are the submission's. */
export interface Statement {
  keyword: string;
  args: string[];
  /** The line as written (comment removed), for checks that care about quotes. */
  raw: string;
  line: number;
  children?: Statement[];
}

export interface SyntaxTree {
  statements: Statement[];
  findings: RawFinding[];
}

/**
 * Reads keepalived.conf syntax as keepalived does: words split on white space, "quoted" words
 * kept whole, `#` and `!` start a comment outside quotes, `{`/`}` open and close blocks. Lenient
 * where students are: a `{` alone on the next line, `}` glued to a word, one-line blocks.
 */
export function parseSyntax(text: string, origin: Origin): SyntaxTree {
  const findings: RawFinding[] = [];
  const root: Statement[] = [];
  const stack: Statement[][] = [root];
  let last: Statement | undefined;
  text.split(/\r?\n/).forEach((source, index) => {
    const line = origin.firstLine + index;
    const { words, raw, unmatchedQuote } = splitWords(source);
    if (unmatchedQuote) findings.push({ code: 'unmatched-quote', file: origin.file, line });
    let current: Statement | undefined;
    for (const word of words) {
      const siblings = stack[stack.length - 1]!;
      if (word === '{') {
        const owner = current ?? last;
        if (!owner || owner.children) {
          findings.push({ code: 'brace-unexpected', file: origin.file, line });
          continue;
        }
        owner.children = [];
        stack.push(owner.children);
        current = undefined;
        last = undefined;
      } else if (word === '}') {
        if (stack.length === 1) findings.push({ code: 'brace-extra', file: origin.file, line });
        else stack.pop();
        current = undefined;
        last = undefined;
      } else if (current) {
        current.args.push(word);
      } else {
        current = { keyword: word, args: [], raw, line };
        siblings.push(current);
        last = current;
      }
    }
  });
  if (stack.length > 1) {
    // At the config's last line, where the } should have been.
    const lastLine = origin.firstLine + text.replace(/\s+$/, '').split(/\r?\n/).length - 1;
    findings.push({ code: 'brace-missing', file: origin.file, line: lastLine, params: { count: stack.length - 1 } });
  }
  return { statements: root, findings };
}

/** Splits one line into words; braces are words of their own even when glued to a neighbour. */
function splitWords(source: string): { words: string[]; raw: string; unmatchedQuote: boolean } {
  const words: string[] = [];
  let index = 0;
  let end = source.length;
  let unmatchedQuote = false;
  while (index < source.length) {
    const char = source[index]!;
    if (char === '#' || char === '!') {
      end = index;
      break;
    }
    if (/\s/.test(char)) {
      index++;
    } else if (char === '"') {
      const close = source.indexOf('"', index + 1);
      if (close < 0) {
        unmatchedQuote = true;
        words.push(source.slice(index + 1));
        break;
      }
      words.push(source.slice(index + 1, close));
      index = close + 1;
    } else if (char === '{' || char === '}') {
      words.push(char);
      index++;
    } else {
      const match = /^[^\s"{}#!]+/.exec(source.slice(index))!;
      words.push(match[0]);
      index += match[0].length;
    }
  }
  return { words, raw: source.slice(0, end).trim(), unmatchedQuote };
}
