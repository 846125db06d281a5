#!/bin/bash
# A real server for LVS direct routing: each VIP (VIPS, one per VRRP instance) on lo as /32 so the
# node accepts packets for it, and ARP settings so it never answers ARP for a VIP (only the active
# director may). Idempotent.
# Usage: backend.sh DIR
set -euo pipefail
dir=${1:?usage: backend.sh DIR}
# shellcheck source=/dev/null
. "$dir/node.env"

cat > /etc/sysctl.d/90-lvs-dr.conf <<CONF
net.ipv4.conf.all.arp_ignore = 1
net.ipv4.conf.all.arp_announce = 2
CONF
sysctl -q -p /etc/sysctl.d/90-lvs-dr.conf

# A unit keeps the VIPs on lo across reboots (Vagrant's reload) as well as now.
cat > /etc/systemd/system/lab-vip-on-lo.service <<UNIT
[Unit]
Description=LVS-DR: the VIPs $VIPS on lo
Before=nginx.service
[Service]
Type=oneshot
RemainAfterExit=yes
$(for vip in $VIPS; do echo "ExecStart=/sbin/ip addr replace $vip/32 dev lo"; done)
[Install]
WantedBy=multi-user.target
UNIT
# Enabling by symlink: the unit matters at the next boot, and systemctl is slow under uml.
mkdir -p /etc/systemd/system/multi-user.target.wants
ln -sf /etc/systemd/system/lab-vip-on-lo.service /etc/systemd/system/multi-user.target.wants/lab-vip-on-lo.service
for vip in $VIPS; do ip addr replace "$vip/32" dev lo; done
