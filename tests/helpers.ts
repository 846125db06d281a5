import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/tests → the checkout, where fixtures and lab/ live (they are not compiled). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const seedSpecPath = path.join(repoRoot, 'lab', 'seed.yaml');

export function fixture(name: string): string {
  return readFileSync(path.join(repoRoot, 'tests', 'fixtures', name), 'utf8');
}

/** A folder's files by name, with their text (e.g. a node's provisioning folder). */
export function readFolder(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((file) => [file, readFileSync(path.join(dir, file), 'utf8')]));
}

export function seedText(): string {
  return readFileSync(seedSpecPath, 'utf8');
}

const tempDirs: string[] = [];
process.once('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the test process exits (hundreds were left in /tmp). */
export function tempDir(prefix = 'failover-lab-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Writes a spec (or any file) into a fresh temporary directory and returns its path. */
export function tempFile(name: string, content: string): string {
  const dir = tempDir();
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}
