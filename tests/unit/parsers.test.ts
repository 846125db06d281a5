import { expect } from 'chai';
import { holdsAddress, parseIpAddrJson } from '../../src/parse/ip-addr.js';
import { IpvsParseError, parseIpvsadmStats } from '../../src/parse/ipvsadm-stats.js';
import { parseKeepalivedData } from '../../src/parse/keepalived-data.js';
import { fixture } from '../helpers.js';

describe('parsers of real node output', () => {
  it("reads the homework's ipvsadm -Ln --stats", () => {
    const [service, ...others] = parseIpvsadmStats(fixture('ipvsadm-stats-seed-balancer1.txt'));
    expect(others).to.have.length(0);
    expect(service).to.deep.include({ protocol: 'TCP', address: '172.28.128.200', port: 80, conns: 217, inPkts: 648, outPkts: 0, inBytes: 38880, outBytes: 0 });
    expect(service?.realServers).to.deep.equal([
      { address: '172.28.128.100', port: 80, conns: 108, inPkts: 322, outPkts: 0, inBytes: 19320, outBytes: 0 },
      { address: '172.28.128.110', port: 80, conns: 109, inPkts: 326, outPkts: 0, inBytes: 19560, outBytes: 0 },
    ]);
    const after = parseIpvsadmStats(fixture('ipvsadm-stats-seed-balancer2-after-failover.txt'));
    expect(after[0]?.realServers.map((server) => server.conns)).to.deep.equal([13, 13]);
  });

  it('reads ipvsadm output recorded in the uml lab', () => {
    const [service] = parseIpvsadmStats(fixture('ipvsadm-stats-lab-balancer1.txt'));
    expect(service?.realServers.map((server) => server.address)).to.deep.equal(['172.28.128.100', '172.28.128.110']);
    expect(service?.conns).to.equal(service?.realServers.reduce((sum, server) => sum + server.conns, 0));
  });

  it('reads the K/M suffixes ipvsadm uses for large counters', () => {
    const text = 'TCP  172.28.128.200:80              12345K   648M        0    38880        0\n  -> 172.28.128.100:80                 108      322        0    19320        0\n';
    const [service] = parseIpvsadmStats(text);
    expect(service?.conns).to.equal(12_345_000);
    expect(service?.inPkts).to.equal(648_000_000);
  });

  it('says which line it cannot read', () => {
    expect(() => parseIpvsadmStats('TCP  172.28.128.200:80  1 2 x 4 5\n')).to.throw(IpvsParseError, 'line 1');
    expect(() => parseIpvsadmStats('  -> 172.28.128.100:80  1 2 3 4 5\n')).to.throw(IpvsParseError, 'real server before any service');
  });

  it('reads ip -j addr: the master holds the VIP on eth1, the backup does not', () => {
    const master = parseIpAddrJson(fixture('ip-addr-balancer1-master.json'));
    const backup = parseIpAddrJson(fixture('ip-addr-balancer2-backup.json'));
    expect(master[0]?.ipv4.map((info) => info.address)).to.deep.equal(['172.28.128.10', '172.28.128.200']);
    expect(master[0]?.up).to.equal(true);
    expect(holdsAddress(master, 'eth1', '172.28.128.200')).to.equal(true);
    expect(holdsAddress(backup, 'eth1', '172.28.128.200')).to.equal(false);
    expect(holdsAddress(master, 'eth0', '172.28.128.200')).to.equal(false);
  });

  it("reads keepalived's own state dump", () => {
    expect(parseKeepalivedData(fixture('keepalived-data-balancer1.txt')).get('VI_1')).to.equal('MASTER');
    expect(parseKeepalivedData(fixture('keepalived-data-balancer2.txt')).get('VI_1')).to.equal('BACKUP');
    expect(parseKeepalivedData('nothing here').size).to.equal(0);
  });
});
