import { createHash } from 'node:crypto';

/** SHA256:… as ssh-keygen -l prints it, for messages people compare with what a node shows. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Compares the host key a node presents (ssh2 hands hostVerifier the raw key blob) with the one
 * pinned for it ("ssh-ed25519 BASE64"). Returns undefined when they match, else what was seen.
 */
export function hostKeyMismatch(presented: Buffer, pinned: string): { presented: string; expected: string } | undefined {
  const expected = Buffer.from(pinned.split(/\s+/)[1] ?? '', 'base64');
  if (presented.equals(expected)) return undefined;
  return { presented: fingerprint(presented), expected: fingerprint(expected) };
}
