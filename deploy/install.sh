#!/usr/bin/env bash
# Installs Farget on this host as a systemd service: `install.sh agent` or `install.sh scheduler`.
# Run from a built checkout (./farget builds launcher/target/farget.jar on first use).
set -euo pipefail
role="${1:?usage: install.sh agent|scheduler}"
case "$role" in agent|scheduler) ;; *) echo "usage: install.sh agent|scheduler" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root" >&2; exit 1; }
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
top="$(dirname "$here")"
jar="$top/launcher/target/farget.jar"
[ -f "$jar" ] || "$top/farget" --version >/dev/null
export DEBIAN_FRONTEND=noninteractive
pkgs=(openjdk-17-jre-headless)
[ "$role" = agent ] && pkgs+=(runc)
echo "install.sh: installing Debian packages: ${pkgs[*]}"
apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
install -d /opt/farget /etc/farget "/var/lib/farget/$role"
install -m 0644 "$jar" /opt/farget/farget.jar
install -m 0644 "$top/README.md" /opt/farget/README.md
[ -f "/etc/farget/$role.env" ] || install -m 0644 "$here/config/$role.env" "/etc/farget/$role.env"
install -m 0644 "$here/systemd/farget-$role.service" /etc/systemd/system/
systemctl daemon-reload
systemctl enable --now "farget-$role.service"
echo "install.sh: farget-$role is running; edit /etc/farget/$role.env (ZooKeeper or scheduler addresses) and restart it"
