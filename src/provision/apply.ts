import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.js';
import type { Communicator } from '../ssh/communicator.js';
import type { LabNode, LabSpec } from '../spec/types.js';
import { projectRoot } from '../util/paths.js';

/** Where the scripts and rendered files land on a node (the Vagrant provider uses the same place). */
export const remoteProvisionDir = '/var/lib/failover-lab/provision';
const scriptsDir = path.join(projectRoot, 'provision');
const keepalivedRejected = 3; // balancer.sh's exit code when keepalived -t refuses the config

/** The provision/ scripts by file name: what every provider runs on every node. */
export function provisionScripts(): Record<string, string> {
  return Object.fromEntries(
    readdirSync(scriptsDir)
      .filter((file) => file.endsWith('.sh'))
      .map((file) => [file, readFileSync(path.join(scriptsDir, file), 'utf8')]),
  );
}

/** Everything a node's provisioning directory holds: the scripts and the node's rendered files. */
export function provisionBundle(files: Record<string, string>): Record<string, string> {
  return { ...provisionScripts(), ...files };
}

/** The command that provisions a node from its provisioning directory (the Vagrantfile runs the same). */
export function provisionCommand(role: string, dir = remoteProvisionDir): string {
  return `bash ${dir}/common.sh ${dir} && bash ${dir}/${role}.sh ${dir}`;
}

/** Runs common.sh and the node's role script with its rendered files. Idempotent, like the scripts. */
export async function provisionNode(spec: LabSpec, node: LabNode, ssh: Communicator, files: Record<string, string>): Promise<void> {
  await ssh.upload(remoteProvisionDir, provisionBundle(files));
  const dir = remoteProvisionDir;
  const result = await ssh.exec(provisionCommand(node.role), { timeoutMs: 120_000 });
  if (result.code === keepalivedRejected && node.role === 'balancer') {
    const source = node.keepalivedConf !== undefined ? `the keepalived.conf given for ${node.name}` : spec.vrrp.templatePath ?? `the vrrp settings of ${spec.sourcePath}`;
    throw new LabError('KEEPALIVED_CONFIG_REJECTED', `keepalived on ${node.name} rejected the configuration rendered from ${source}:\n${result.stderr.trim()}`, {
      hint: `fix ${source}; the rendered file is ${dir}/keepalived.conf on ${node.name}`,
      details: { node: node.name, output: result.stderr, nodePath: `${dir}/keepalived.conf` },
    });
  }
  if (result.code !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-12).join('\n');
    throw new LabError('PROVISION_FAILED', `provisioning ${node.name} (${node.role}) failed with exit code ${result.code}:\n${detail}`, {
      hint: `the scripts are provision/common.sh and provision/${node.role}.sh; rerun them on the node with: npm run lab:exec -- ${node.name} bash ${dir}/${node.role}.sh ${dir}`,
    });
  }
}
