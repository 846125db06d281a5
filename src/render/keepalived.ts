import { readFileSync } from 'node:fs';
import { LabError } from '../errors.js';
import type { LabNode, LabSpec } from '../spec/types.js';

/** Values a keepalived.conf template may use as {{ name }}. */
export function keepalivedVariables(spec: LabSpec, node: LabNode): Record<string, string> {
  if (!node.vrrp) throw new LabError('NOT_A_BALANCER', `${node.name} is not a balancer`);
  return {
    node: node.name,
    address: node.address,
    interface: spec.lab.interface,
    instance: spec.vrrp.instance,
    state: effectiveState(spec, node),
    priority: String(node.vrrp.priority),
    virtual_router_id: String(spec.vrrp.virtualRouterId),
    advert_int: String(spec.vrrp.advertInt),
    auth_type: spec.vrrp.auth?.type ?? 'PASS',
    auth_pass: spec.vrrp.auth?.pass ?? '',
    vip: spec.vip.address,
    vip_prefix: String(spec.vip.prefix),
    check_name: spec.vrrp.check?.name ?? '',
    check_script: spec.vrrp.check?.script ?? '',
    check_interval: String(spec.vrrp.check?.interval ?? ''),
  };
}

/** keepalived honours nopreempt only when the initial state is BACKUP, so the spec's MASTER becomes BACKUP then. */
function effectiveState(spec: LabSpec, node: LabNode): string {
  return spec.vrrp.preempt ? (node.vrrp?.state ?? 'BACKUP') : 'BACKUP';
}

/** Renders a balancer's keepalived.conf: from the spec's template when it names one, else the seed's layout. */
export function renderKeepalivedConf(spec: LabSpec, node: LabNode): string {
  const variables = keepalivedVariables(spec, node);
  if (spec.vrrp.templatePath) return fillTemplate(readFileSync(spec.vrrp.templatePath, 'utf8'), variables, spec.vrrp.templatePath);
  return defaultConf(spec, variables);
}

function defaultConf(spec: LabSpec, v: Record<string, string>): string {
  const lines: string[] = [];
  const { check } = spec.vrrp;
  if (check) {
    lines.push(`vrrp_script ${check.name} {`, `        script "${check.script}"`, `        interval ${check.interval}`, '}', '');
  }
  // Several instances (three active balancers): one block each, this node's state and priority in it.
  const vip = (address: { address: string; prefix: number }) => `${address.address}/${address.prefix}`;
  const instances = spec.vrrpInstances
    ? spec.vrrpInstances.map((instance) => ({
        name: instance.name,
        virtualRouterId: instance.virtualRouterId,
        vip: vip(instance.vip),
        state: spec.vrrp.preempt && instance.master === v.node ? 'MASTER' : 'BACKUP',
        priority: String(instance.priorities[v.node ?? ''] ?? ''),
      }))
    : [{ name: v.instance ?? '', virtualRouterId: spec.vrrp.virtualRouterId, vip: vip(spec.vip), state: v.state ?? '', priority: v.priority ?? '' }];
  for (const instance of instances) lines.push(...instanceBlock(spec, { ...instance, interface: v.interface ?? '' }), '');
  return lines.join('\n');
}

function instanceBlock(spec: LabSpec, instance: { name: string; state: string; priority: string; virtualRouterId: number; vip: string; interface: string }): string[] {
  const { check, auth } = spec.vrrp;
  const lines = [
    `vrrp_instance ${instance.name} {`,
    ...(spec.vrrp.version === undefined ? [] : [`        version ${spec.vrrp.version}`]),
    `        state ${instance.state}`,
    `        interface ${instance.interface}`,
    `        virtual_router_id ${instance.virtualRouterId}`,
    `        priority ${instance.priority}`,
    `        advert_int ${spec.vrrp.advertInt}`,
  ];
  if (!spec.vrrp.preempt) lines.push('        nopreempt');
  if (auth) lines.push('        authentication {', `                auth_type ${auth.type}`, `                auth_pass ${auth.pass}`, '        }');
  lines.push('        virtual_ipaddress {', `                ${instance.vip} dev ${instance.interface}`, '        }');
  if (check) lines.push('        track_script {', `                ${check.name}`, '        }');
  lines.push('}');
  return lines;
}

/** Replaces {{ name }} placeholders; an unknown name is an error that points at its line. */
export function fillTemplate(template: string, variables: Record<string, string>, source: string): string {
  const unknown: string[] = [];
  const output = template.replace(/\{\{\s*([A-Za-z0-9_]+)?\s*\}\}/g, (match, name: string | undefined, offset: number) => {
    if (name !== undefined && Object.hasOwn(variables, name)) return variables[name] ?? '';
    const line = template.slice(0, offset).split('\n').length;
    unknown.push(`${source}:${line}: unknown placeholder ${match}`);
    return match;
  });
  const unclosed = /\{\{(?![^\n]*\}\})/.exec(template);
  if (unclosed) unknown.push(`${source}:${template.slice(0, unclosed.index).split('\n').length}: "{{" is never closed with "}}"`);
  if (unknown.length > 0) {
    throw new LabError('TEMPLATE_INVALID', `the keepalived template has errors:\n  ${unknown.join('\n  ')}`, {
      hint: `use only these placeholders: ${Object.keys(variables).map((key) => `{{ ${key} }}`).join(', ')}`,
    });
  }
  return output;
}
