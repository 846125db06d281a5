#!/bin/bash
# Every node: nginx serving a page that names the node (as in the course, nginx runs on all nodes,
# so keepalived's chk_nginx passes on the balancers too). Idempotent.
# Usage: common.sh DIR   (DIR holds node.env written by the orchestrator)
set -euo pipefail
dir=${1:?usage: common.sh DIR}
# shellcheck source=/dev/null
. "$dir/node.env"

# The lab network's interface must be there: a box with other interface names (enp0s8...) would
# otherwise fail later, in keepalived, with a less helpful message.
if ! ip link show "$LAB_INTERFACE" >/dev/null 2>&1; then
  echo "common.sh: this node has no interface $LAB_INTERFACE (networks.lab.interface in the lab spec); it has: $(ls /sys/class/net | tr '\n' ' ')" >&2
  exit 1
fi

need=()
command -v nginx >/dev/null || need+=(nginx-light)
if [ "$NODE_ROLE" = balancer ]; then
  command -v keepalived >/dev/null || need+=(keepalived)
  command -v ipvsadm >/dev/null || need+=(ipvsadm)
fi
if [ ${#need[@]} -gt 0 ]; then
  # Only boxes without the packages (e.g. a plain Vagrant box) get here; the uml image has them.
  # A fresh box may have no package lists yet.
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi

# The page names the node, so a client can tell which backend answered.
printf '%s\n' "$NODE_NAME" > /var/www/html/index.html
rm -f /var/www/html/index.nginx-debian.html
# Each answer names the client's source port: in direct routing the backend sees the client itself,
# so a scenario can find its own connections in IPVS's table (ipvsadm -Lnc).
header='add_header X-Client-Port $remote_port always;'
conf=/etc/nginx/conf.d/failover-lab.conf
reload=no
if [ "$(cat "$conf" 2>/dev/null)" != "$header" ]; then
  printf '%s\n' "$header" > "$conf"
  reload=yes
fi
# 'systemctl enable' of a unit with a SysV script runs update-rc.d: seconds under uml, so only when needed.
systemctl is-enabled --quiet nginx || systemctl enable --quiet nginx
if ! systemctl is-active --quiet nginx; then
  systemctl start nginx
elif [ "$reload" = yes ]; then
  systemctl reload nginx
fi
