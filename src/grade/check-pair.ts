import { isPlaceholder } from './check-template.js';
import { AUTH_PASS_BYTES } from './check-instance.js';
import type { Valued, VrrpInstance } from './keepalived-model.js';
import type { RoleAssignment } from './roles.js';
import { instanceOf } from './topology.js';
import type { RawFinding } from './types.js';

/** What must agree between the two balancers' vrrp_instances for them to be one VRRP router. */
export function checkPair(assignments: RoleAssignment[]): RawFinding[] {
  const one = instanceOf(assignments, 'balancer1');
  const two = instanceOf(assignments, 'balancer2');
  const twoFile = assignments.find((assignment) => assignment.balancer === 'balancer2')?.config.file;
  if (!one || !two || !twoFile) return [];
  const findings: RawFinding[] = [];
  // Findings point at balancer2's line: the first config is usually the reference the second copies.
  const at = (code: string, value: Valued | undefined, params: Record<string, string | number>, line = value?.line ?? two.line) =>
    findings.push({ code, file: twoFile, line, params });

  const differs = (a: Valued | undefined, b: Valued | undefined) => real(a) && real(b) && a!.value !== b!.value;
  if (differs(one.virtualRouterId, two.virtualRouterId)) at('vrid-mismatch', two.virtualRouterId, { first: one.virtualRouterId!.value, second: two.virtualRouterId!.value });
  if (differs(one.interface, two.interface)) at('interface-mismatch', two.interface, { first: one.interface!.value, second: two.interface!.value });
  if (differs(one.advertInt, two.advertInt) && Number(one.advertInt!.value) !== Number(two.advertInt!.value)) {
    at('advert-int-mismatch', two.advertInt, { first: one.advertInt!.value, second: two.advertInt!.value });
  }
  findings.push(...checkPriorities(one, two, twoFile));
  findings.push(...checkAuthentication(one, two, twoFile));

  const vipsOne = one.virtualIpaddresses.map((vip) => vip.address).sort().join(', ');
  const vipsTwo = two.virtualIpaddresses.map((vip) => vip.address).sort().join(', ');
  if (vipsOne && vipsTwo && vipsOne !== vipsTwo) at('vip-mismatch', undefined, { first: vipsOne, second: vipsTwo }, two.virtualIpaddresses[0]!.line);

  const unicastOne = one.unicastPeers.length > 0;
  const unicastTwo = two.unicastPeers.length > 0;
  if (unicastOne !== unicastTwo) {
    at('unicast-one-sided', undefined, { with: unicastOne ? 'balancer1' : 'balancer2', without: unicastOne ? 'balancer2' : 'balancer1' }, two.line);
  }
  return findings;
}

/** Priority decides the master; states only say where each starts. */
function checkPriorities(one: VrrpInstance, two: VrrpInstance, file: string): RawFinding[] {
  // A placeholder left from the template says nothing about the roles (the template check reports it).
  const unfilled = (value: Valued | undefined) => value !== undefined && !real(value);
  if ([one.priority, one.state, two.priority, two.state].some(unfilled)) return [];
  // keepalived's default priority is 100 (and an invalid one becomes 100 too).
  const priority = (instance: VrrpInstance) => (real(instance.priority) && /^\d+$/.test(instance.priority!.value) ? Number(instance.priority!.value) : 100);
  const state = (instance: VrrpInstance) => (real(instance.state) ? instance.state!.value : 'BACKUP');
  const p1 = priority(one);
  const p2 = priority(two);
  const line = two.priority?.line ?? two.line;
  if (p1 !== p2) return [];
  if (p1 === 255) return [{ code: 'priority-255-both', file, line }];
  if (state(one) === state(two)) {
    return [{ code: state(one) === 'MASTER' ? 'state-both-master' : 'state-both-backup', file, line: two.state?.line ?? line, params: { priority: p1 } }];
  }
  return [{ code: 'priority-equal', file, line, params: { priority: p1 } }];
}

/** keepalived compares only the first 8 bytes of auth_pass; a missing block counts as "no authentication". */
function checkAuthentication(one: VrrpInstance, two: VrrpInstance, file: string): RawFinding[] {
  const type = (instance: VrrpInstance) => (instance.authType ? instance.authType.value : 'none');
  const pass = (instance: VrrpInstance) => Buffer.from(instance.authPass?.value ?? '').subarray(0, AUTH_PASS_BYTES).toString();
  const line = two.authType?.line ?? two.authPass?.line ?? two.line;
  if (type(one) !== type(two)) return [{ code: 'auth-type-mismatch', file, line, params: { first: type(one), second: type(two) } }];
  if (type(one) === 'PASS' && pass(one) !== pass(two)) {
    return [{ code: 'auth-pass-mismatch', file, line: two.authPass?.line ?? line, params: { first: pass(one), second: pass(two) } }];
  }
  return [];
}

/** A value the student actually filled in (placeholders are reported by the template check). */
function real(value: Valued | undefined): boolean {
  return value !== undefined && !isPlaceholder(value.value, '');
}
