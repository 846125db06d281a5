/**
 * Runs in the holder (imports only node:, as the holder is copied out of the checkout): replaces
 * the sandbox's view of the host's files by a minimal root before any node starts. uml's hostfs
 * lets root in a node open any path the uml process can open, so what the uml processes can see is
 * exactly what a (possibly hostile) node can see: after this, their programs, the node image read-only
 * and the lab's own sandbox/ folder, at their host paths, and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface SandboxRoot {
  /** An empty directory the sandbox may mount on; the new root is built there. */
  mountPoint: string;
  /** Host files bound read-only at the same path: programs, their libraries, the node image. */
  readOnly: string[];
  /** Host directories bound writable at the same path: the lab's sandbox/ folder only. */
  writable: string[];
}

/** The device files a uml process uses (its guest memory is a tmpfs file in /dev/shm, mounted apart). */
const devices = ['/dev/null', '/dev/zero', '/dev/urandom'];
const oldRoot = '/.host';

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} failed: ${(result.stderr || result.error?.message || '').trim()}`);
}

function bind(source: string, root: string, options: { readOnly: boolean; directory: boolean }): void {
  const target = path.join(root, source);
  if (options.directory) mkdirSync(target, { recursive: true });
  else {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, '');
  }
  run('mount', ['--bind', ...(options.readOnly ? ['-o', 'ro'] : []), source, target]);
}

/**
 * Builds the root in a tmpfs, pivots the sandbox's mount namespace into it and detaches the host's
 * root. pivot_root moves every process of the namespace whose root was the old one, the holder
 * included. No /proc is left mounted: nothing needs it once uml runs, and through hostfs it would show
 * every node the other nodes' command lines and the holder's environment.
 */
export function enterSandboxRoot(root: SandboxRoot): void {
  run('mount', ['-t', 'tmpfs', '-o', 'mode=0755', 'lab-root', root.mountPoint]);
  for (const file of root.readOnly) bind(file, root.mountPoint, { readOnly: true, directory: false });
  for (const dir of root.writable) bind(dir, root.mountPoint, { readOnly: false, directory: true });
  for (const device of devices) bind(device, root.mountPoint, { readOnly: false, directory: false });
  const shm = path.join(root.mountPoint, 'dev', 'shm');
  mkdirSync(shm, { recursive: true });
  run('mount', ['-t', 'tmpfs', '-o', 'mode=1777,nosuid,nodev', 'lab-shm', shm]);
  mkdirSync(path.join(root.mountPoint, oldRoot));
  // umount reads /proc/self/mountinfo: a /proc for the two umounts below, gone after them.
  mkdirSync(path.join(root.mountPoint, 'proc'));
  run('mount', ['-t', 'proc', 'lab-proc', path.join(root.mountPoint, 'proc')]);
  // Read-only from here on: a node cannot add files to the root itself, only to its lab's folder.
  run('mount', ['-o', 'remount,bind,ro', root.mountPoint]);
  run('pivot_root', [root.mountPoint, path.join(root.mountPoint, oldRoot)]);
  process.chdir('/');
  run('umount', ['--lazy', oldRoot]);
  run('umount', ['--lazy', '/proc']);
}
