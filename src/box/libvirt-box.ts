import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.js';
import { boxCacheDirs, isRoot } from '../util/paths.js';
import type { Progress } from '../util/progress.js';
import { run, runChecked } from '../util/run.js';
import { boxRecipe, hostAptSources, libvirtRecipeSubdir, recipeFiles, type BoxRecipe } from './recipe.js';

/**
 * The Vagrant box of the libvirt provider: the uml image's recipe (same suite, same packages) made a
 * whole VM: a kernel and initrd that libvirt boots directly, DHCP on eth0 for Vagrant's management
 * network, dbus (Vagrant sets the hostname through hostnamectl), sudo and the `vagrant` user.
 */
export const libvirtBoxPackages = ['linux-image-amd64', 'dbus', 'sudo'];
/** The disk's size as the VM sees it (GiB); sparse, about 700 MB are used. */
const diskGiB = 2;
/**
 * The box's version in Vagrant's collection. Its name already holds the recipe's hash, so one
 * version per name is enough; a box without one (Vagrant's "0") makes vagrant-libvirt warn on every
 * up and name the pool's copy of the image after the image file's mtime.
 */
export const libvirtBoxVersion = '1';

export interface LibvirtBox {
  /** The box's name for `config.vm.box`. */
  name: string;
  /** VAGRANT_HOME holding it: every lab's vagrant runs with it. */
  vagrantHome: string;
  key: string;
  /** The box's kernel (libvirt boots it directly). */
  kernel: string;
  /** Its disk image (qcow2). */
  image: string;
  built: boolean;
}

/** Vagrant's public insecure key, which a box must accept at its first boot (Vagrant then puts a key of its own in). */
export function vagrantInsecureKey(): string {
  // Debian's package, then HashiCorp's (whose older releases keep gems under a versioned folder).
  const embedded = '/opt/vagrant/embedded/gems';
  const versioned = existsSync(embedded) ? readdirSync(embedded).filter((name) => /^\d/.test(name)).map((name) => path.join(embedded, name, 'gems')) : [];
  const roots = ['/usr/share/rubygems-integration/all/gems', path.join(embedded, 'gems'), ...versioned];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root).filter((name) => /^vagrant-\d/.test(name)).sort().reverse()) {
      const key = path.join(root, entry, 'keys', 'vagrant.pub');
      if (existsSync(key)) return key;
    }
  }
  throw new LabError('VAGRANT_KEY_MISSING', "cannot find Vagrant's insecure public key (keys/vagrant.pub of the vagrant gem)", {
    hint: 'install Vagrant (Debian/Ubuntu: apt-get install vagrant), then: npm run lab:doctor -- --provider vagrant',
  });
}

/** The box's recipe: the uml recipe's suite and packages, its own folder, and Vagrant's key. */
function libvirtBoxKey(recipe: BoxRecipe, insecureKey: string): string {
  const hash = createHash('sha256').update(`libvirt\nsuite=${recipe.suite}\npackages=${libvirtBoxPackages.join(',')}\n`);
  // Only what the box is built from: the uml image's own files (its overlay, its boot trims) would
  // rebuild the box, a few minutes of mmdebstrap, for a change it does not contain.
  const used = recipeFiles(recipe.recipeDir).filter((file) => file === 'packages.txt' || file.startsWith(`${libvirtRecipeSubdir}/`));
  for (const file of used) hash.update(`${file}\0`).update(readFileSync(path.join(recipe.recipeDir, file)));
  return hash.update(readFileSync(insecureKey)).digest('hex').slice(0, 16);
}

const libvirtBoxName = (recipe: BoxRecipe, key: string) => `failover-lab/${recipe.suite}-${key}`;

/** Where Vagrant keeps this libvirt box under VAGRANT_HOME (its box collection's layout: name, version, provider). */
function boxDirectory(vagrantHome: string, name: string): string {
  return path.join(vagrantHome, 'boxes', name.replaceAll('/', '-VAGRANTSLASH-'), libvirtBoxVersion, 'libvirt');
}

/** A box built before it had a version (Vagrant's "0" beside it) is moved under its version, not built again. */
function adoptUnversionedBox(dir: string): void {
  const unversioned = path.join(path.dirname(path.dirname(dir)), '0', 'libvirt');
  if (existsSync(dir) || !existsSync(path.join(unversioned, 'metadata.json'))) return;
  mkdirSync(path.dirname(dir), { recursive: true });
  renameSync(unversioned, dir);
  rmSync(path.dirname(unversioned), { recursive: true, force: true });
}

export function libvirtVagrantHome(): string {
  return path.join(boxCacheDirs().write, 'vagrant-home');
}

