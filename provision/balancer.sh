#!/bin/bash
# A director: keepalived (VRRP, the VIP) with the rendered keepalived.conf, and the IPVS service
# from ipvs.rules (the same on every balancer, so the backup is ready when it takes the VIP), unless
# that file is empty: then keepalived's virtual_server blocks set IPVS up.
# Idempotent. Exit 3 means keepalived rejected the configuration (its messages are on stderr).
# Usage: balancer.sh DIR   (DIR holds node.env, keepalived.conf and ipvs.rules)
set -euo pipefail
dir=${1:?usage: balancer.sh DIR}
# shellcheck source=/dev/null
. "$dir/node.env"

# keepalived -t parses the file the way the daemon will. Its exit code is no verdict (2.2.x exits
# non-zero for the seed's own config, over its warnings), so its messages are sorted: the known
# warnings below are tolerated, anything else means keepalived rejects or ignores part of the file.
# A track script defined after its instance is dropped with a warning and keepalived runs without
# it (a graded student's config is run as keepalived would run it; the grader reports the warning).
warnings='Truncating auth_pass|SECURITY VIOLATION - scripts are being executed|resolved by path search|Script user .* does not exist|track script .* not found, ignoring'
messages=$(keepalived -t -f "$dir/keepalived.conf" 2>&1 | awk '!seen[$0]++') || true
if errors=$(printf '%s\n' "$messages" | grep -v -E "^$|$warnings"); then
  printf '%s\n' "$errors" >&2
  exit 3
fi
# Re-provisioning a running lab must not disturb it: reload IPVS and restart keepalived only when
# their configuration changed (a restart moves the VIP; clearing IPVS drops its connections).
# An empty ipvs.rules means keepalived's own virtual_server blocks manage IPVS: leave it to them.
modprobe ip_vs
# The spec's net.ipv4.vs sysctls (IPVS_SYSCTLS="name=value ...", a comma between a vector's values),
# set before keepalived starts the sync daemon, which reads some of them when it starts.
for setting in ${IPVS_SYSCTLS:-}; do
  sysctl -q -w "net.ipv4.vs.${setting%%=*}=$(printf '%s' "${setting#*=}" | tr ',' ' ')"
done
# Connection sync (IPVS_SYNC_INTERFACE set): every balancer runs the kernel's master and backup sync
# daemons all the time, so whichever one directs sends its connections and the other holds them.
# Not keepalived's lvs_sync_daemon: it stops and starts the daemons at each VRRP transition, and on
# a busy uml node its VRRP process hung when a takeover was undone within tens of milliseconds.
if [ -n "${IPVS_SYNC_INTERFACE:-}" ]; then
  for state in master backup; do
    want="mcast=$IPVS_SYNC_INTERFACE, syncid=$IPVS_SYNC_ID,${IPVS_SYNC_MAXLEN:+ maxlen=$IPVS_SYNC_MAXLEN,}"
    running=$(ipvsadm -L --daemon | grep "^$state sync daemon" || true)
    case "$running" in *"$want"*) continue ;; esac
    [ -z "$running" ] || ipvsadm --stop-daemon "$state"
    ipvsadm --start-daemon "$state" --mcast-interface "$IPVS_SYNC_INTERFACE" --syncid "$IPVS_SYNC_ID" ${IPVS_SYNC_MAXLEN:+--sync-maxlen "$IPVS_SYNC_MAXLEN"}
  done
fi
if [ -s "$dir/ipvs.rules" ]; then
  if [ "$(ipvsadm-save -n)" != "$(cat "$dir/ipvs.rules")" ]; then
    ipvsadm -C
    ipvsadm-restore < "$dir/ipvs.rules"
  fi
  install -m 0644 "$dir/ipvs.rules" /etc/ipvsadm.rules
fi

systemctl is-enabled --quiet keepalived || systemctl enable --quiet keepalived
if ! cmp -s "$dir/keepalived.conf" /etc/keepalived/keepalived.conf || ! systemctl is-active --quiet keepalived; then
  install -m 0644 "$dir/keepalived.conf" /etc/keepalived/keepalived.conf
  systemctl restart keepalived
fi
