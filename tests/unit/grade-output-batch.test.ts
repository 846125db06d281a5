import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { LabError } from '../../src/errors.js';
import { runBatch, type BatchState } from '../../src/grade/output/batch.js';
import { formatBatchProgress, formatEta } from '../../src/grade/output/batch-progress.js';
import { defaultJobs, LAB_MEMORY_BYTES, scenarioSlots } from '../../src/grade/output/default-jobs.js';

describe('grade output: batches', () => {
  it('never runs more than `jobs` workers at once, and returns results in the items\' order', async () => {
    let running = 0;
    let most = 0;
    const items = Array.from({ length: 12 }, (_, i) => i);
    const results = await runBatch(items, 3, async (item) => {
      running += 1;
      most = Math.max(most, running);
      await sleep(5 + (item % 4) * 3);
      running -= 1;
      return item * 10;
    });
    expect(most).to.equal(3);
    expect(results.map((result) => (result.ok ? result.value : undefined))).to.deep.equal(items.map((item) => item * 10));
  });

  it('a worker that throws (sync or async) fails only its own item', async () => {
    const states: BatchState[] = [];
    const results = await runBatch(['a', 'sync', 'b', 'async', 'c'], 2, (item) => {
      if (item === 'sync') throw new Error('sync boom');
      if (item === 'async') return Promise.reject(new Error('async boom'));
      return sleep(2).then(() => item.toUpperCase());
    }, (state) => states.push(state));
    expect(results.map((result) => (result.ok ? result.value : (result.error as Error).message))).to.deep.equal(['A', 'sync boom', 'B', 'async boom', 'C']);
    expect(states).to.have.length(5);
    expect(states.at(-1)).to.deep.include({ done: 5, total: 5, failed: 2, running: 0, etaMs: 0 });
  });

  it('reports an ETA from the first finished item on: the work left (running items at what the mean leaves of them) over the lanes', async () => {
    let clock = 0;
    const states: BatchState[] = [];
    // Every item takes 60 s on the fake clock; with 2 jobs, after the first the second is done too
    // (it started with it) and 4 are left: 2 rounds of 60 s.
    await runBatch([1, 2, 3, 4, 5, 6], 2, async () => { const start = clock; await sleep(1); clock = Math.max(clock, start + 60_000); }, (state) => states.push(state), () => clock);
    expect(states[0]!.etaMs).to.equal(120_000);
    expect(formatBatchProgress(states[0]!)).to.match(/^graded 1\/6 · \d running · ETA \d+m\d\ds$/);
  });

  it('formats progress like "graded 7/20 (2 failed) · 3 running · ETA 4m10s"', () => {
    expect(formatBatchProgress({ done: 7, total: 20, failed: 2, running: 3, etaMs: 250_000 })).to.equal('graded 7/20 (2 failed) · 3 running · ETA 4m10s');
    expect(formatBatchProgress({ done: 20, total: 20, failed: 0, running: 0, etaMs: 0 })).to.equal('graded 20/20 · 0 running');
    expect([formatEta(45_000), formatEta(3_900_000)]).to.deep.equal(['45s', '1h05m']);
  });

  it('rejects a jobs count below 1 as USAGE; an empty batch is fine', async () => {
    for (const jobs of [0, -1, 1.5, Number.NaN]) {
      const error = await runBatch([1], jobs, async () => 1).then(() => undefined, (caught: unknown) => caught);
      expect(error, String(jobs)).to.be.instanceOf(LabError).with.property('code', 'USAGE');
    }
    expect(await runBatch([], 4, async () => 1)).to.deep.equal([]);
  });

  it('defaultJobs: a lab per scenario slot (two cores each), two more per slot where labs can be weighed (cgroups), bounded by free memory (4 × 260 MB a lab), at least 1', () => {
    expect(scenarioSlots(8)).to.equal(4);
    expect(scenarioSlots(1)).to.equal(1);
    expect(defaultJobs({ cores: 8, freeBytes: 3 * LAB_MEMORY_BYTES + 1, weighsLabs: true })).to.equal(3);
    expect(defaultJobs({ cores: 8, freeBytes: 64 * LAB_MEMORY_BYTES, weighsLabs: false })).to.equal(4);
    expect(defaultJobs({ cores: 8, freeBytes: 64 * LAB_MEMORY_BYTES, weighsLabs: true })).to.equal(12);
    expect(defaultJobs({ cores: 2, freeBytes: 64 * LAB_MEMORY_BYTES, weighsLabs: false })).to.equal(1);
    expect(defaultJobs({ cores: 2, freeBytes: 64 * LAB_MEMORY_BYTES, weighsLabs: true })).to.equal(3);
    expect(defaultJobs({ cores: 1, freeBytes: 0, weighsLabs: true })).to.equal(1);
  });
});
