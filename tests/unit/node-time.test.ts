import { expect } from 'chai';
import { parseEpochRealtime, splitIpMonitorStamp, splitJournalStamp } from '../../src/parse/node-time.js';
import { nodeClockFrom } from '../../src/scenario/node-clock.js';

// Lines recorded from a uml balancer of the seed lab (Debian 12: bash 5.2, iproute2 6.1, systemd 252).
const ipMonitorLine = '[2026-12-04T11:08:00.618561] 3: eth1    inet 10.99.0.1/32 scope global eth1\\       valid_lft forever preferred_lft forever';
const ipMonitorDeleted = '[2026-12-04T11:08:00.690636] Deleted 3: eth1    inet 10.99.0.1/32 scope global eth1\\       valid_lft forever preferred_lft forever';
const journalLine = '1796382391.272876 balancer2 Keepalived_vrrp[793]: (VI_1) Entering BACKUP STATE';

describe('timestamps written by a node (scenario events stamped where they happened)', () => {
  it("reads bash's $EPOCHREALTIME to the millisecond, with a point or a locale's comma", () => {
    expect(parseEpochRealtime('1796382444.028195\n')).to.equal(1796382444028);
    expect(parseEpochRealtime('1796382444,028195')).to.equal(1796382444028);
    expect(parseEpochRealtime('')).to.equal(undefined); // a shell without $EPOCHREALTIME prints nothing
    expect(parseEpochRealtime('not a time')).to.equal(undefined);
  });

  it('splits the UTC stamp off an `ip -o -ts monitor` line and keeps the rest as it was', () => {
    expect(splitIpMonitorStamp(ipMonitorLine)).to.deep.equal({ ms: Date.UTC(2026, 11, 4, 11, 8, 0, 618), rest: ipMonitorLine.slice(29) });
    expect(splitIpMonitorStamp(ipMonitorDeleted).rest.startsWith('Deleted 3: eth1')).to.equal(true);
    expect(splitIpMonitorStamp('3: eth1    inet 172.28.128.200/32')).to.deep.equal({ rest: '3: eth1    inet 172.28.128.200/32' });
  });

  it('splits the stamp off a `journalctl -o short-unix` line', () => {
    expect(splitJournalStamp(journalLine)).to.deep.equal({ ms: 1796382391272, rest: 'balancer2 Keepalived_vrrp[793]: (VI_1) Entering BACKUP STATE' });
    expect(splitJournalStamp('-- No entries --')).to.deep.equal({ rest: '-- No entries --' });
  });

  it("takes a node's clock as the host's when its reading falls within the round trip (uml), and never later than arrival", () => {
    const clock = nodeClockFrom(1_000_500, 1_000_000, 1_001_000);
    expect(clock.offsetMs).to.equal(0);
    expect(clock.toLocal(1_002_000, 1_003_500)).to.equal(1_002_000); // stamped 1.5 s before it arrived
    expect(clock.toLocal(1_004_000, 1_003_500)).to.equal(1_003_500); // a stamp after its arrival is not believed
    expect(clock.toLocal(undefined, 1_003_500)).to.equal(1_003_500);
  });

  it("measures the offset of a node whose clock is off (a Vagrant VM), and falls back to arrival without a reading", () => {
    const ahead = nodeClockFrom(1_060_500, 1_000_000, 1_001_000); // 60 s ahead
    expect(ahead.offsetMs).to.equal(60_000);
    expect(ahead.toLocal(1_062_000, 1_003_500)).to.equal(1_002_000);
    const none = nodeClockFrom(undefined, 1_000_000, 1_001_000);
    expect(none.toLocal(1_002_000, 1_003_500)).to.equal(1_003_500);
  });
});
