import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { LabPaths } from '../lab/state.js';
import type { LibvirtPlan } from './plan.js';

/**
 * What a Vagrant lab on libvirt needs besides Vagrant's own state: its daemon's plan and the names
 * the Vagrantfile takes from the environment. Written before the daemon starts, so lab:down finds
 * the lab's namespaces even when the orchestrator crashed before lab.json.
 */
export interface LibvirtEngine {
  plan: LibvirtPlan;
  /** The lab's box, built from the project's recipe. */
  box: string;
  vagrantHome: string;
  /** kvm where the host has a usable /dev/kvm, qemu (software emulation) otherwise. */
  driver: 'kvm' | 'qemu';
  /** Prefix of the lab's libvirt names (domains, volumes), so that two labs never share one. */
  prefix: string;
}

const engineFile = (paths: LabPaths) => path.join(paths.dir, 'libvirt', 'engine.json');

export function writeLibvirtEngine(paths: LabPaths, engine: LibvirtEngine): void {
  mkdirSync(path.dirname(engineFile(paths)), { recursive: true });
  writeFileSync(engineFile(paths), `${JSON.stringify(engine, null, 2)}\n`);
}

/** The lab's libvirt engine, or undefined for a VirtualBox lab. */
export function libvirtEngineOf(paths: LabPaths): LibvirtEngine | undefined {
  return existsSync(engineFile(paths)) ? (JSON.parse(readFileSync(engineFile(paths), 'utf8')) as LibvirtEngine) : undefined;
}

/** The environment the Vagrantfile reads for a libvirt lab (see its libvirt provider block). */
export function libvirtVagrantEnvironment(engine: LibvirtEngine): Record<string, string> {
  return {
    VAGRANT_HOME: engine.vagrantHome,
    VAGRANT_DEFAULT_PROVIDER: 'libvirt',
    FAILOVER_LAB_LIBVIRT_BOX: engine.box,
    FAILOVER_LAB_LIBVIRT_SOCKET: engine.plan.libvirtSocket,
    FAILOVER_LAB_LIBVIRT_PREFIX: engine.prefix,
    FAILOVER_LAB_LIBVIRT_DRIVER: engine.driver,
  };
}
