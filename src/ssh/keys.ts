import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ssh2 from 'ssh2';

export interface LabKey {
  privateKey: string;
  /** The base64 blob of the public key (what follows "ssh-ed25519 "). */
  publicBlob: string;
}

/**
 * A fresh ed25519 pair that parses back. ssh2 1.17's generateKeyPairSync writes the public key
 * without its leading zero byte when it has one (31 bytes, ~1 key in 240 here: 83 of 20,000), a key
 * that ssh2 itself then refuses ("Malformed OpenSSH private key") and sshd cannot use. With five
 * keys a lab, ~2 % of labs could not be reached at all (a CI batch case, and a node restarted in
 * vain, as its host key is given again). Such a pair is drawn again.
 */
export function generateEd25519Pair(comment: string): { private: string; public: string } {
  for (let attempt = 0; attempt < 32; attempt++) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment });
    const parsed = ssh2.utils.parseKey(pair.private);
    if (!(parsed instanceof Error) && parsed.getPublicSSH().length === 51) return pair; // 4+11 type, 4+32 key
  }
  throw new Error('could not generate a well-formed ed25519 key in 32 attempts');
}

/** The lab's own ed25519 key pair: made once per lab, kept in its state directory. */
export function ensureLabKey(privateKeyPath: string, publicKeyPath: string): LabKey {
  if (!existsSync(privateKeyPath)) {
    const pair = generateEd25519Pair('failover-lab');
    mkdirSync(path.dirname(path.dirname(privateKeyPath)), { recursive: true });
    mkdirSync(path.dirname(privateKeyPath), { mode: 0o700 });
    writeFileSync(privateKeyPath, pair.private, { mode: 0o600 });
    writeFileSync(publicKeyPath, `${pair.public}\n`);
    chmodSync(privateKeyPath, 0o600);
  }
  const publicLine = readFileSync(publicKeyPath, 'utf8').trim();
  const publicBlob = publicLine.split(/\s+/)[1] ?? '';
  return { privateKey: readFileSync(privateKeyPath, 'utf8'), publicBlob };
}

export interface HostKey {
  /** The private key's OpenSSH body as one base64 line (no armour lines): fits a kernel command line. */
  privateBody: string;
  /** "ssh-ed25519 BASE64": what the node must present, pinned in the lab's state. */
  publicKey: string;
}

/** A fresh ed25519 host key for one node of one lab; only its public half is kept on the host. */
export function generateHostKey(node: string): HostKey {
  const pair = generateEd25519Pair(`failover-lab ${node}`);
  const privateBody = pair.private.split('\n').filter((line) => line && !line.startsWith('-----')).join('');
  const [type, blob] = pair.public.trim().split(/\s+/);
  return { privateBody, publicKey: `${type} ${blob}` };
}
