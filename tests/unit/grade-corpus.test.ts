import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { staticCriteria } from '../../src/grade/criteria.js';
import { gradeStatic } from '../../src/grade/static-stage.js';
import { loadSpec } from '../../src/spec/load.js';
import { corpusCases, corpusDir, expectedCase, prepareCase } from '../grade-corpus.js';
import { seedSpecPath } from '../helpers.js';

describe('grader static stage: the submissions corpus', () => {
  const seed = loadSpec(seedSpecPath);
  const cases = corpusCases();

  it('has at least 12 cases, each with an expected.json', () => {
    expect(cases.length).to.be.at.least(12);
    for (const name of cases) expect(existsSync(path.join(corpusDir, name, 'expected.json')), name).to.equal(true);
  });

  for (const name of cases) {
    const expected = expectedCase(name);
    it(`${name}: ${expected.verdict}, with ${expected.codes.join(', ')}`, () => {
      const result = gradeStatic(prepareCase(name, expected), seed, 'en');
      const codes = result.findings.map((finding) => finding.code);
      const errors = result.findings.filter((finding) => finding.severity === 'error').map((finding) => `${finding.file}:${finding.line ?? ''} ${finding.code} ${finding.message}`);
      expect(result.verdict, errors.join('\n')).to.equal(expected.verdict);
      expect(codes).to.include.members(expected.codes);
      for (const code of expected.absent ?? []) expect(codes, `${code} must not appear`).not.to.include(code);
      // In Russian too: same codes, every message and hint filled in.
      const ru = gradeStatic(prepareCase(name, expected), seed, 'ru');
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
