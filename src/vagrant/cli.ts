import path from 'node:path';
import { LabError } from '../errors.js';
import type { LabPaths } from '../lab/state.js';
import { errorExit, parseMachineReadable, type MachineState, machineStates } from '../parse/vagrant-machine-readable.js';
import { parseSshConfig, type SshConfigEntry } from '../parse/vagrant-ssh-config.js';
import { inLabCgroups } from '../host/cpu-limit.js';
import { libvirtHolderPid } from '../libvirt/daemon.js';
import { libvirtEngineOf, libvirtVagrantEnvironment, type LibvirtEngine } from '../libvirt/engine.js';
import { projectRoot } from '../util/paths.js';
import { run, type RunResult } from '../util/run.js';

/** Where the Vagrantfile looks for node files when FAILOVER_LAB_NODE_FILES is not set (a plain `vagrant up`). */
export const defaultNodeFilesDir = path.join(projectRoot, '.vagrant', 'failover-lab', 'node-files');

/** Where a lab's Vagrant environment lives; every vagrant command of the lab runs with it. */
export interface VagrantEnvironment {
  /** The directory holding the Vagrantfile. */
  cwd: string;
  /** Vagrant's machine state (.vagrant) for this lab, inside the lab's state directory. */
  dotfilePath: string;
  /** The lab's own copy of its spec, so later commands define the same machines whatever happens to the original. */
  specPath: string;
  /** The per-node provisioning directories (see node-files.ts). */
  nodeFiles: string;
  /** VAGRANT_DEFAULT_PROVIDER, for commands that take no --provider (e.g. status). */
  defaultProvider?: string;
  /** Where the Vagrantfile writes what it made of the spec (FAILOVER_LAB_VAGRANT_PLAN; tests). */
  planDump?: string;
  /** A lab on libvirt: vagrant runs in the lab's network namespace, with the lab's box and daemon. */
  libvirt?: LibvirtEngine;
}

export function labVagrantEnvironment(paths: LabPaths): VagrantEnvironment {
  const libvirt = libvirtEngineOf(paths);
  return { cwd: projectRoot, dotfilePath: paths.vagrantDotfile, specPath: paths.vagrantSpec, nodeFiles: paths.vagrantNodeFiles, ...(libvirt ? { libvirt } : {}) };
}

function vagrantProcessEnv(environment: VagrantEnvironment): NodeJS.ProcessEnv {
  return {
    ...process.env,
    VAGRANT_CWD: environment.cwd,
    VAGRANT_DOTFILE_PATH: environment.dotfilePath,
    LAB_SPEC: environment.specPath,
    FAILOVER_LAB_NODE_FILES: environment.nodeFiles,
    VAGRANT_NO_COLOR: '1',
    VAGRANT_CHECKPOINT_DISABLE: '1', // no version check over the network on every command
    ...(environment.defaultProvider ? { VAGRANT_DEFAULT_PROVIDER: environment.defaultProvider } : {}),
    ...(environment.planDump ? { FAILOVER_LAB_VAGRANT_PLAN: environment.planDump } : {}),
    ...(environment.libvirt ? libvirtVagrantEnvironment(environment.libvirt) : {}),
  };
}

/** vagrant itself, or, for a libvirt lab, vagrant inside the lab's network namespace (where its VMs' networks are). */
function vagrantCommand(environment: VagrantEnvironment, args: string[]): { command: string; args: string[] } {
  if (!environment.libvirt) return { command: 'vagrant', args };
  // In the lab's cgroups too: vagrant's own work (Ruby, provisioning over SSH) is weighed with its VMs.
  const [command = 'nsenter', ...prefixArgs] = [...inLabCgroups(environment.libvirt.plan.lab), 'nsenter'];
  return { command, args: [...prefixArgs, '--target', String(libvirtHolderPid(environment.libvirt.plan)), '--net', '--', 'vagrant', ...args] };
}

/** Runs one vagrant command for the environment; a missing vagrant names the fix. */
export async function vagrant(environment: VagrantEnvironment, args: string[], onLine?: (line: string) => void): Promise<RunResult> {
  let pending = '';
  try {
    const invocation = vagrantCommand(environment, args);
    return await run(invocation.command, invocation.args, {
      cwd: environment.cwd,
      env: vagrantProcessEnv(environment),
      onOutput: onLine
        ? (chunk) => {
            const lines = (pending + chunk).split('\n');
            pending = lines.pop() ?? '';
            for (const line of lines) if (line.trim()) onLine(line.trimEnd());
          }
        : undefined,
    });
  } catch (error) {
    if (error instanceof LabError && error.code === 'MISSING_COMMAND') {
      throw new LabError('VAGRANT_MISSING', 'the vagrant provider needs Vagrant, and vagrant is not on the PATH', {
        cause: error,
        hint: 'install Vagrant (Debian/Ubuntu: apt-get install vagrant; elsewhere the installer from the Vagrant site), then: npm run lab:doctor',
      });
    }
    throw error;
  }
}

/** Runs a vagrant command that must succeed; its failure carries Vagrant's own message. */
export async function vagrantChecked(environment: VagrantEnvironment, args: string[], onLine?: (line: string) => void): Promise<RunResult> {
  const result = await vagrant(environment, args, onLine);
  if (result.code !== 0) {
    const reported = errorExit(parseMachineReadable(result.stdout));
    const detail = reported?.message ?? (result.stderr || result.stdout).trim().split('\n').slice(-15).join('\n');
    throw new LabError('VAGRANT_FAILED', `'vagrant ${args.join(' ')}' failed (exit code ${result.code}):\n${detail}`, {
      hint: 'npm run lab:doctor -- --provider vagrant checks Vagrant, VirtualBox and the host-only network',
    });
  }
  return result;
}

export async function vagrantStatus(environment: VagrantEnvironment): Promise<MachineState[]> {
  const result = await vagrantChecked(environment, ['status', '--machine-readable']);
  return machineStates(parseMachineReadable(result.stdout));
}

export async function vagrantSshConfig(environment: VagrantEnvironment): Promise<SshConfigEntry[]> {
  return parseSshConfig((await vagrantChecked(environment, ['ssh-config'])).stdout);
}
