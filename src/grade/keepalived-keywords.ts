import type { Statement } from './keepalived-syntax.js';
import type { RawFinding } from './types.js';

/*
 * The keywords keepalived 2.2.7 (Debian 12's, the lab's) installs for the blocks students write,
 * as listed by its own parsers (keepalived/vrrp/vrrp_parser.c, keepalived/check/check_parser.c,
 * the checkers' files). keepalived ignores an unknown keyword with "Unknown keyword '…'", so a
 * typo silently drops a setting: the grader says so before the lab runs.
 */

const ROOT = [
  'global_defs', 'include', 'vrrp_instance', 'vrrp_script', 'vrrp_sync_group', 'vrrp_track_process', 'vrrp_track_file',
  'track_file', 'virtual_server', 'virtual_server_group', 'static_ipaddress', 'static_routes', 'static_rules', 'garp_group',
  'linkbeat_interfaces', 'linkbeat_use_polling', 'net_namespace', 'net_namespace_ipvs', 'namespace_with_ipsets',
  'bfd_instance', 'use_pid_dir', 'child_wait_time', 'instance', 'interface_up_down_delays', 'track_group', 'SSL',
];

const VRRP_INSTANCE = [
  'use_vmac', 'use_vmac_addr', 'vmac_xmit_base', 'use_ipvlan', 'unicast_peer', 'unicast_fault_no_peer', 'check_unicast_src',
  'old_unicast_checksum', 'native_ipv6', 'state', 'interface', 'vrf', 'dont_track_primary', 'track_interface', 'track_script',
  'track_file', 'track_process', 'track_bfd', 'mcast_src_ip', 'unicast_src_ip', 'mcast_dst_ip', 'track_src_ip',
  'virtual_router_id', 'unicast_ttl', 'version', 'priority', 'advert_int', 'virtual_ipaddress', 'virtual_ipaddress_excluded',
  'promote_secondaries', 'linkbeat_use_polling', 'virtual_routes', 'virtual_rules', 'accept', 'no_accept',
  'skip_check_adv_addr', 'strict_mode', 'preempt', 'nopreempt', 'preempt_delay', 'debug', 'notify_backup', 'notify_master',
  'notify_fault', 'notify_stop', 'notify_deleted', 'notify', 'notify_master_rx_lower_pri', 'smtp_alert',
  'notify_priority_changes', 'lvs_sync_daemon_interface', 'garp_master_delay', 'garp_master_refresh', 'garp_master_repeat',
  'garp_master_refresh_repeat', 'garp_lower_prio_delay', 'garp_lower_prio_repeat', 'down_timer_adverts', 'garp_extra_if',
  'vmac_garp_intvl', 'lower_prio_no_advert', 'higher_prio_send_advert', 'kernel_rx_buf_size', 'authentication',
];

const AUTHENTICATION = ['auth_type', 'auth_pass'];

const CHECKERS = ['TCP_CHECK', 'HTTP_GET', 'SSL_GET', 'MISC_CHECK', 'SMTP_CHECK', 'DNS_CHECK', 'BFD_CHECK', 'PING_CHECK', 'UDP_CHECK', 'FILE_CHECK'];

const VIRTUAL_SERVER = [
  'ip_family', 'retry', 'delay_before_retry', 'warmup', 'connect_timeout', 'delay_loop', 'inhibit_on_failure', 'lb_algo',
  'lvs_sched', 'hashed', 'ops', 'flag-1', 'flag-2', 'flag-3', 'sh-port', 'sh-fallback', 'mh-port', 'mh-fallback', 'lb_kind',
  'lvs_method', 'persistence_engine', 'persistence_timeout', 'persistence_granularity', 'protocol', 'ha_suspend',
  'smtp_alert', 'virtualhost', 'snmp_name', 'alpha', 'omega', 'quorum_up', 'quorum_down', 'quorum', 'hysteresis', 'weight',
  'sorry_server', 'sorry_server_inhibit', 'sorry_server_lvs_method', 'real_server',
];

const REAL_SERVER = [
  'weight', 'lvs_method', 'uthreshold', 'lthreshold', 'inhibit_on_failure', 'notify_up', 'notify_down', 'alpha', 'retry',
  'delay_before_retry', 'warmup', 'connect_timeout', 'delay_loop', 'smtp_alert', 'virtualhost', 'snmp_name', ...CHECKERS,
];

/** Blocks whose keywords are checked, by the keyword that opens them; others (global_defs, checkers) are not. */
const KNOWN: Record<string, ReadonlySet<string>> = {
  vrrp_instance: new Set(VRRP_INSTANCE),
  authentication: new Set(AUTHENTICATION),
  virtual_server: new Set(VIRTUAL_SERVER),
  real_server: new Set(REAL_SERVER),
};
const KNOWN_ROOT = new Set(ROOT);

/** Keywords keepalived 2.2.7 would reject as unknown, at root level and in the blocks listed above. */
export function checkKeywords(statements: Statement[], file: string): RawFinding[] {
  const findings: RawFinding[] = [];
  const visit = (list: Statement[], known: ReadonlySet<string> | undefined, block: string) => {
    for (const statement of list) {
      // $NAME=value defines a parameter at any level; keepalived expands it before parsing.
      if (known && !known.has(statement.keyword) && !statement.keyword.startsWith('$')) {
        findings.push({ code: 'unknown-keyword', file, line: statement.line, params: { keyword: statement.keyword, block } });
        continue;
      }
      if (statement.children) visit(statement.children, KNOWN[statement.keyword], statement.keyword);
    }
  };
  visit(statements, KNOWN_ROOT, 'top level');
  return findings;
}
