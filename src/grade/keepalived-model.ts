import { parseSyntax, type Origin, type Statement } from './keepalived-syntax.js';
import { checkKeywords } from './keepalived-keywords.js';
import type { RawFinding } from './types.js';

/** A value as written, with the submission line it is on (numbers stay text: students write "number"). */
export interface Valued {
  value: string;
  line: number;
  /** The keyword it was given with, when keepalived has synonyms (lb_algo/lvs_sched). */
  keyword?: string;
}

export interface VirtualAddress {
  address: string;
  prefix?: number;
  dev?: string;
  line: number;
}

export interface VrrpInstance {
  name: string;
  line: number;
  state?: Valued;
  interface?: Valued;
  virtualRouterId?: Valued;
  priority?: Valued;
  advertInt?: Valued;
  version?: Valued;
  authType?: Valued;
  authPass?: Valued;
  virtualIpaddresses: VirtualAddress[];
  unicastSrcIp?: Valued;
  unicastPeers: Valued[];
  trackScripts: Valued[];
  nopreempt?: { line: number };
}

export interface VrrpScript {
  name: string;
  line: number;
  script?: Valued;
  interval?: Valued;
}

export interface RealServer {
  address: string;
  port?: string;
  line: number;
  weight?: Valued;
  /** Health checks by their block keyword (TCP_CHECK, HTTP_GET …). */
  checks: Valued[];
  /**
   * With health checks: the longest a failed real server waits to be checked again and answer,
   * delay_loop + connect_timeout (keepalived's defaults 60 s and 5 s; a check's own values win over
   * the real_server's, and those over the virtual_server's).
   */
  recoverySeconds?: number;
}

export interface VirtualServer {
  address: string;
  port?: string;
  line: number;
  protocol?: Valued;
  /** lb_algo or its synonym lvs_sched. */
  scheduler?: Valued;
  /** lb_kind or its synonym lvs_method. */
  forwarding?: Valued;
  persistenceTimeout?: Valued;
  realServers: RealServer[];
}

export interface KeepalivedConfig {
  origin: Origin;
  vrrpInstances: VrrpInstance[];
  vrrpScripts: VrrpScript[];
  virtualServers: VirtualServer[];
  statements: Statement[];
  findings: RawFinding[];
}

/** Parses a keepalived.conf into the parts the grader checks; unknown or malformed parts become findings. */
export function parseKeepalivedConfig(text: string, origin: Origin): KeepalivedConfig {
  const tree = parseSyntax(text, origin);
  const config: KeepalivedConfig = { origin, vrrpInstances: [], vrrpScripts: [], virtualServers: [], statements: tree.statements, findings: [...tree.findings] };
  config.findings.push(...checkKeywords(tree.statements, origin.file));
  for (const statement of tree.statements) {
    if (statement.keyword === 'vrrp_instance') config.vrrpInstances.push(vrrpInstance(statement));
    else if (statement.keyword === 'vrrp_script') config.vrrpScripts.push(vrrpScript(statement));
    else if (statement.keyword === 'virtual_server') config.virtualServers.push(virtualServer(statement));
    else if (statement.keyword === 'include') {
      config.findings.push({ code: 'include-not-followed', file: origin.file, line: statement.line, params: { target: statement.args.join(' ') } });
    }
  }
  return config;
}

function valued(statement: Statement): Valued {
  return { value: statement.args.join(' '), line: statement.line, keyword: statement.keyword };
}

/** Items of a list block (virtual_ipaddress, unicast_peer, track_script): each line's first word. */
function items(statement: Statement): Valued[] {
  return (statement.children ?? []).map((child) => ({ value: child.keyword, line: child.line }));
}

