import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.js';
import { boxCacheDirs, isRoot } from '../util/paths.js';
import type { Progress } from '../util/progress.js';
import { run, runChecked } from '../util/run.js';
import { boxRecipe, hostAptSources, umlModulesRoot, type BoxRecipe } from './recipe.js';

export interface BoxImage {
  path: string;
  key: string;
  kernelVersion: string;
  built: boolean;
}

interface BoxMeta {
  key: string;
  suite: string;
  kernelVersion: string;
  builtAt: string;
  buildSeconds: number;
}

const imageName = 'box.img';

function cachedImage(recipe: BoxRecipe): string | undefined {
  for (const dir of boxCacheDirs().read) {
    const image = path.join(dir, 'boxes', recipe.key, imageName);
    if (existsSync(image) && existsSync(path.join(dir, 'boxes', recipe.key, 'box.json'))) return image;
  }
  return undefined;
}

/** The cached node image for the current recipe, if there is one (undefined also when uml is not installed). */
export function cachedBoxImage(): string | undefined {
  try {
    return cachedImage(boxRecipe());
  } catch {
    return undefined;
  }
}

/** Returns the node image for the current recipe, building it once when it is not cached. */
export async function ensureBoxImage(progress: Progress, options: { rebuild?: boolean } = {}): Promise<BoxImage> {
  const recipe = boxRecipe();
  const cached = options.rebuild ? undefined : cachedImage(recipe);
  if (cached) return { path: cached, key: recipe.key, kernelVersion: recipe.kernelVersion, built: false };
  if (!isRoot()) {
    throw new LabError('BOX_NEEDS_ROOT', `the node image ${recipe.key} is not built yet, and building it needs root`, {
      hint: 'build it once as root: sudo npm run lab:image (every user can then use it)',
    });
  }
  const image = await progress.step(`building node image ${recipe.key} (${recipe.suite}, once)`, () => buildBoxImage(recipe));
  return { path: image, key: recipe.key, kernelVersion: recipe.kernelVersion, built: true };
}

async function buildBoxImage(recipe: BoxRecipe): Promise<string> {
  const started = Date.now();
  const boxDir = path.join(boxCacheDirs().write, 'boxes', recipe.key);
  const work = path.join(boxCacheDirs().write, 'boxes', `${recipe.key}.building-${process.pid}`);
  const rootfs = path.join(work, 'rootfs');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const overlay = path.join(recipe.recipeDir, 'overlay');
    const args = [
      '--variant=minbase',
      '--mode=root',
      '--quiet',
      `--include=${recipe.packages.join(',')}`,
      // Documentation, manuals and translations are dead weight in a lab node.
      '--dpkgopt=path-exclude=/usr/share/doc/*',
      '--dpkgopt=path-exclude=/usr/share/man/*',
      '--dpkgopt=path-exclude=/usr/share/locale/*',
      `--customize-hook=sync-in ${overlay} /`,
      `--customize-hook=mkdir -p "$1/lib/modules" && cp -a ${path.join(umlModulesRoot, recipe.kernelVersion)} "$1/lib/modules/"`,
      `--customize-hook=${path.join(recipe.recipeDir, 'customize.sh')} "$1"`,
      recipe.suite,
      rootfs,
      ...hostAptSources(recipe.suite),
    ];
    const result = await run('mmdebstrap', args);
    if (result.code !== 0) {
      throw new LabError('BOX_BUILD_FAILED', `mmdebstrap could not build the ${recipe.suite} node image:\n${result.stderr.trim().split('\n').slice(-10).join('\n')}`, {
        hint: 'check that apt-get update works on this host; the image is built from its apt sources',
      });
    }
    const partial = path.join(work, imageName);
    // Sparse: 1 GiB of address space, about 350 MB on disk; nodes write to their own COW files.
    await runChecked('mkfs.ext4', ['-q', '-F', '-L', 'failover-lab', '-d', rootfs, partial, '1G']);
    rmSync(rootfs, { recursive: true, force: true });
    mkdirSync(boxDir, { recursive: true });
    chmodSync(partial, 0o644);
    renameSync(partial, path.join(boxDir, imageName));
    const meta: BoxMeta = {
      key: recipe.key,
      suite: recipe.suite,
      kernelVersion: recipe.kernelVersion,
      builtAt: new Date().toISOString(),
      buildSeconds: (Date.now() - started) / 1000,
    };
    writeFileSync(path.join(boxDir, 'box.json'), `${JSON.stringify(meta, null, 2)}\n`);
    for (const dir of [boxDir, path.dirname(boxDir), boxCacheDirs().write]) chmodSync(dir, 0o755);
    return path.join(boxDir, imageName);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
