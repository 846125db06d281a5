import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { LabError } from '../errors.js';

/**
 * The host files a program needs to run: itself, its ELF interpreter and its shared libraries, as
 * `ldd` lists them (paths as the loader asks for them, e.g. /lib64/ld-linux-x86-64.so.2, so they are
 * bound at the same place inside the sandbox's root). A static program needs only itself.
 */
export function programFiles(program: string): string[] {
  if (!existsSync(program)) {
    throw new LabError('MISSING_COMMAND', `${program} is not installed`, { hint: 'run npm run lab:doctor for the packages the lab needs' });
  }
  const result = spawnSync('ldd', [program], { encoding: 'utf8' });
  if (result.error) throw new LabError('MISSING_COMMAND', 'ldd is not installed', { cause: result.error, hint: 'apt-get install libc-bin' });
  // ldd exits non-zero for a static program ("not a dynamic executable"): nothing more to bind.
  const libraries = result.status === 0 ? parseLdd(result.stdout) : [];
  return [program, ...libraries];
}

/** Absolute library paths from ldd's output ("libc.so.6 => /lib/.../libc.so.6 (0x...)", "/lib64/ld-....so.2 (0x...)"). */
export function parseLdd(text: string): string[] {
  const found = text.split('\n').flatMap((line) => {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    return match?.[1] ? [match[1]] : [];
  });
  return [...new Set(found)];
}