function vrrpInstance(block: Statement): VrrpInstance {
  const instance: VrrpInstance = { name: block.args[0] ?? '', line: block.line, virtualIpaddresses: [], unicastPeers: [], trackScripts: [] };
  for (const statement of block.children ?? []) {
    switch (statement.keyword) {
      case 'state': instance.state = valued(statement); break;
      case 'interface': instance.interface = valued(statement); break;
      case 'virtual_router_id': instance.virtualRouterId = valued(statement); break;
      case 'priority': instance.priority = valued(statement); break;
      case 'advert_int': instance.advertInt = valued(statement); break;
      case 'version': instance.version = valued(statement); break;
      case 'unicast_src_ip': instance.unicastSrcIp = valued(statement); break;
      case 'nopreempt': instance.nopreempt = { line: statement.line }; break;
      case 'unicast_peer': instance.unicastPeers.push(...items(statement)); break;
      case 'track_script': instance.trackScripts.push(...items(statement)); break;
      case 'virtual_ipaddress':
        instance.virtualIpaddresses.push(...(statement.children ?? []).map(virtualAddress));
        break;
      case 'authentication':
        for (const auth of statement.children ?? []) {
          if (auth.keyword === 'auth_type') instance.authType = valued(auth);
          if (auth.keyword === 'auth_pass') instance.authPass = valued(auth);
        }
        break;
    }
  }
  return instance;
}

/** "172.28.128.200/24 dev eth1 label eth1:1": the address, its prefix and its device. */
function virtualAddress(item: Statement): VirtualAddress {
  const [address = '', prefixText] = item.keyword.split('/');
  const devIndex = item.args.indexOf('dev');
  const dev = devIndex >= 0 ? item.args[devIndex + 1] : undefined;
  const prefix = prefixText !== undefined && /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : undefined;
  return { address, line: item.line, ...(prefix !== undefined ? { prefix } : {}), ...(dev ? { dev } : {}) };
}

function vrrpScript(block: Statement): VrrpScript {
  const script: VrrpScript = { name: block.args[0] ?? '', line: block.line };
  for (const statement of block.children ?? []) {
    if (statement.keyword === 'script') script.script = valued(statement);
    if (statement.keyword === 'interval') script.interval = valued(statement);
  }
  return script;
}

/** keepalived's checker defaults (check/check_api.c): a check every 60 s, 5 s to connect. */
const CHECKER_DEFAULTS = { delay_loop: 60, connect_timeout: 5 } as const;
type CheckerTimings = Record<keyof typeof CHECKER_DEFAULTS, number>;

/** The checker timings a block sets, over the ones it inherits. */
function checkerTimings(block: Statement, inherited: CheckerTimings): CheckerTimings {
  const timings = { ...inherited };
  for (const statement of block.children ?? []) {
    const value = Number(statement.args[0]);
    if ((statement.keyword === 'delay_loop' || statement.keyword === 'connect_timeout') && Number.isFinite(value) && value > 0) timings[statement.keyword] = value;
  }
  return timings;
}

function virtualServer(block: Statement): VirtualServer {
  const [address = '', port] = block.args;
  const timings = checkerTimings(block, CHECKER_DEFAULTS);
  const server: VirtualServer = { address, line: block.line, realServers: [], ...(port ? { port } : {}) };
  for (const statement of block.children ?? []) {
    switch (statement.keyword) {
      case 'protocol': server.protocol = valued(statement); break;
      case 'lb_algo': case 'lvs_sched': server.scheduler = valued(statement); break;
      case 'lb_kind': case 'lvs_method': server.forwarding = valued(statement); break;
      case 'persistence_timeout': server.persistenceTimeout = valued(statement); break;
      case 'real_server': server.realServers.push(realServer(statement, timings)); break;
    }
  }
  return server;
}

function realServer(block: Statement, inherited: CheckerTimings): RealServer {
  const [address = '', port] = block.args;
  const server: RealServer = { address, line: block.line, checks: [], ...(port ? { port } : {}) };
  const timings = checkerTimings(block, inherited);
  for (const statement of block.children ?? []) {
    if (statement.keyword === 'weight') server.weight = valued(statement);
    else if (/_CHECK$|_GET$/.test(statement.keyword)) {
      server.checks.push({ value: statement.keyword, line: statement.line });
      const own = checkerTimings(statement, timings);
      server.recoverySeconds = Math.max(server.recoverySeconds ?? 0, own.delay_loop + own.connect_timeout);
    }
  }
  return server;
}
