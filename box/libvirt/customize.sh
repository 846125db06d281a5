#!/bin/sh
# mmdebstrap customize hook for the libvirt box: a whole Debian VM that Vagrant drives (its
# `vagrant` user, insecure key, DHCP on eth0 for the management network), booted by libvirt with
# the box's own kernel and initrd. $1: the root directory being built; $2: Vagrant's public
# insecure key (shipped with Vagrant), which Vagrant swaps for a key of its own at the first boot.
set -eu
root=${1:?usage: customize.sh ROOTDIR VAGRANT_PUBLIC_KEY}
key=${2:?usage: customize.sh ROOTDIR VAGRANT_PUBLIC_KEY}
units=$root/etc/systemd/system

chroot "$root" useradd --create-home --shell /bin/bash vagrant
install -d -m 0700 "$root/home/vagrant/.ssh"
install -m 0600 "$key" "$root/home/vagrant/.ssh/authorized_keys"
chroot "$root" chown -R vagrant:vagrant /home/vagrant
printf 'vagrant ALL=(ALL) NOPASSWD: ALL\nDefaults:vagrant !requiretty\n' > "$root/etc/sudoers.d/vagrant"
chmod 0440 "$root/etc/sudoers.d/vagrant"

# eth0 (net.ifnames=0 on the kernel command line) is libvirt's management network: DHCP from its
# dnsmasq, which is how vagrant-libvirt learns the address. Vagrant configures eth1 itself.
mkdir -p "$root/etc/systemd/network" "$units/multi-user.target.wants" "$units/sockets.target.wants" "$units/network-online.target.wants"
printf '[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\n' > "$root/etc/systemd/network/10-eth0.network"
ln -sf /lib/systemd/system/systemd-networkd.service "$units/multi-user.target.wants/systemd-networkd.service"
ln -sf /lib/systemd/system/systemd-networkd.socket "$units/sockets.target.wants/systemd-networkd.socket"

# Host keys are made at each VM's first boot: the box is shared by every VM made from it.
rm -f "$root"/etc/ssh/ssh_host_*
cat > "$units/lab-ssh-host-keys.service" <<'UNIT'
[Unit]
Description=SSH host keys of this VM, made at its first boot
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
WantedBy=ssh.service
UNIT
mkdir -p "$units/ssh.service.wants"
ln -sf ../lab-ssh-host-keys.service "$units/ssh.service.wants/lab-ssh-host-keys.service"

# Units with no job in a disposable lab VM; each is a start the emulated CPU pays for.
for unit in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer fstrim.timer e2scrub_reap.service ipvsadm.service; do
  ln -sf /dev/null "$units/$unit"
done

printf '/dev/vda / ext4 rw,noatime 0 1\n' > "$root/etc/fstab"
: > "$root/etc/machine-id"
printf 'node\n' > "$root/etc/hostname"
printf '127.0.0.1 localhost\n' > "$root/etc/hosts"
