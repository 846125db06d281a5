import { expect } from 'chai';
import { sleepUntil } from '../../src/util/sleep-until.js';

describe('sleepUntil', () => {
  it('never wakes before its instant by the wall clock (a plain setTimeout did, 4 times in 300 here)', async () => {
    const early: number[] = [];
    for (let i = 0; i < 300; i += 1) {
      const instant = Date.now() + 2 + (i % 7);
      await sleepUntil(instant);
      if (Date.now() < instant) early.push(i);
    }
    expect(early).to.deep.equal([]);
  });
});
