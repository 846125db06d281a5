#!/bin/sh
# mmdebstrap customize hook: trims the boot of a uml node (where every process start is slow) to
# what the lab uses. $1 is the root directory of the image being built.
set -eu
root=${1:?usage: customize.sh ROOTDIR}
units=$root/etc/systemd/system

# Units with no job in a disposable VM without consoles, timers, udev or persistent state.
# systemd-tmpfiles-setup is among them: a oneshot with no start timeout that everything waits for
# (it orders sysinit.target), so a stall of its one process under a loaded host held a node's boot
# without limit until the SSH deadline (seen once in ~60 boots). What it makes is of no use here:
# /var's files are in the image already, /tmp starts empty (a fresh copy-on-write disk each boot),
# and sshd, nginx, keepalived and journald make their own directories in /run.
for unit in \
  systemd-udevd.service systemd-udev-trigger.service systemd-udev-settle.service \
  systemd-udevd-control.socket systemd-udevd-kernel.socket \
  getty-static.service getty@.service serial-getty@.service console-getty.service \
  ipvsadm.service systemd-pstore.service e2scrub_reap.service systemd-random-seed.service \
  dev-mqueue.mount dev-hugepages.mount sys-kernel-debug.mount sys-kernel-tracing.mount \
  sys-fs-fuse-connections.mount sys-kernel-config.mount modprobe@.service \
  systemd-journal-flush.service systemd-update-utmp.service systemd-update-utmp-runlevel.service \
  kmod-static-nodes.service systemd-hwdb-update.service systemd-firstboot.service \
  systemd-machine-id-commit.service systemd-networkd-wait-online.service \
  apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer fstrim.timer \
  systemd-tmpfiles-clean.timer systemd-tmpfiles-setup.service \
  systemd-tmpfiles-setup-dev.service systemd-sysusers.service \
  systemd-modules-load.service systemd-sysctl.service systemd-user-sessions.service
do
  ln -sf /dev/null "$units/$unit"
done
# Also of no use here, each a process start that systemd-analyze timed at 2-4 s on a slow host
# (boot 30 s, 24 of them userspace): tmpfiles-setup-dev (devtmpfs has the nodes; kmod's static
# nodes are masked above), sysusers (the image's users exist), modules-load (modules-load.d is
# empty; balancer.sh loads ip_vs), sysctl (only pid_max and protected links; provisioning applies
# the lab's own sysctls itself), user-sessions (/run/nologin is never made: tmpfiles-setup is masked; root logs in regardless).
# remount-fs stays: it gives the root fstab's noatime, without which the first read of each file
# writes its access time through uml's slow block driver (see overlay/etc/fstab).

# systemd runs every generator at start, one process each, before any unit (seen: 10 s before the
# first mount). Only the fstab one has anything to read here; the others are masked by a link to
# /dev/null under their own name, as systemd.generator(7) allows.
mkdir -p "$root/etc/systemd/system-generators"
for generator in \
  systemd-cryptsetup-generator systemd-debug-generator systemd-getty-generator \
  systemd-gpt-auto-generator systemd-hibernate-resume-generator systemd-integritysetup-generator \
  systemd-rc-local-generator systemd-run-generator systemd-system-update-generator \
  systemd-sysv-generator systemd-veritysetup-generator
do
  ln -sf /dev/null "$root/etc/systemd/system-generators/$generator"
done
rm -f "$units"/getty.target.wants/* "$units"/timers.target.wants/*
ln -sf /lib/systemd/system/multi-user.target "$units/default.target"
mkdir -p "$units/sysinit.target.wants"
ln -sf /etc/systemd/system/lab-node-init.service "$units/sysinit.target.wants/lab-node-init.service"
ln -sf /etc/systemd/system/lab-disk-kick.service "$units/sysinit.target.wants/lab-disk-kick.service"

# No shared host keys: each node gets its own at boot (lab.hostkey=, see lab-node-init), kept in
# /run so it never lands on the node's copy-on-write disk, which the lab's other nodes could read.
rm -f "$root"/etc/ssh/ssh_host_*
ln -s /run/lab/ssh_host_ed25519_key "$root/etc/ssh/ssh_host_ed25519_key"

# An empty machine-id is filled at boot, so every node gets its own.
: > "$root/etc/machine-id"
printf 'node\n' > "$root/etc/hostname"
