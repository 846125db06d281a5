import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../src/errors.js';
import { mergeRuns } from '../../src/grade/output/merge-runs.js';
import { parseShard, selectShard } from '../../src/grade/output/shard.js';
import { submissionId } from '../../src/grade/output/submission-id.js';
import { writeGrade, writeRunFiles } from '../../src/grade/output/write-grade.js';
import { tempDir } from '../helpers.js';
import { outcome, report } from './grade-output-data.js';

const course = Array.from({ length: 200 }, (_, i) => `submissions/student-${String(i).padStart(3, '0')}`);

describe('grade output: submission ids, shards, per-run files, merging', () => {
  describe('submissionId', () => {
    it('is a readable slug plus a hash: stable, filesystem-safe, different for different paths', () => {
      expect(submissionId('/course/ivanov/README.md')).to.match(/^ivanov-readme\.md-[0-9a-f]{10}$/);
      expect(submissionId('/course/ivanov/README.md')).to.equal(submissionId('/course/ivanov/../ivanov/README.md'));
      expect(submissionId('/a/hw.md')).not.to.equal(submissionId('/b/hw.md'));
      expect(submissionId('/c/Иванов Пётр Щукин.md')).to.match(/^ivanov-petr-shchukin\.md-[0-9a-f]{10}$/);
      expect(submissionId('/c/作业.md')).to.match(/^md-[0-9a-f]{10}$/);
      expect(submissionId('/c/Ést ../../x y.md')).to.match(/^x-y\.md-[0-9a-f]{10}$/);
      for (const hostile of ['/c/../../etc/passwd', '/c/.hidden', '/c/a\u0000b', '/c/=cmd|calc']) expect(submissionId(hostile)).to.match(/^[a-z0-9][a-z0-9.-]*-[0-9a-f]{10}$/);
    });
  });

  describe('selectShard (shards are numbered 1..n)', () => {
    it('splits a course into disjoint shards that together hold every submission', () => {
      const shards = [1, 2, 3, 4].map((i) => selectShard(course, `${i}/4`));
      expect(shards.flat().sort()).to.deep.equal(course);
      for (const shard of shards) expect(shard.length, 'roughly even').to.be.within(25, 75);
    });

    it('is stable: adding or reordering submissions moves no other one', () => {
      const before = selectShard(course, '2/3');
      const after = selectShard(['submissions/new-one', ...course.slice().reverse()], '2/3');
      expect(after.filter((item) => item !== 'submissions/new-one').sort()).to.deep.equal(before.slice().sort());
    });

    it('takes a key for non-string items', () => {
      const items = course.map((name) => ({ name }));
      expect(selectShard(items, '1/2', (item) => item.name).map((item) => item.name)).to.deep.equal(selectShard(course, '1/2'));
    });

    it('rejects 0/3, 4/3, x/y and 1/0 as USAGE with the fix', () => {
      for (const bad of ['0/3', '4/3', 'x/y', '1/0', '1', '']) {
        expect(() => parseShard(bad), bad).to.throw(LabError).that.satisfies((error: LabError) => error.code === 'USAGE' && /--shard 1\/3/.test(error.hint ?? ''));
      }
      expect(parseShard(' 3/3 ')).to.deep.equal({ index: 3, count: 3 });
    });
  });

  describe('writeGrade, writeRunFiles and mergeRuns', () => {
    it('writes grade.json and feedback.md into DIR/<submission id>/', () => {
      const out = tempDir('grade-output-');
      const folder = writeGrade(out, outcome(report('/course/ivanov/README.md')), 'ru');
      expect(folder).to.equal(path.join(out, submissionId('/course/ivanov/README.md')));
      expect(JSON.parse(readFileSync(path.join(folder, 'grade.json'), 'utf8'))).to.deep.equal(report('/course/ivanov/README.md'));
      expect(readFileSync(path.join(folder, 'feedback.md'), 'utf8')).to.match(/^# Домашнее задание 3\.8: ЗАЧТЕНО/);
      const { csv, junit } = writeRunFiles(out, [report('/course/ivanov/README.md')]);
      expect(readFileSync(csv, 'utf8')).to.match(/^submission,verdict/);
      expect(readFileSync(junit, 'utf8')).to.match(/^<\?xml/);
    });

    it('merges the shards\' folders into one list, ordered by submission id', () => {
      const [one, two] = [tempDir('grade-output-'), tempDir('grade-output-')];
      writeGrade(one, outcome(report('/course/b.md')), 'en');
      writeGrade(two, outcome(report('/course/a.md', ['failover'])), 'en');
      writeGrade(two, outcome(report('/course/c.md')), 'en');
      writeRunFiles(two, []); // the run's own files next to the submissions' folders are not grades
      expect(mergeRuns([one, two]).map((each) => [each.submission, each.verdict])).to.deep.equal([['/course/a.md', 'fail'], ['/course/b.md', 'pass'], ['/course/c.md', 'pass']]);
      expect(mergeRuns([tempDir('grade-output-')])).to.deep.equal([]);
    });

    it('names both folders when a submission was graded twice', () => {
      const [one, two] = [tempDir('grade-output-'), tempDir('grade-output-')];
      writeGrade(one, outcome(report('/course/a.md')), 'en');
      writeGrade(two, outcome(report('/course/a.md')), 'en');
      expect(() => mergeRuns([one, two])).to.throw(LabError).that.satisfies((error: LabError) =>
        error.code === 'MERGE_DUPLICATE' && error.message.includes(one) && error.message.includes(two));
    });

    it('rejects a missing folder and a file that is not a grade.json, naming it', () => {
      expect(() => mergeRuns(['/nonexistent/shard-1'])).to.throw(LabError, '/nonexistent/shard-1');
      const dir = tempDir('grade-output-');
      mkdirSync(path.join(dir, 'x'));
      writeFileSync(path.join(dir, 'x', 'grade.json'), '{"submission": "x", "verdict": "maybe"}');
      expect(() => mergeRuns([dir])).to.throw(LabError, /x\/grade\.json is not a grade\.json: verdict/);
      writeFileSync(path.join(dir, 'x', 'grade.json'), '{"submission": ');
      expect(() => mergeRuns([dir])).to.throw(LabError, /is not readable JSON/);
    });
  });
});
