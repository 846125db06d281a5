import type { LabNode, LabSpec } from '../spec/types.js';
import { renderIpvsRules } from './ipvs.js';
import { renderKeepalivedConf } from './keepalived.js';
import { renderNodeEnv } from './node-env.js';

/** Everything one node's provisioning needs besides the provision/ scripts: file name → content. */
export function renderNodeFiles(spec: LabSpec, node: LabNode): Record<string, string> {
  const files: Record<string, string> = { 'node.env': renderNodeEnv(spec, node) };
  if (node.role === 'balancer') {
    files['keepalived.conf'] = node.keepalivedConf ?? renderKeepalivedConf(spec, node);
    files['ipvs.rules'] = renderIpvsRules(spec);
  }
  return files;
}

/** Renders every node up front, so template errors stop `up` before anything is created. */
export function renderAllNodeFiles(spec: LabSpec): Map<string, Record<string, string>> {
  return new Map(spec.nodes.map((node) => [node.name, renderNodeFiles(spec, node)]));
}
