import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../src/errors.js';
import { CRITERIA } from '../../src/grade/criteria.js';
import { applyRubric } from '../../src/grade/output/apply-rubric.js';
import { loadRubric, parseRubric, rubricWeights } from '../../src/grade/output/rubric.js';
import { repoRoot, tempFile } from '../helpers.js';
import { report } from './grade-output-data.js';

const defaultPath = path.join(repoRoot, 'grading', 'homework-3.8.yaml');
const defaultText = readFileSync(defaultPath, 'utf8');

/** The error a broken copy of the default rubric raises. */
function brokenCopy(edit: (text: string) => string): LabError {
  const file = tempFile('rubric.yaml', edit(defaultText));
  try {
    loadRubric(file);
  } catch (error) {
    expect(error).to.be.instanceOf(LabError);
    const labError = error as LabError;
    expect(labError.code).to.equal('RUBRIC_INVALID');
    expect(labError.message).to.include(file);
    expect(labError.hint).to.match(/homework-3\.8\.yaml/);
    return labError;
  }
  throw new Error('the broken rubric was accepted');
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('grade output: rubric', () => {
  it('loads the default rubric: the criteria weights of the grader, titles in both languages, a pass rule', () => {
    const rubric = loadRubric(defaultPath);
    for (const [id, weight] of Object.entries(CRITERIA)) {
      expect(rubric.criteria[id as keyof typeof CRITERIA].points, id).to.equal(weight.points);
      expect(rubric.criteria[id as keyof typeof CRITERIA].title).to.deep.equal({ en: weight.en, ru: weight.ru });
    }
    expect(rubric.pass).to.deep.equal({ minScore: 10, required: ['config-valid', 'roles', 'vip-serves', 'failover', 'no-split-brain'] });
    expect(rubricWeights(rubric, 'ru').failover).to.deep.equal({ points: 2, title: CRITERIA.failover.ru });
  });

  it('names the file, line and field of an unknown criterion id', () => {
    const error = brokenCopy((text) => text.replace('  failback:', '  fail-back:'));
    const line = lineOf(defaultText, '  failback:');
    expect(error.message).to.include(`:${line}:3: criteria: unknown field "fail-back"`);
    expect(error.message).to.include('criteria.failback: is required');
  });

  it('rejects a missing criterion', () => {
    const error = brokenCopy((text) => text.replace(/  balanced:\n(    .*\n){4}/, ''));
    expect(error.message).to.match(/:\d+:\d+: criteria\.balanced: is required/);
  });

  it('rejects negative and fractional points at their line', () => {
    const line = lineOf(defaultText, '  roles:') + 1;
    const error = brokenCopy((text) => text.replace(/(  roles:\n    points: )1/, '$1-1').replace(/(  balanced:\n    points: )2/, '$11.5'));
    expect(error.message).to.include(`:${line}:13: criteria.roles.points: must not be negative`);
    expect(error.message).to.include('criteria.balanced.points: must be a whole number');
  });

  it('rejects a min_score above the total and an unknown required id', () => {
    expect(brokenCopy((text) => text.replace('min_score: 10', 'min_score: 13')).message).to.include('pass.min_score: 13 is more than the 12 points');
    expect(brokenCopy((text) => text.replace('required: [config-valid,', 'required: [valid,')).message).to.include('pass.required.0');
  });

  it('reports YAML syntax errors with their line, and a missing file as RUBRIC_NOT_FOUND', () => {
    expect(brokenCopy((text) => text.replace('  roles:\n', '  roles: [\n')).message).to.include('YAML syntax');
    expect(() => loadRubric('/nonexistent/rubric.yaml')).to.throw(LabError).with.property('code', 'RUBRIC_NOT_FOUND');
  });

  describe('applyRubric', () => {
    const rubric = loadRubric(defaultPath);

    it('scores by the rubric: all passed is 12/12 pass; balanced failed is 10/12, still a pass', () => {
      expect(applyRubric(report('a'), rubric)).to.include({ score: 12, maxScore: 12, verdict: 'pass' });
      expect(applyRubric(report('a', ['balanced']), rubric)).to.include({ score: 10, verdict: 'pass' });
    });

    it('fails below min_score, or when a required criterion fails, and keeps error', () => {
      expect(applyRubric(report('a', ['balanced', 'failback']), rubric)).to.include({ score: 9, verdict: 'fail' });
      expect(applyRubric(report('a', ['roles']), rubric)).to.include({ score: 11, verdict: 'fail' });
      expect(applyRubric(report('a', [], { verdict: 'error' }), rubric).verdict).to.equal('error');
    });

    it('counts criteria that were not judged in the maximum only, and titles them in the chosen language', () => {
      const staticOnly = applyRubric(report('a', [], {}, ['config-valid', 'roles']), rubric, 'ru');
      expect(staticOnly).to.include({ score: 3, maxScore: 12, verdict: 'fail' });
      expect(staticOnly.criteria[0]!.title).to.equal(CRITERIA['config-valid'].ru);
      // grade --static-only: its own verdict stands (the pass rule needs the lab criteria it did not judge).
      expect(applyRubric({ ...report('a', [], {}, ['config-valid', 'roles']), stage: 'static' }, rubric)).to.include({ score: 3, maxScore: 12, verdict: 'pass' });
      expect(applyRubric({ ...report('a', ['roles'], { verdict: 'fail' }, ['config-valid', 'roles']), stage: 'static' }, rubric)).to.include({ score: 2, verdict: 'fail' });
    });

    it('takes points from a course rubric (a 0-point criterion weighs nothing)', () => {
      const custom = parseRubric(defaultText.replace(/(  failback:\n    points: )1/, '$10').replace('min_score: 10', 'min_score: 11'), '/course/rubric.yaml');
      expect(applyRubric(report('a', ['failback']), custom)).to.include({ score: 11, maxScore: 11, verdict: 'pass' });
    });
  });
});
