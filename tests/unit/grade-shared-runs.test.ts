import { expect } from 'chai';
import path from 'node:path';
import { labSpecFromSubmission } from '../../src/grade/lab-spec.js';
import type { LabStageRun } from '../../src/grade/lab-stage.js';
import { SharedLabRuns } from '../../src/grade/shared-runs.js';
import { gradeStatic } from '../../src/grade/static-stage.js';
import type { ScenarioResult } from '../../src/scenario/timeline.js';
import { loadSpec } from '../../src/spec/load.js';
import { fixture, repoRoot, seedSpecPath } from '../helpers.js';

const seed = loadSpec(seedSpecPath);
const submission = (name: string) => path.join(repoRoot, 'tests', 'fixtures', 'submissions', name, 'submission');
const derive = (name: string, labName = `gl-${name}`) => labSpecFromSubmission(seed, gradeStatic(submission(name), seed), labName);
const recordedRun = (): LabStageRun => ({ result: { kind: 'ran', scenario: JSON.parse(fixture('failover-result-seed-uml.json')) as ScenarioResult, notes: [] }, summary: '# recorded' });

describe('grader: one lab for submissions that build the same lab', () => {
  it('keys a lab by what it runs: the same answer in other markdown, names and files is one lab; other configs are another', () => {
    // binary-file and symlink-outside hold the good answer beside an odd file; unicast-folder is other configs.
    expect(SharedLabRuns.keyOf(derive('binary-file', 'gl-a'))).to.equal(SharedLabRuns.keyOf(derive('symlink-outside', 'gl-b')));
    expect(SharedLabRuns.keyOf(derive('binary-file'))).not.to.equal(SharedLabRuns.keyOf(derive('unicast-folder')));
    expect(SharedLabRuns.keyOf(derive('binary-file'))).not.to.equal(SharedLabRuns.keyOf(derive('virtual-server-folder')));
  });

  it('runs the first, gives its run to the next equal one with a note naming the first, and runs a different one anew', async () => {
    const shared = new SharedLabRuns();
    let runs = 0;
    const own = async () => ((runs += 1), recordedRun());
    const first = await shared.once(derive('binary-file'), { path: 'a/homework.md', reportDir: 'out/a/scenario' }, own);
    const second = await shared.once(derive('symlink-outside'), { path: 'b' }, own);
    const other = await shared.once(derive('unicast-folder'), { path: 'c' }, own);
    expect(runs).to.equal(2);
    expect(first.sharedWith).to.equal(undefined);
    expect(second.sharedWith).to.deep.equal({ path: 'a/homework.md', reportDir: 'out/a/scenario' });
    expect(other.sharedWith).to.equal(undefined);
    const noted = second.run!;
    expect(noted.result.kind === 'ran' && noted.result.notes.at(-1)).to.match(/^the lab ran once for this submission and a\/homework\.md: /);
    expect(noted.summary).to.equal('# recorded');
    // The first submission's own run carries no such note.
    expect(first.run!.result.kind === 'ran' && first.run!.result.notes).to.deep.equal([]);
  });

  it('waits for an equal lab still running, and shares nothing that did not run to its end', async () => {
    const shared = new SharedLabRuns();
    let runs = 0;
    let finish: (run: LabStageRun) => void = () => undefined;
    const slow = () => ((runs += 1), new Promise<LabStageRun>((resolve) => (finish = resolve)));
    const first = shared.once(derive('binary-file'), { path: 'a' }, slow);
    const second = shared.once(derive('symlink-outside'), { path: 'b' }, slow);
    finish(recordedRun());
    expect((await first).sharedWith).to.equal(undefined);
    expect((await second).sharedWith?.path).to.equal('a');
    expect(runs).to.equal(1);

    // A timed-out (undefined) or failed lab: the next equal submission runs its own.
    const again = new SharedLabRuns();
    await again.once(derive('binary-file'), { path: 'a' }, async () => undefined);
    const failed: LabStageRun = { result: { kind: 'failed', code: 'LAB_BOOT_FAILED', message: 'no', nodeLogs: [], notes: [] } };
    const afterTimeout = await again.once(derive('symlink-outside'), { path: 'b' }, async () => failed);
    expect(afterTimeout.sharedWith).to.equal(undefined);
    const afterFailure = await again.once(derive('large-file'), { path: 'c' }, async () => recordedRun());
    expect(afterFailure.sharedWith).to.equal(undefined);
  });

  it('keys the same answer at other lines of its markdown as one lab, and gives the later one its own notes', async () => {
    // russian-noda holds good-markdown's configs in other markdown: its notes point at other lines.
    const [first, later] = [derive('good-markdown'), derive('russian-noda')];
    expect(first.notes).not.to.deep.equal(later.notes);
    expect(SharedLabRuns.keyOf(first)).to.equal(SharedLabRuns.keyOf(later));
    // A note of another file or line still makes another lab where the lab differs (ipvsadm-commands: other weights).
    expect(SharedLabRuns.keyOf(derive('ipvsadm-commands'))).not.to.equal(SharedLabRuns.keyOf(first));
    const shared = new SharedLabRuns();
    const secondRunNote = 'in a first run of the scenario balanced failed: the scenario ran once more';
    await shared.once(first, { path: 'a' }, async () => ({ ...recordedRun(), result: { ...recordedRun().result, notes: [...first.notes, secondRunNote] } as LabStageRun['result'] }));
    const taken = (await shared.once(later, { path: 'b' }, async () => recordedRun())).run!;
    expect(taken.result.kind === 'ran' && taken.result.notes.slice(0, -1)).to.deep.equal([...later.notes, secondRunNote]);
  });
});
