import type { LabSpec } from '../spec/types.js';

/**
 * What the Vagrantfile makes of a spec, as the TypeScript side expects it. The Vagrantfile computes
 * the same in Ruby (it cannot import this); a test compares its dump (FAILOVER_LAB_VAGRANT_PLAN)
 * with this and with the uml plan, so the two cannot drift apart unnoticed.
 */
export interface VagrantMachine {
  name: string;
  role: string;
  address: string;
  interface: string;
  memoryMb: number;
  box: string;
}

/** The uml image is Debian bookworm; the Vagrant box is the same release. */
export const vagrantBox = 'debian/bookworm64';
/** A full Debian VM (kernel, initramfs, apt) needs more than a uml node; VirtualBox gets at least this. */
export const vagrantMinimumMemoryMb = 384;

export function vagrantMachinePlan(spec: LabSpec): VagrantMachine[] {
  return spec.nodes.map((node) => ({
    name: node.name,
    role: node.role,
    address: node.address,
    interface: spec.lab.interface,
    memoryMb: Math.max(spec.memoryMb, vagrantMinimumMemoryMb),
    box: vagrantBox,
  }));
}
