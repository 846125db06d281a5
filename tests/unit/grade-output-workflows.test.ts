import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, tempFile } from '../helpers.js';

/** action-validator (devDependency): the GitHub workflow schema and job references, offline (a wasm build in the package). */
function validate(file: string): { status: number | null; output: string } {
  const cli = path.join(repoRoot, 'node_modules', '@action-validator', 'cli', 'cli.mjs');
  const run = spawnSync(process.execPath, [cli, file], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const workflows = ['examples/github-actions/grade-course.yml', 'examples/github-classroom/autograding.yml'];

describe('grade output: example workflows', () => {
  for (const workflow of workflows) {
    it(`${workflow} is a valid GitHub Actions workflow`, () => {
      const { status, output } = validate(path.join(repoRoot, workflow));
      expect(status, output).to.equal(0);
    });
  }

  it('the validator rejects a broken copy: a misspelt runs-on, a needs naming no job', () => {
    const text = readFileSync(path.join(repoRoot, workflows[0]!), 'utf8');
    const misspelt = validate(tempFile('grade-course.yml', text.replace('runs-on:', 'runs_on:')));
    expect(misspelt.status).to.equal(1);
    expect(misspelt.output).to.include("Additional property 'runs_on' is not allowed");
    const badNeeds = validate(tempFile('grade-course.yml', text.replace('needs: grade', 'needs: grading')));
    expect(badNeeds.status).to.equal(1);
    expect(badNeeds.output).to.include('unresolved job grading');
  });

  it('says what the runners need, and runs the grader the way the CLI is proposed', () => {
    for (const workflow of workflows) {
      const text = readFileSync(path.join(repoRoot, workflow), 'utf8');
      expect(text, workflow).to.match(/Linux with root through passwordless sudo/);
      expect(text, workflow).to.include('npm run lab:grade --');
    }
    const course = readFileSync(path.join(repoRoot, workflows[0]!), 'utf8');
    expect(course).to.include('--shard ${{ matrix.shard }}/4');
    expect(course).to.include('npm run lab:grade -- --merge');
    expect(readFileSync(path.join(repoRoot, workflows[1]!), 'utf8')).to.include('--lang ru');
  });
});
