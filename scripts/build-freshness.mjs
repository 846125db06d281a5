/**
 * Is the compiled build older than its sources? Plain ESM with no dependencies: it is what decides,
 * before anything is compiled, whether the launcher must compile.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Written by every tsc run that changes something (tsconfig.json: incremental); the launcher touches it after a build that changed nothing. */
export const buildInfoFile = path.join('dist', '.tsbuildinfo');

const sourceDirs = ['src', 'bench', 'tests'];
const configFiles = ['tsconfig.json', 'package.json'];

/** The first input newer than the last build ('no build yet' without one), or undefined when the build is fresh. */
export function staleInput(root) {
  const built = modifiedAt(path.join(root, buildInfoFile));
  if (built === undefined) return 'no build yet';
  for (const input of compilerInputs(root)) {
    if ((modifiedAt(input) ?? 0) > built) return path.relative(root, input);
  }
  return undefined;
}

/**
 * tsc's inputs: the config files, the .ts files of the source folders, and those folders themselves,
 * whose time changes when a file is added, removed or renamed (a moved file keeps its own time).
 * Dot folders (.vagrant state) and fixtures that are not .ts are not inputs.
 */
function* compilerInputs(root) {
  for (const file of configFiles) yield path.join(root, file);
  const pending = sourceDirs.map((dir) => path.join(root, dir));
  while (pending.length > 0) {
    const dir = pending.pop();
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // no such folder
    }
    yield dir;
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      if (entry.isDirectory()) pending.push(path.join(dir, entry.name));
      else if (entry.name.endsWith('.ts')) yield path.join(dir, entry.name);
    }
  }
}

function modifiedAt(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
