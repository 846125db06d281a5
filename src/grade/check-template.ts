import type { Statement } from './keepalived-syntax.js';
import type { RawFinding } from './types.js';

/** Keywords whose value is a word or number, never text: a quoted value there is a template's placeholder. */
const NEVER_QUOTED = new Set([
  'state', 'interface', 'virtual_router_id', 'priority', 'advert_int', 'auth_type', 'unicast_src_ip',
  'lb_algo', 'lvs_sched', 'lb_kind', 'lvs_method', 'protocol', 'delay_loop', 'weight', 'persistence_timeout',
]);
/** Values that only a template has: <vip>, {{ vip }}, XXX, name_mode, your_ip, "number", "VIP" … */
const PLACEHOLDER = /^(<[^>]*>|\{\{.*\}\}|\[[^\]]*\]|x{3,}|\.{3}|…|name_\w+|your_\w+|number|число|ip|ip_address|ip-address|vip|адрес|interface|mode|имя\w*|номер)$/i;

/** Blocks whose lines are values (an address, a script's name), not keywords. */
const LIST_BLOCKS = new Set(['virtual_ipaddress', 'virtual_ipaddress_excluded', 'unicast_peer', 'track_script', 'track_interface']);

/** Finds template placeholders left in a configuration, one finding per line. Block names (vrrp_instance VIP) are the student's to choose. */
export function checkTemplate(statements: Statement[], file: string): RawFinding[] {
  const findings: RawFinding[] = [];
  const visit = (list: Statement[], parent: string) => {
    for (const statement of list) {
      const quotedValue = NEVER_QUOTED.has(statement.keyword) && /"/.test(statement.raw);
      const values = LIST_BLOCKS.has(parent) ? [statement.keyword, ...statement.args] : statement.children ? [] : statement.args;
      if (quotedValue || values.some((word) => PLACEHOLDER.test(word))) {
        findings.push({ code: 'template-unfilled', file, line: statement.line, params: { value: statement.raw } });
      }
      if (statement.children) visit(statement.children, statement.keyword);
    }
  };
  visit(statements, '');
  return findings;
}

/** True when a value is a placeholder, so that value checks do not report it a second time. */
export function isPlaceholder(value: string, raw: string): boolean {
  return PLACEHOLDER.test(value) || /"/.test(raw);
}
