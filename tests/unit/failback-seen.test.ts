import { expect } from 'chai';
import { failbackSeen } from '../../src/scenario/failback-seen.js';
import type { TimelineEvent } from '../../src/scenario/timeline.js';

const roles = { master: 'balancer1', backup: 'balancer2' };

describe('the failback as the scenario sees it live (node-crash ends its load after it)', () => {
  // balancer2 took the VIP at the takeover; the revert (a boot) was issued at 10 000.
  const takeover: TimelineEvent[] = [
    { t: 1_000, kind: 'vip', node: 'balancer1', action: 'added' },
    { t: 4_000, kind: 'vip', node: 'balancer2', action: 'added' },
  ];

  it('is the instant the master took the VIP back, once the backup has let it go', async () => {
    const events: TimelineEvent[] = [...takeover, { t: 40_000, kind: 'vip', node: 'balancer2', action: 'removed' }, { t: 39_900, kind: 'vip', node: 'balancer1', action: 'added' }];
    expect(await failbackSeen(events, roles, 10_000, Date.now() + 1_000)).to.equal(39_900);
  });

  it('is not seen while the backup still holds the VIP, nor from the master\'s VIP before the revert', async () => {
    const stillBoth: TimelineEvent[] = [...takeover, { t: 39_900, kind: 'vip', node: 'balancer1', action: 'added' }];
    expect(await failbackSeen(stillBoth, roles, 10_000, Date.now() + 300)).to.equal(undefined);
    const released: TimelineEvent[] = [...takeover, { t: 40_000, kind: 'vip', node: 'balancer2', action: 'removed' }];
    expect(await failbackSeen(released, roles, 10_000, Date.now() + 300)).to.equal(undefined);
  });

  it('sees it as soon as the watchers record it', async () => {
    const events: TimelineEvent[] = [...takeover];
    setTimeout(() => events.push({ t: 20_000, kind: 'vip', node: 'balancer2', action: 'removed' }, { t: 20_001, kind: 'vip', node: 'balancer1', action: 'added' }), 300);
    const started = Date.now();
    expect(await failbackSeen(events, roles, 10_000, Date.now() + 5_000)).to.equal(20_001);
    expect(Date.now() - started, "seen before the bound").to.be.below(4_000);
  });
});