/** The libvirt box for the current recipe, built once into the cache's VAGRANT_HOME when it is not there. */
export async function ensureLibvirtBox(progress: Progress, options: { rebuild?: boolean } = {}): Promise<LibvirtBox> {
  const recipe = boxRecipe();
  const insecureKey = vagrantInsecureKey();
  const key = libvirtBoxKey(recipe, insecureKey);
  const name = libvirtBoxName(recipe, key);
  const vagrantHome = libvirtVagrantHome();
  const dir = boxDirectory(vagrantHome, name);
  const kernel = path.join(dir, 'vmlinuz');
  const image = path.join(dir, 'box.img');
  adoptUnversionedBox(dir);
  if (!options.rebuild && existsSync(path.join(dir, 'metadata.json'))) return { name, vagrantHome, key, kernel, image, built: false };
  if (!isRoot()) {
    throw new LabError('BOX_NEEDS_ROOT', `the libvirt box ${name} is not built yet, and building it needs root`, { hint: 'build it once as root: sudo npm run lab:image -- --provider vagrant (every user can then use it)' });
  }
  await progress.step(`building libvirt box ${key} (${recipe.suite}, once)`, () => buildLibvirtBox(recipe, insecureKey, dir));
  return { name, vagrantHome, key, kernel, image, built: true };
}

async function buildLibvirtBox(recipe: BoxRecipe, insecureKey: string, boxDir: string): Promise<void> {
  const work = `${boxDir}.building-${process.pid}`;
  const rootfs = path.join(work, 'rootfs');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const customize = path.join(recipe.recipeDir, libvirtRecipeSubdir, 'customize.sh');
    const result = await run('mmdebstrap', [
      '--variant=minbase',
      '--mode=root',
      '--quiet',
      `--include=${[...recipe.packages, ...libvirtBoxPackages].join(',')}`,
      '--dpkgopt=path-exclude=/usr/share/doc/*',
      '--dpkgopt=path-exclude=/usr/share/man/*',
      '--dpkgopt=path-exclude=/usr/share/locale/*',
      `--customize-hook=${customize} "$1" ${insecureKey}`,
      // libvirt boots the kernel directly (no boot loader in the image): kept beside the disk.
      `--customize-hook=cp -L "$1/vmlinuz" ${path.join(work, 'vmlinuz')} && cp -L "$1/initrd.img" ${path.join(work, 'initrd.img')}`,
      recipe.suite,
      rootfs,
      ...hostAptSources(recipe.suite),
    ]);
    if (result.code !== 0) {
      throw new LabError('BOX_BUILD_FAILED', `mmdebstrap could not build the ${recipe.suite} libvirt box:\n${result.stderr.trim().split('\n').slice(-10).join('\n')}`, {
        hint: 'check that apt-get update works on this host; the box is built from its apt sources',
      });
    }
    const raw = path.join(work, 'root.raw');
    await runChecked('mkfs.ext4', ['-q', '-F', '-L', 'failover-lab', '-d', rootfs, raw, `${diskGiB}G`]);
    rmSync(rootfs, { recursive: true, force: true });
    await runChecked('qemu-img', ['convert', '-O', 'qcow2', raw, path.join(work, 'box.img')]);
    rmSync(raw);
    writeFileSync(path.join(work, 'metadata.json'), `${JSON.stringify({ provider: 'libvirt', format: 'qcow2', virtual_size: diskGiB })}\n`);
    // The box's own Vagrantfile, merged under the project's: how libvirt boots it.
    writeFileSync(
      path.join(work, 'Vagrantfile'),
      [
        "Vagrant.configure('2') do |config|",
        "  config.vm.provider 'libvirt' do |lv|",
        "    lv.kernel = File.join(__dir__, 'vmlinuz')",
        "    lv.initrd = File.join(__dir__, 'initrd.img')",
        "    lv.cmd_line = 'root=/dev/vda rw console=ttyS0 net.ifnames=0'",
        '  end',
        'end',
        '',
      ].join('\n'),
    );
    for (const file of readdirSync(work)) chmodSync(path.join(work, file), 0o644);
    rmSync(boxDir, { recursive: true, force: true });
    mkdirSync(path.dirname(boxDir), { recursive: true });
    renameSync(work, boxDir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The kernel of the built box for the current recipe, if there is one. */
export function cachedLibvirtBoxKernel(): string | undefined {
  try {
    const recipe = boxRecipe();
    const kernel = path.join(boxDirectory(libvirtVagrantHome(), libvirtBoxName(recipe, libvirtBoxKey(recipe, vagrantInsecureKey()))), 'vmlinuz');
    return existsSync(kernel) ? kernel : undefined;
  } catch {
    return undefined;
  }
}
