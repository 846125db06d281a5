import path from 'node:path';
import type { LabPaths } from '../lab/state.js';

/**
 * A libvirt lab's own daemon: libvirtd runs in the lab's network, PID and mount namespaces, with its
 * configuration, state, runtime and image folders bound over the system's from the lab's state
 * directory. Its VMs, networks and dnsmasq live and die with it; nothing reaches the host's network
 * namespace or the system's libvirt.
 */
export interface LibvirtPlan {
  lab: string;
  /** The lab's libvirt folder (under its state directory). */
  dir: string;
  /** System folder → the lab's folder bound over it inside the namespace. */
  binds: { system: string; lab: string }[];
  /** The storage pool vagrant-libvirt uploads the box to and makes the VMs' disks in. */
  images: string;
  /** libvirtd's socket, as seen from the host (the bound runtime folder's source). */
  libvirtSocket: string;
  controlSocket: string;
  /** The lab's networks: where the holder may open connections to (management and lab). */
  networks: string[];
}

/** Vagrant's management network for a libvirt lab (inside the lab's namespace only). */
export const libvirtManagementNetwork = '192.168.121.0/24';

export function libvirtPlan(paths: LabPaths, lab: string, labNetwork: string): LibvirtPlan {
  const dir = path.join(paths.dir, 'libvirt');
  const folder = (name: string) => path.join(dir, name);
  return {
    lab,
    dir,
    binds: [
      { system: '/etc/libvirt', lab: folder('etc') },
      { system: '/var/lib/libvirt', lab: folder('lib') },
      { system: '/run/libvirt', lab: folder('run') },
      { system: '/var/log/libvirt', lab: folder('log') },
      { system: '/var/cache/libvirt', lab: folder('cache') },
    ],
    images: folder('images'),
    libvirtSocket: path.join(folder('run'), 'libvirt-sock'),
    controlSocket: path.join(dir, 'control.sock'),
    networks: [libvirtManagementNetwork, labNetwork],
  };
}
