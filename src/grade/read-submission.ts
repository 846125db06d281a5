import { closeSync, constants, lstatSync, openSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { RawFinding, SubmissionFile } from './types.js';

/** Larger files are not homework text; reading them would only cost memory. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** A student's repo checkout is small; these bounds keep a hostile one from walking forever. */
const MAX_DEPTH = 8;
const MAX_FILES = 2000;
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.vagrant']);
const MARKDOWN = /\.(md|markdown|mdown|mkd)$/i;
/** Screenshots are expected in the homework; they are noted, not warned about. */
const IMAGE = /\.(png|jpe?g|gif|bmp|webp|svg|pdf)$/i;

export interface Submission {
  root: string;
  files: SubmissionFile[];
  findings: RawFinding[];
}

/**
 * Reads a submission — one file or a folder — as data: symlinks are never followed, and files
 * that are too large, binary or not UTF-8 become findings instead of errors.
 */
export function readSubmission(submissionPath: string): Submission {
  const submission: Submission = { root: submissionPath, files: [], findings: [] };
  const stats = lstatOrUndefined(submissionPath);
  const name = path.basename(submissionPath);
  if (!stats) {
    submission.findings.push({ code: 'submission-missing', file: name, params: { path: submissionPath } });
  } else if (stats.isDirectory()) {
    walk(submissionPath, '', 0, submission);
    if (submission.files.length === 0 && submission.findings.length === 0) submission.findings.push({ code: 'empty-submission', file: '.' });
  } else {
    readOne(submissionPath, name, stats, submission);
  }
  return submission;
}

function walk(dir: string, relative: string, depth: number, submission: Submission): void {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (cause) {
    submission.findings.push({ code: 'unreadable', file: relative || '.', params: { reason: String((cause as Error).message) } });
    return;
  }
  for (const entry of entries) {
    if (submission.files.length + submission.findings.length >= MAX_FILES) {
      submission.findings.push({ code: 'too-many-files', file: relative || '.', params: { max: MAX_FILES } });
      return;
    }
    const full = path.join(dir, entry);
    const rel = relative ? `${relative}/${entry}` : entry;
    const stats = lstatOrUndefined(full);
    if (!stats) continue;
    if (stats.isDirectory()) {
      if (SKIPPED_DIRS.has(entry)) continue;
      if (depth >= MAX_DEPTH) submission.findings.push({ code: 'too-deep', file: rel, params: { max: MAX_DEPTH } });
      else walk(full, rel, depth + 1, submission);
    } else {
      readOne(full, rel, stats, submission);
    }
  }
}

function readOne(full: string, rel: string, stats: Stats, submission: Submission): void {
  const skip = (code: string, params?: Record<string, string | number>) => submission.findings.push({ code, file: rel, ...(params ? { params } : {}) });
  if (stats.isSymbolicLink()) return void skip('symlink-skipped');
  if (!stats.isFile()) return void skip('not-a-file');
  if (IMAGE.test(rel)) return void skip('image-skipped');
  if (stats.size > MAX_FILE_BYTES) return void skip('file-too-large', { size: stats.size, max: MAX_FILE_BYTES });
  let bytes: Buffer;
  try {
    bytes = readWithoutFollowing(full);
  } catch (cause) {
    return void skip('unreadable', { reason: String((cause as Error).message) });
  }
  if (bytes.subarray(0, 8192).includes(0)) return void skip('binary-file');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return void skip('not-utf8');
  }
  submission.files.push({ path: rel, kind: MARKDOWN.test(rel) ? 'markdown' : 'text', text: text.replace(/^\uFEFF/, '') });
}

/** O_NOFOLLOW: a file swapped for a symlink after lstat still is not followed. */
function readWithoutFollowing(file: string): Buffer {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}
