import { parseIpv4 } from '../spec/ipv4.js';
import { isPlaceholder } from './check-template.js';
import type { KeepalivedConfig, Valued, VrrpInstance } from './keepalived-model.js';
import type { RawFinding } from './types.js';

/** keepalived keeps 8 bytes of auth_pass (the VRRPv2 authentication data field). */
export const AUTH_PASS_BYTES = 8;

/** What keepalived would reject, change or ignore in one configuration's vrrp_instances and scripts. */
export function checkInstances(config: KeepalivedConfig): RawFinding[] {
  const findings: RawFinding[] = [];
  const file = config.origin.file;
  const at = (code: string, line: number, params?: Record<string, string | number>) => findings.push({ code, file, line, ...(params ? { params } : {}) });
  const filled = (value: Valued | undefined): value is Valued => value !== undefined && !isPlaceholder(value.value, rawOf(config, value.line));

  for (const instance of config.vrrpInstances) {
    const state = instance.state;
    if (filled(state) && state.value !== 'MASTER' && state.value !== 'BACKUP') at('state-invalid', state.line, { value: state.value });
    if (!instance.virtualRouterId) at('vrid-missing', instance.line, { instance: instance.name });
    else if (filled(instance.virtualRouterId) && !inRange(instance.virtualRouterId.value, 1, 255)) at('vrid-invalid', instance.virtualRouterId.line, { value: instance.virtualRouterId.value });
    if (filled(instance.priority) && !inRange(instance.priority.value, 1, 255)) at('priority-invalid', instance.priority.line, { value: instance.priority.value });
    if (filled(instance.advertInt) && !(Number(instance.advertInt.value) > 0)) at('advert-int-invalid', instance.advertInt.line, { value: instance.advertInt.value });
    if (filled(instance.authType) && instance.authType.value !== 'PASS' && instance.authType.value !== 'AH') at('auth-type-invalid', instance.authType.line, { value: instance.authType.value });
    const pass = instance.authPass;
    if (pass && Buffer.byteLength(pass.value) > AUTH_PASS_BYTES) {
      at('auth-pass-truncated', pass.line, { length: pass.value.length, used: Buffer.from(pass.value).subarray(0, AUTH_PASS_BYTES).toString() });
    }
    if (!instance.interface) at('interface-missing', instance.line, { instance: instance.name });
    checkVirtualAddresses(instance, at);
    if (instance.nopreempt && state?.value === 'MASTER') at('nopreempt-on-master', instance.nopreempt.line);
    checkTrackScripts(config, instance, at);
  }
  return findings;
}

function checkVirtualAddresses(instance: VrrpInstance, at: (code: string, line: number, params?: Record<string, string | number>) => void): void {
  if (instance.virtualIpaddresses.length === 0) return void at('vip-missing', instance.line, { instance: instance.name });
  for (const vip of instance.virtualIpaddresses) {
    if (parseIpv4(vip.address) === undefined) {
      if (!isPlaceholder(vip.address, '')) at('vip-invalid', vip.line, { value: vip.address });
    } else if (vip.dev && instance.interface && vip.dev !== instance.interface.value) {
      at('vip-dev-mismatch', vip.line, { dev: vip.dev, interface: instance.interface.value });
    }
  }
}

/** keepalived 2.2 resolves track_script names while it parses, so a vrrp_script must come first. */
function checkTrackScripts(config: KeepalivedConfig, instance: VrrpInstance, at: (code: string, line: number, params?: Record<string, string | number>) => void): void {
  for (const tracked of instance.trackScripts) {
    const script = config.vrrpScripts.find((candidate) => candidate.name === tracked.value);
    if (!script) at('track-script-undefined', tracked.line, { name: tracked.value });
    else if (script.line > instance.line) at('track-script-order', tracked.line, { name: tracked.value });
  }
}

function inRange(text: string, min: number, max: number): boolean {
  return /^\d+$/.test(text) && Number(text) >= min && Number(text) <= max;
}

/** The raw text of the statement on a line (for quote-aware placeholder checks). */
function rawOf(config: KeepalivedConfig, line: number): string {
  let found = '';
  const visit = (list: KeepalivedConfig['statements']) => {
    for (const statement of list) {
      if (statement.line === line) found = statement.raw;
      if (statement.children) visit(statement.children);
    }
  };
  visit(config.statements);
  return found;
}
