import { expect } from 'chai';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hostKeepalivedChecker } from '../../src/grade/keepalived-host-check.js';
import { gradeStatic } from '../../src/grade/static-stage.js';
import { loadSpec } from '../../src/spec/load.js';
import { corpusCases, expectedCase, prepareCase } from '../grade-corpus.js';
import { seedSpecPath, tempDir } from '../helpers.js';
import { runCli } from './cli.js';

const seed = loadSpec(seedSpecPath);
const seedAnswer = (): string => readFileSync(prepareCase('seed-answer', expectedCase('seed-answer')), 'utf8');

/** The seed answer with one line changed, as a student would hand it in. */
function variant(from: string, to: string): string {
  const dir = tempDir('grade-keepalived-t-');
  const text = seedAnswer();
  expect(text).to.include(from);
  writeFileSync(path.join(dir, 'homework.md'), text.replace(from, to));
  return path.join(dir, 'homework.md');
}

const lineOf = (file: string, needle: string) => readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('grader: keepalived -t in the static stage, without a lab (acceptance)', function () {
  this.timeout(60_000);
  // The root hook has built the node image: its keepalived is the one the nodes run.
  const checker = hostKeepalivedChecker();

  it('takes keepalived out of the node image and runs it: the seed answer has nothing keepalived rejects', () => {
    expect(checker, 'the node image is cached after the setup hook').not.to.equal(undefined);
    const result = gradeStatic(prepareCase('seed-answer', expectedCase('seed-answer')), seed, 'en', { keepalivedCheck: checker });
    expect(result.findings.filter((finding) => finding.code === 'keepalived-error')).to.deep.equal([]);
    expect(result.verdict).to.equal('ok');
  });

  it('finds what only keepalived\'s parser knows, at the student\'s markdown line, and fails the static stage', () => {
    for (const [from, to, says] of [
      ['advert_int 1', 'advert_int 1\n    garp_master_delay abc', /garp_master_delay 'abc' invalid/],
      ['advert_int 1', 'advert_int 1\n    smtp_alert maybe', /Invalid vrrp_instance smtp_alert parameter maybe/],
      ['advert_int 1', 'advert_int 1\n    notify_master', /missing a parameter after keyword `notify_master`/],
    ] as const) {
      const file = variant(from, to);
      const without = gradeStatic(file, seed, 'en');
      expect(without.verdict, `${to}: the grader's own checks miss it`).to.equal('ok');
      const withCheck = gradeStatic(file, seed, 'en', { keepalivedCheck: checker });
      const found = withCheck.findings.filter((finding) => finding.code === 'keepalived-error');
      expect(found.map((finding) => finding.message).join('\n'), to).to.match(says);
      expect(found[0]!.line).to.equal(lineOf(file, to.split('\n')[1]!.trim()));
      expect(withCheck.verdict).to.equal('fail');
    }
  });

  it('on the corpus it repeats none of the grader\'s findings (nor keepalived\'s follow-on errors after one) and finds nothing they miss', () => {
    for (const name of corpusCases()) {
      const expected = expectedCase(name);
      const file = prepareCase(name, expected);
      const codes = (result: ReturnType<typeof gradeStatic>) => result.findings.map((finding) => finding.code).sort();
      expect(codes(gradeStatic(file, seed, 'en', { keepalivedCheck: checker })), name).to.deep.equal(codes(gradeStatic(file, seed, 'en')));
    }
  });

  it('npm run lab:grade -- --static-only: the finding in the feedback, the lab criteria unjudged, exit 1', async () => {
    const file = variant('advert_int 1', 'advert_int 1\n    smtp_alert maybe');
    const out = tempDir('grade-keepalived-t-out-');
    const graded = await runCli(['grade', '--static-only', file, '--out', out]);
    expect(graded.code, graded.stderr).to.equal(1);
    expect(graded.stderr).to.match(/FAIL +\d+\/12 \(static checks only\)/);
    const folder = readdirSync(out).find((entry) => entry.includes('homework'))!;
    expect(readFileSync(path.join(out, folder, 'feedback.md'), 'utf8')).to.include('keepalived -t: Invalid vrrp\\_instance smtp\\_alert parameter maybe');
  });
});
