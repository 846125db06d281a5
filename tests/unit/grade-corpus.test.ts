import { expect } from 'chai';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { staticCriteria } from '../../src/grade/criteria.js';
import { gradeStatic } from '../../src/grade/static-stage.js';
import { loadSpec } from '../../src/spec/load.js';
import { repoRoot, seedSpecPath } from '../helpers.js';

interface Expected {
  submission: string;
  verdict: 'ok' | 'fail';
  codes: string[];
  absent?: string[];
  setup?: 'empty-folder' | 'large-file' | 'symlink-outside';
}

const corpus = path.join(repoRoot, 'tests', 'fixtures', 'submissions');

/** A temporary copy of the case's submission, with what cannot be committed (empty folder, 1 MiB file, symlink) added. */
function prepare(name: string, expected: Expected): string {
  const work = mkdtempSync(path.join(os.tmpdir(), 'grade-corpus-'));
  const target = path.join(work, 'submission');
  const source = path.join(corpus, name, 'submission');
  if (existsSync(source)) cpSync(source, target, { recursive: true });
  else mkdirSync(target);
  if (expected.setup === 'large-file') writeFileSync(path.join(target, 'capture.md'), '```\n' + 'x'.repeat(1024 * 1024 + 10) + '\n```\n');
  if (expected.setup === 'symlink-outside') {
    writeFileSync(path.join(work, 'outside.conf'), 'vrrp_instance OUTSIDE {\n state MASTER\n}\n');
    symlinkSync(path.join(work, 'outside.conf'), path.join(target, 'keepalived.conf'));
  }
  return path.join(target, expected.submission);
}

describe('grader static stage: the submissions corpus', () => {
  const seed = loadSpec(seedSpecPath);
  const cases = readdirSync(corpus).sort();

  it('has at least 12 cases, each with an expected.json', () => {
    expect(cases.length).to.be.at.least(12);
    for (const name of cases) expect(existsSync(path.join(corpus, name, 'expected.json')), name).to.equal(true);
  });

  for (const name of cases) {
    const expected = JSON.parse(readFileSync(path.join(corpus, name, 'expected.json'), 'utf8')) as Expected;
    it(`${name}: ${expected.verdict}, with ${expected.codes.join(', ')}`, () => {
      const result = gradeStatic(prepare(name, expected), seed, 'en');
      const codes = result.findings.map((finding) => finding.code);
      const errors = result.findings.filter((finding) => finding.severity === 'error').map((finding) => `${finding.file}:${finding.line ?? ''} ${finding.code} ${finding.message}`);
      expect(result.verdict, errors.join('\n')).to.equal(expected.verdict);
      expect(codes).to.include.members(expected.codes);
      for (const code of expected.absent ?? []) expect(codes, `${code} must not appear`).not.to.include(code);
      // In Russian too: same codes, every message and hint filled in.
      const ru = gradeStatic(prepare(name, expected), seed, 'ru');
      expect(ru.findings.map((finding) => finding.code)).to.deep.equal(codes);
      for (const finding of [...result.findings, ...ru.findings]) {
        expect(finding.message, finding.code).to.be.a('string').and.not.match(/\{\w+\}/);
        expect(finding.hint, finding.code).to.be.a('string').and.not.equal('');
      }
      const [valid, roles] = staticCriteria(result.findings, result.roles, 'en');
      expect(valid.id).to.equal('config-valid');
      expect(roles.id).to.equal('roles');
      if (expected.verdict === 'ok') expect(valid.pass && roles.pass).to.equal(true);
      else expect(valid.pass && roles.pass).to.equal(false);
    });
  }
});
