import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.js';
import { projectRoot } from '../util/paths.js';

export const umlModulesRoot = '/usr/lib/uml/modules';

/** What defines a node image: the box/ recipe, the distribution suite and the uml kernel's modules. */
export interface BoxRecipe {
  suite: string;
  packages: string[];
  kernelVersion: string;
  recipeDir: string;
  /** Hash of everything above: an image is rebuilt only when it changes. */
  key: string;
}

export function hostSuite(): string {
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  const codename = /^VERSION_CODENAME=("?)([a-z]+)\1$/m.exec(osRelease)?.[2];
  if (!codename) {
    throw new LabError('HOST_UNSUPPORTED', 'cannot tell the distribution suite of this host (no VERSION_CODENAME in /etc/os-release)', {
      hint: 'build the node image on a Debian or Ubuntu host',
    });
  }
  return codename;
}

/** The single kernel version the host's user-mode-linux package ships modules for. */
export function umlKernelVersion(): string {
  const versions = existsSync(umlModulesRoot) ? readdirSync(umlModulesRoot) : [];
  if (versions.length !== 1 || versions[0] === undefined) {
    throw new LabError('UML_MODULES', `expected one kernel version in ${umlModulesRoot}, found ${versions.length}`, {
      hint: 'reinstall the user-mode-linux package: apt-get install --reinstall user-mode-linux',
    });
  }
  return versions[0];
}

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = path.join(dir, entry);
      return statSync(full).isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
    });
}

/** The libvirt box's own part of the recipe (see libvirt-box.ts): not the uml image's. */
export const libvirtRecipeSubdir = 'libvirt';

/** Every file of a recipe folder, relative to it, in a stable order. */
export function recipeFiles(recipeDir: string): string[] {
  return listFiles(recipeDir);
}

function umlRecipeFiles(recipeDir: string): string[] {
  return listFiles(recipeDir).filter((file) => !file.startsWith(`${libvirtRecipeSubdir}/`));
}

export function boxRecipe(recipeDir = path.join(projectRoot, 'box')): BoxRecipe {
  const suite = hostSuite();
  const kernelVersion = umlKernelVersion();
  const packages = readFileSync(path.join(recipeDir, 'packages.txt'), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
  const hash = createHash('sha256').update(`suite=${suite}\nkernel=${kernelVersion}\n`);
  for (const file of umlRecipeFiles(recipeDir)) {
    const full = path.join(recipeDir, file);
    hash.update(`${file}\0${statSync(full).mode & 0o111 ? 'x' : '-'}\0`).update(readFileSync(full));
  }
  return { suite, packages, kernelVersion, recipeDir, key: hash.digest('hex').slice(0, 16) };
}

/**
 * The host's own apt sources for the suite (never a mirror name of ours): the files under
 * /etc/apt that mention it, handed to mmdebstrap as they are.
 */
export function hostAptSources(suite: string): string[] {
  const candidates = ['/etc/apt/sources.list'];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) {
    for (const entry of readdirSync(dir).sort()) {
      if (entry.endsWith('.list') || entry.endsWith('.sources')) candidates.push(path.join(dir, entry));
    }
  }
  const mentionsSuite = new RegExp(`(^|\\s)${suite}(\\s|$)`, 'm');
  const sources = candidates.filter((file) => {
    if (!existsSync(file)) return false;
    const active = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => !line.trim().startsWith('#'))
      .join('\n');
    return mentionsSuite.test(active);
  });
  if (sources.length === 0) {
    throw new LabError('APT_SOURCES', `no apt source of this host names the suite "${suite}"`, {
      hint: `add the ${suite} repository to /etc/apt/sources.list.d/ and run apt-get update`,
    });
  }
  return sources;
}
