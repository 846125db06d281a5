import { expect } from 'chai';
import { parseCidr, subnetBroadcast } from '../../src/spec/ipv4.js';

describe('uml link wake-up: the broadcast address of each lab bridge', () => {
  const broadcastAddress = (cidr: string) => subnetBroadcast(parseCidr(cidr)!);

  it('keeps the network part and sets every host bit, whatever the prefix', () => {
    expect(broadcastAddress('10.99.0.1/24')).to.equal('10.99.0.255');
    expect(broadcastAddress('172.28.128.1/24')).to.equal('172.28.128.255');
    expect(broadcastAddress('192.168.5.130/25')).to.equal('192.168.5.255');
    expect(broadcastAddress('192.168.5.100/25')).to.equal('192.168.5.127');
    expect(broadcastAddress('10.0.0.5/8')).to.equal('10.255.255.255');
    expect(broadcastAddress('10.1.2.3/30')).to.equal('10.1.2.3');
  });
});
