import { expect } from 'chai';
import { LabError } from '../../src/errors.js';
import { ScenarioTurns } from '../../src/grade/scenario-turns.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const always = () => true;
/** A lab as the grader runs one: admitted, its scenario in a turn, its place given back whatever happens. */
async function take<T>(turns: ScenarioTurns, stillWanted: () => boolean, work: () => Promise<T>): Promise<T> {
  const admission = await turns.admit();
  try {
    return await admission.takeTurn(stillWanted, work);
  } finally {
    admission.release();
  }
}

describe('grader: scenario turns (labs come up beside a scenario, their own waits for a turn)', () => {
  it('runs at most `slots` at once, in the order they asked, and passes a turn on when one ends or throws', async () => {
    const turns = new ScenarioTurns(1, true);
    let inTurn = 0;
    let most = 0;
    const order: string[] = [];
    const work = (name: string, fail = false) => take(turns, always, async () => {
      inTurn += 1;
      most = Math.max(most, inTurn);
      order.push(name);
      await sleep(30);
      inTurn -= 1;
      if (fail) throw new Error(`${name} broke`);
      return name;
    });
    const results = await Promise.allSettled([work('a', true), work('b'), work('c')]);
    expect(most).to.equal(1);
    expect(order).to.deep.equal(['a', 'b', 'c']);
    expect(results.map((result) => result.status)).to.deep.equal(['rejected', 'fulfilled', 'fulfilled']);
    // Every turn was given back: a fourth one starts at once.
    const started = Date.now();
    expect(await work('d')).to.equal('d');
    expect(Date.now() - started).to.be.below(1_000);
  });

  it('runs two at once with two slots', async () => {
    const turns = new ScenarioTurns(2, false);
    let inTurn = 0;
    let most = 0;
    await Promise.all([1, 2, 3, 4].map(() => take(turns, always, async () => {
      most = Math.max(most, (inTurn += 1));
      await sleep(30);
      inTurn -= 1;
    })));
    expect(most).to.equal(2);
  });

  it('stops waiting with GRADE_CANCELLED once the submission is no longer wanted, and the turn still passes on', async () => {
    const turns = new ScenarioTurns(1, true);
    let release: () => void = () => undefined;
    const holder = take(turns, always, () => new Promise<void>((resolve) => (release = resolve)));
    let wanted = true;
    const cancelled = take(turns, () => wanted, async () => 'ran');
    const next = take(turns, always, async () => 'next ran');
    await sleep(50);
    wanted = false;
    const error = await cancelled.then(() => undefined, (caught: unknown) => caught);
    expect(error).to.be.instanceOf(LabError).with.property('code', 'GRADE_CANCELLED');
    release();
    await holder;
    expect(await next).to.equal('next ran');
  });

  it('admits as many labs to come up as there are slots, the next once one of them has its turn', async () => {
    const turns = new ScenarioTurns(1, true);
    const events: string[] = [];
    const lab = async (name: string, scenarioMs: number) => {
      const admission = await turns.admit();
      events.push(`${name} up`);
      await sleep(20); // comes up
      await admission.takeTurn(always, async () => {
        events.push(`${name} scenario`);
        await sleep(scenarioMs);
      });
      admission.release(); // again, as the grader's finally does: no effect
    };
    await Promise.all([lab('a', 100), lab('b', 100), lab('c', 10)]);
    // b comes up while a runs its scenario; c only once b has its turn, not while b waits for it.
    expect(events).to.deep.equal(['a up', 'a scenario', 'b up', 'b scenario', 'c up', 'c scenario']);
  });

  it('admits `waiting` labs to come up beside a scenario: one failing on its way up does not keep the next from coming up', async () => {
    const turns = new ScenarioTurns(1, true, 2);
    const events: string[] = [];
    const lab = async (name: string, upMs: number, fails = false) => {
      const admission = await turns.admit();
      try {
        events.push(`${name} up`);
        await sleep(upMs);
        if (fails) throw new Error(`${name} never settled`);
        await admission.takeTurn(always, async () => {
          events.push(`${name} scenario`);
          await sleep(60);
        });
      } catch {
        events.push(`${name} failed`);
      } finally {
        admission.release();
      }
    };
    await Promise.all([lab('a', 10), lab('b', 100, true), lab('c', 20), lab('d', 10)]);
    // a and b come up at once, c as soon as a has its turn; c's turn comes while b is still failing (with one waiting place c would boot only after b failed); d comes up once b gave its place back.
    expect(events.slice(0, 4)).to.deep.equal(['a up', 'b up', 'a scenario', 'c up']);
    expect(events.indexOf('c scenario')).to.be.below(events.indexOf('b failed'));
    expect(events.indexOf('d up')).to.be.above(events.indexOf('c scenario'));
    expect(events).to.include('d scenario');
  });
});
