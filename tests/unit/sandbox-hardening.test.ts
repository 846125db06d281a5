import { expect } from 'chai';
import ssh2 from 'ssh2';
import { redactSecrets } from '../../src/uml/console-log.js';
import { connectRefusal } from '../../src/uml/lab-networks.js';
import { parseLdd } from '../../src/uml/root-files.js';
import { hostKeyMismatch } from '../../src/ssh/host-key-check.js';
import { generateHostKey } from '../../src/ssh/keys.js';

const labNetworks = ['10.99.0.0/24', '172.28.128.0/24'];

describe('the holder opens connections to lab addresses only', () => {
  it('allows the management and lab networks', () => {
    expect(connectRefusal('10.99.0.10', 22, labNetworks)).to.equal(undefined);
    expect(connectRefusal('172.28.128.200', 80, labNetworks)).to.equal(undefined);
  });
  it('refuses loopback, other networks, names and bad ports, saying why', () => {
    expect(connectRefusal('127.0.0.1', 22, labNetworks)).to.equal("127.0.0.1:22 is outside the lab's networks (10.99.0.0/24, 172.28.128.0/24)");
    expect(connectRefusal('192.0.2.1', 80, labNetworks)).to.match(/outside the lab's networks/);
    expect(connectRefusal('172.28.129.1', 80, labNetworks)).to.match(/outside/);
    expect(connectRefusal('example.invalid', 22, labNetworks)).to.match(/not an IPv4 address/);
    expect(connectRefusal('::1', 22, labNetworks)).to.match(/not an IPv4 address/);
    expect(connectRefusal('10.99.0.10', 0, labNetworks)).to.match(/not a TCP port/);
    expect(connectRefusal('10.99.0.10', '22', labNetworks)).to.match(/not a TCP port/);
  });
});

describe("the sandbox root's program files", () => {
  it("takes the libraries and the ELF interpreter from ldd's output", () => {
    const ldd = '\tlinux-vdso.so.1 (0x00007ffd)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fe6)\n\t/lib64/ld-linux-x86-64.so.2 (0x00007fe7)\n';
    expect(parseLdd(ldd)).to.deep.equal(['/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
  });
});

describe('per-node SSH host keys', () => {
  it('hides a host key in console lines, whatever surrounds it', () => {
    expect(redactSecrets('Kernel command line: lab.key=AAAA lab.hostkey=b3Blb+/= systemd.hostname=b1')).to.equal('Kernel command line: lab.key=AAAA lab.hostkey=(hidden) systemd.hostname=b1');
  });
  it('makes a distinct ed25519 key per call, whose private body parses back', () => {
    const [one, two] = [generateHostKey('a'), generateHostKey('b')];
    expect(one.publicKey).to.match(/^ssh-ed25519 AAAA\S+$/);
    expect(one.publicKey).not.to.equal(two.publicKey);
    const armoured = `-----BEGIN OPENSSH PRIVATE KEY-----\n${one.privateBody.match(/.{1,64}/g)?.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
    const parsed = ssh2.utils.parseKey(armoured);
    expect(parsed).not.to.be.instanceOf(Error);
    expect((parsed as ssh2.ParsedKey).getPublicSSH().toString('base64')).to.equal(one.publicKey.split(' ')[1]);
  });
  it('never hands out a key that does not parse back (ssh2 drops a leading zero byte in ~1 key of 240)', function () {
    this.timeout(60_000);
    // 3,000 keys: without the redraw ~12 of them are malformed; the chance that none is, ~1e-5.
    for (let i = 0; i < 3_000; i++) {
      const key = generateHostKey(`n${i}`);
      const armoured = `-----BEGIN OPENSSH PRIVATE KEY-----\n${key.privateBody.match(/.{1,64}/g)?.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
      const parsed = ssh2.utils.parseKey(armoured);
      expect(parsed, `key ${i}: ${key.publicKey}`).not.to.be.instanceOf(Error);
      expect(Buffer.from(key.publicKey.split(' ')[1] ?? '', 'base64').length, key.publicKey).to.equal(51);
    }
  });
  it('accepts only the pinned key and reports both fingerprints otherwise', () => {
    const [one, two] = [generateHostKey('a'), generateHostKey('b')];
    const blob = (key: string) => Buffer.from(key.split(' ')[1] ?? '', 'base64');
    expect(hostKeyMismatch(blob(one.publicKey), one.publicKey)).to.equal(undefined);
    const mismatch = hostKeyMismatch(blob(two.publicKey), one.publicKey);
    expect(mismatch?.presented).to.match(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(mismatch?.presented).not.to.equal(mismatch?.expected);
  });
});
