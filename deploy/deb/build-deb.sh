#!/bin/bash
# build-deb.sh — turns a distribution archive into a Debian package (plain dpkg-deb, no build system):
#   deploy/deb/build-deb.sh perception-node/target/mdeas-perception-<version>-linux-arm64.tar.gz [out-dir]
# The file tree is staged by install.sh (DESTDIR) so the .deb and install.sh lay out the same system; what
# install.sh would run (useradd, chown, systemctl) becomes the maintainer scripts. The configuration files
# are conffiles: dpkg keeps edited ones on upgrade and asks.
set -euo pipefail

die() { echo "build-deb.sh: $*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: build-deb.sh <mdeas-perception-VERSION-PLATFORM.tar.gz> [out-dir]"
archive=$1
out=${2:-$(dirname "$archive")}
[ -f "$archive" ] || die "$archive does not exist: build it with mvn package"
command -v dpkg-deb >/dev/null || die "dpkg-deb not found: apt install dpkg-dev"
here=$(cd "$(dirname "$0")" && pwd -P)

case "$(basename "$archive")" in
    *-linux-x86_64.tar.gz) arch=amd64 ;;
    *-linux-arm64.tar.gz) arch=arm64 ;;
    *) die "$(basename "$archive") names no platform (…-linux-x86_64.tar.gz or …-linux-arm64.tar.gz)" ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$archive" -C "$work"
dist=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n 1)
version=$(tr -d '[:space:]' < "$dist/VERSION")
# Debian orders 1.0~SNAPSHOT before 1.0; '-' would mean a Debian revision.
deb_version=${version//-/\~}

root=$work/root
DESTDIR=$root "$dist/install.sh" --dist "$dist" --profile robot-jetson --gpu none --no-start >/dev/null
rm -f "$root/install-actions.log"
# A package's unit belongs in /lib/systemd/system; /etc/systemd/system stays the admin's.
mkdir -p "$root/lib/systemd/system"
mv "$root/etc/systemd/system/mdeas-perception.service" "$root/lib/systemd/system/"
rm -rf "$root/etc/systemd"
# Created by postinst with the right owner; an empty state dir in the package would be owned by root.
rm -rf "$root/var"
# Packages do not install into /usr/local.
mkdir -p "$root/usr/bin"
mv "$root/usr/local/bin/mdeas-perception" "$root/usr/bin/mdeas-perception"
rm -rf "$root/usr/local"

mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: mdeas-perception
Version: $deb_version
Architecture: $arch
Maintainer: MDEAS <mdeas@example.invalid>
Depends: openjdk-17-jre-headless | java17-runtime-headless, passwd
Recommends: mosquitto
Section: misc
Priority: optional
Installed-Size: $(du -sk "$root" | cut -f1)
Homepage: https://example.invalid/mdeas
Description: MDEAS perception node (obstacle detection over MQTT)
 Camera frames to change masks and metric depth (ONNX Runtime), obstacles,
 events and a virtual laser scan published over MQTT, as a hardened
 systemd service (Type=notify with a frame-flow watchdog).
CONTROL
printf '/etc/mdeas/perception.yaml\n/etc/mdeas/perception.env\n' > "$root/DEBIAN/conffiles"
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$root/DEBIAN/"

mkdir -p "$out"
deb=$out/mdeas-perception_${deb_version}_$arch.deb
dpkg-deb --build --root-owner-group "$root" "$deb" >/dev/null
echo "$deb"
