import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { gradeSubmission } from '../../src/grade/grade-submission.js';
import { labPaths } from '../../src/lab/state.js';
import { loadSpec } from '../../src/spec/load.js';
import { silentProgress } from '../../src/util/progress.js';
import { ownPidNamespace, pidNamespaceOf } from '../../src/util/procfs.js';
import { repoRoot, seedSpecPath } from '../helpers.js';
import { leftovers, processesInNamespace, processesMentioning } from './cli.js';

const seed = loadSpec(seedSpecPath);
const corpus = (name: string) => path.join(repoRoot, 'tests', 'fixtures', 'submissions', name, 'submission');

/** The PID namespace of the lab's sandbox once its holder runs (polled while the grader works). */
function watchNamespace(lab: string): { namespace: () => string | undefined; stop: () => void } {
  let found: string | undefined;
  const timer = setInterval(() => {
    // The unshare process is in ours; the holder it forks is the sandbox's PID namespace init.
    for (const holder of processesMentioning(labPaths(lab).holderScript)) {
      const namespace = pidNamespaceOf(Number(holder.split(':')[0]));
      if (namespace && namespace !== ownPidNamespace()) found ??= namespace;
    }
  }, 200);
  return { namespace: () => found, stop: () => clearInterval(timer) };
}

function expectNothingLeft(lab: string, namespace: string | undefined): void {
  const paths = labPaths(lab);
  expect(existsSync(paths.dir), paths.dir).to.equal(false);
  expect(existsSync(paths.failedLogs), paths.failedLogs).to.equal(false);
  expect(leftovers(paths.dir)).to.deep.equal([]);
  if (namespace) expect(processesInNamespace(namespace)).to.deep.equal([]);
}

// The seed answer, virtual_server blocks and a check that always fails graded in a lab: in the corpus batch (grade-cli.test).
describe('grading a submission in a lab of its own (acceptance)', function () {
  this.timeout(300_000);

  it('a timeout: verdict error "timed out", the lab removed and no process of it left', async () => {
    const lab = 'gl-timeout';
    const watch = watchNamespace(lab);
    const started = Date.now();
    const outcome = await gradeSubmission(corpus('seed-answer'), { seed, lang: 'en', labName: lab, timeoutMs: 10_000, progress: silentProgress });
    watch.stop();
    expect(outcome.report.verdict).to.equal('error');
    // Where it was stuck: the lab's step then running (at 10 s: provisioning or waiting for the VIP).
    expect(outcome.report.criteria.find((criterion) => criterion.id === 'failover')?.message).to.match(/timed out after 10 s, in: [a-zA-Z].* \(for \d+\.\d s\)/);
    expect(Date.now() - started).to.be.below(60_000);
    expect(watch.namespace(), 'the lab had started when the time ran out').to.be.a('string');
    expectNothingLeft(lab, watch.namespace());
  });
});
