#!/usr/bin/env node
/**
 * Starts a compiled entry point for the npm scripts (lab:*, bench:*):
 *   node scripts/launch.mjs dist/src/cli/main.js status --name x
 * It compiles first only when a source is newer than the last build (so an edit is picked up, and
 * an unchanged checkout skips tsc's ~1.6 s), then runs the entry in this same Node process.
 * Plain ESM with no dependencies: it must run before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildInfoFile, staleInput } from './build-freshness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/launch.mjs dist/ENTRY.js [ARGS...]\n');
  process.exit(2);
}
const entryPath = path.resolve(root, entry);
if (staleInput(root) !== undefined || !existsSync(entryPath)) compile();
// The entry reads its arguments from process.argv, as when node runs it directly.
process.argv = [process.argv[0], entryPath, ...args];
await import(pathToFileURL(entryPath).href);

/** tsc as `npm run build` runs it; its errors end the launch with its exit code, as `npm run build && ...` did. */
function compile() {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    process.stderr.write('error: the sources need compiling and TypeScript is not installed\n  fix: npm ci\n');
    process.exit(1);
  }
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // tsc leaves its build info alone when nothing changed (e.g. a file saved as it was): mark the build fresh.
  const now = new Date();
  utimesSync(path.join(root, buildInfoFile), now, now);
}
