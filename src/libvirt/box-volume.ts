import { copyFileSync, existsSync, linkSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { libvirtBoxVersion } from '../box/libvirt-box.js';

/**
 * vagrant-libvirt uploads a box's image into the storage pool once per pool, through libvirt's
 * stream API; every lab has a pool of its own, so every `lab:up` paid for a 700 MB upload. Put in
 * the pool before libvirtd scans it, under the name vagrant-libvirt looks for, the image is found
 * and the upload skipped. A hard link costs nothing (the VMs' disks only read it as their backing
 * file); across file systems it is copied. Under another naming (a later vagrant-libvirt) Vagrant
 * simply uploads it, as before.
 */
export function placeBoxInPool(box: { name: string; image: string }, poolDir: string): void {
  // vagrant-libvirt 0.11 (HandleBoxImage): <box name>_vagrant_box_image_<box version>_<image file>.
  const volume = path.join(poolDir, `${box.name.replaceAll('/', '-VAGRANTSLASH-')}_vagrant_box_image_${libvirtBoxVersion}_box.img`);
  if (existsSync(volume)) return;
  mkdirSync(poolDir, { recursive: true });
  try {
    linkSync(box.image, volume);
  } catch {
    copyFileSync(box.image, volume);
  }
}
