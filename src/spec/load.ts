import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { LabError } from '../errors.js';
import { labSpecSchema, type LabSpecDocument } from './schema.js';
import { checkSemantics, type SpecProblem } from './semantics.js';
import type { IpvsTuning, LabSpec, LabNode, VrrpInstance } from './types.js';

/** Loads, validates and normalises a lab spec file. All problems are reported at once, each with its line. */
export function loadSpec(file: string, overrides: { name?: string } = {}): LabSpec {
  const sourcePath = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(sourcePath, 'utf8');
  } catch (cause) {
    throw new LabError('SPEC_NOT_FOUND', `cannot read the lab spec ${file}`, {
      cause,
      hint: 'pass an existing YAML file with --spec, or leave it out to use lab/seed.yaml',
    });
  }
  return parseSpec(text, sourcePath, overrides);
}

export function parseSpec(text: string, sourcePath: string, overrides: { name?: string } = {}): LabSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const where = (offset: number | undefined) => {
    if (offset === undefined) return `${sourcePath}`;
    const { line, col } = lineCounter.linePos(offset);
    return `${sourcePath}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((error) => `${where(error.pos[0])}: YAML syntax: ${error.message.split('\n')[0]}`);
    throw specError(lines);
  }
  const raw = doc.toJS() as unknown;
  if (overrides.name !== undefined && raw && typeof raw === 'object') (raw as Record<string, unknown>).name = overrides.name;

  const parsed = labSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const keyPath = issue.path.map(String);
      const field = keyPath.join('.') || '(top level)';
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
      else if (issue.code === 'invalid_type' && issue.input === undefined) message = 'is required';
      return `${where(offsetOf(doc, keyPath))}: ${field}: ${message}`;
    });
    throw specError(lines);
  }

  const problems: SpecProblem[] = checkSemantics(parsed.data, path.dirname(sourcePath));
  if (problems.length > 0) {
    throw specError(problems.map((problem) => `${where(offsetOf(doc, problem.path))}: ${problem.path.join('.')}: ${problem.message}`));
  }
  return normalise(parsed.data, sourcePath);
}

function specError(lines: string[]): LabError {
  return new LabError('SPEC_INVALID', `the lab spec is not valid:\n  ${lines.join('\n  ')}`, {
    hint: 'correct the fields named above; lab/seed.yaml is a complete example',
  });
}

/** The source offset of the deepest node on the path that exists (so a missing key points at its parent). */
function offsetOf(doc: Document, keyPath: readonly string[]): number | undefined {
  for (let length = keyPath.length; length >= 0; length -= 1) {
    const node = doc.getIn(keyPath.slice(0, length), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return node.range[0];
  }
  return undefined;
}

function normalise(data: LabSpecDocument, sourcePath: string): LabSpec {
  const [labSubnet, labPrefix] = data.networks.lab.subnet.split('/') as [string, string];
  const [managementSubnet, managementPrefix] = data.networks.management.subnet.split('/') as [string, string];
  const vipOf = (text: string) => {
    const [address, prefix] = text.split('/') as [string, string | undefined];
    return { address, prefix: prefix === undefined ? Number(labPrefix) : Number(prefix) };
  };
  const { vrrp } = data;
  const instances = vrrp.instances?.map((instance): VrrpInstance => {
    const ranked = Object.entries(instance.priorities).sort(([, a], [, b]) => b - a);
    return { name: instance.name, virtualRouterId: instance.virtual_router_id, vip: vipOf(instance.vip), priorities: Object.fromEntries(ranked), master: ranked[0]?.[0] ?? '' };
  });
  // With several instances, the first one stands for the spec's VIP and each balancer's state.
  const first = instances?.[0];
  const nodes: LabNode[] = Object.entries(data.nodes).map(([name, node]) =>
    node.role === 'balancer'
      ? {
          name,
          role: 'balancer',
          address: node.address,
          vrrp: first
            ? { state: first.master === name ? 'MASTER' : 'BACKUP', priority: first.priorities[name] ?? 0 }
            : { state: node.vrrp_state ?? 'BACKUP', priority: node.priority ?? 0 },
        }
      : { name, role: 'backend', address: node.address },
  );
  return {
    name: data.name,
    sourcePath,
    lab: { subnet: labSubnet, prefix: Number(labPrefix), client: data.networks.lab.client, interface: data.networks.lab.interface },
    management: { subnet: managementSubnet, prefix: Number(managementPrefix) },
    vip: first ? first.vip : vipOf(data.vip ?? ''),
    service: data.service,
    vrrp: {
      version: vrrp.version,
      instance: first ? first.name : (vrrp.instance ?? ''),
      virtualRouterId: first ? first.virtualRouterId : (vrrp.virtual_router_id ?? 0),
      advertInt: vrrp.advert_int,
      auth: vrrp.auth_pass === undefined ? undefined : { type: vrrp.auth_type ?? 'PASS', pass: vrrp.auth_pass },
      preempt: vrrp.preempt,
      check: vrrp.check,
      templatePath: vrrp.template === undefined ? undefined : path.resolve(path.dirname(sourcePath), vrrp.template),
    },
    ...(instances ? { vrrpInstances: instances } : {}),
    ipvs: data.ipvs === undefined ? undefined : normaliseIpvs(data.ipvs),
    nodes,
    memoryMb: data.resources.memory_mb,
  };
}

function normaliseIpvs(ipvs: NonNullable<LabSpecDocument['ipvs']>): IpvsTuning {
  const sysctls = Object.fromEntries(Object.entries(ipvs.sysctls ?? {}).map(([key, value]) => [key, [value].flat().join(' ')]));
  return { syncConnections: ipvs.sync_connections ?? false, syncMaxlen: ipvs.sync_maxlen, sysctls };
}
