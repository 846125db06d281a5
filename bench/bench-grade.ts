/**
 * npm run bench:grade — what grading costs on this machine, written to reports/bench-grade.json.
 * Figures, not assertions: the machines here are noisy. A batch of 10 cases of the corpus
 * (tests/fixtures/submissions; BENCH_GRADE_CASES to choose), graded through the CLI as a grader runs it:
 *   static stage only, per submission (the whole batch with --static-only, divided)
 *   one submission end to end (the seed answer: static stage, lab up, failover scenario, lab down)
 *   the batch end to end at --jobs 1 and --jobs 2 (BENCH_GRADE_JOBS), as submissions per hour
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/util/paths.js';
import { expectedCase, prepareCase } from '../tests/grade-corpus.js';
import { runBench } from './bench-report.js';

const cli = path.join(projectRoot, 'dist', 'src', 'cli', 'main.js');
const defaultCases = ['seed-answer', 'good-markdown', 'russian-noda', 'ipvsadm-commands', 'virtual-server-folder', 'unicast-folder', 'topology-10x-eth0', 'vrid-mismatch', 'no-ipvs', 'interface-eth0-split-brain'];
const round = (value: number) => Math.round(value * 100) / 100;

/** Why each submission that did not pass got its verdict: its first failing criterion (from grade.json). */
function whyNotPassed(out: string): Record<string, string> {
  const reasons: Record<string, string> = {};
  for (const entry of readdirSync(out, { withFileTypes: true })) {
    const file = path.join(out, entry.name, 'grade.json');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8')) as { submission: string; verdict: string; criteria: { id: string; pass: boolean; message: string }[] };
    const failing = report.criteria.find((criterion) => !criterion.pass);
    // Each case was copied into the bench's folder under its own name, beside this run's out.
    const caseName = path.relative(path.dirname(out), report.submission).split(path.sep)[0] ?? report.submission;
    if (report.verdict !== 'pass') reasons[caseName] = `${report.verdict}: ${failing ? `${failing.id}: ${failing.message}` : 'no failing criterion'}`.slice(0, 400);
  }
  return reasons;
}

/** Seconds the grade command took, and its verdicts by submission (from grades.csv). */
function grade(args: string[], out: string): Promise<{ seconds: number; verdicts: string[]; whyNotPassed: Record<string, string> }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'grade', ...args, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && code !== 1) reject(new Error(`grade exited with ${code}:\n${stderr.slice(-2000)}`));
      const rows = readFileSync(path.join(out, 'grades.csv'), 'utf8').trim().split('\n').slice(1);
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, verdicts: rows.map((row) => row.split(',')[1] ?? '?'), whyNotPassed: whyNotPassed(out) });
    });
  });
}

runBench('bench-grade', async () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'failover-lab-bench-grade-'));
  try {
    const names = process.env.BENCH_GRADE_CASES?.split(',') ?? defaultCases;
    const submissions = names.map((name) => prepareCase(name, expectedCase(name), path.join(work, name)));
    const jobs = (process.env.BENCH_GRADE_JOBS ?? '1,2').split(',').map(Number);

    const staticOnly = await grade(['--static-only', ...submissions], path.join(work, 'static'));
    const single = await grade([submissions[0]!, '--jobs', '1'], path.join(work, 'single'));
    const batches: Record<string, unknown>[] = [];
    for (const count of jobs) {
      const batch = await grade([...submissions, '--jobs', String(count)], path.join(work, `batch-${count}`));
      batches.push({ jobs: count, seconds: round(batch.seconds), submissionsPerHour: Math.round((submissions.length / batch.seconds) * 3600), verdicts: batch.verdicts, whyNotPassed: batch.whyNotPassed });
    }
    return {
      cases: names,
      staticOnly: { batchSeconds: round(staticOnly.seconds), perSubmissionSeconds: round(staticOnly.seconds / submissions.length), targetSeconds: 3 },
      oneSubmissionEndToEnd: { submission: names[0], seconds: round(single.seconds), verdict: single.verdicts[0], targetSeconds: 45 },
      batches,
      targetSubmissionsPerHour: 100,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
