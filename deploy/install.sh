#!/bin/bash
# install.sh — installs the MDEAS perception node on a robot as a systemd service (idempotent).
#
#   sudo ./install.sh [--profile robot-jetson|laptop-webcam|demo] [--gpu auto|jetson|nvidia|none] [--no-start]
#   sudo ./install.sh --dist mdeas-perception-<version>-linux-arm64.tar.gz ...
#   sudo ./install.sh --uninstall [--purge]
#
# What it does (every step is skipped when already done, so it can run again for upgrades):
#   - system user 'mdeas' (no login, home /var/lib/mdeas), member of 'video' for the cameras
#   - the distribution to /opt/mdeas-perception/releases/<version>, /opt/mdeas-perception/current -> it
#     (older releases stay for a rollback: ln -sfn releases/<old> /opt/mdeas-perception/current)
#   - /etc/mdeas/perception.yaml (from the profile) and /etc/mdeas/perception.env: installed when absent,
#     NEVER overwritten; a differing new default is written next to it as *.new
#   - the unit /etc/systemd/system/mdeas-perception.service (+ a GPU drop-in), enable, (re)start
# --uninstall stops and removes the service and the software; configuration, state and the user stay
# unless --purge.
#
# DESTDIR=/some/root installs into a staging tree instead (packaging, tests): nothing outside DESTDIR is
# touched; useradd, chown and systemctl are not run but written to $DESTDIR/install-actions.log.
set -euo pipefail

NAME=mdeas-perception
USER_NAME=mdeas
DESTDIR=${DESTDIR:-}
PREFIX=/opt/$NAME
CONF_DIR=/etc/mdeas
STATE_DIR=/var/lib/mdeas
UNIT_DIR=/etc/systemd/system
BIN_LINK=/usr/local/bin/$NAME
KEEP_RELEASES=3

die() { echo "install.sh: $*" >&2; exit 1; }
note() { echo "install.sh: $*"; }

usage() {
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

dist=""
profile=robot-jetson
gpu=auto
start=yes
action=install
purge=no
while [ $# -gt 0 ]; do
    case "$1" in
        --dist) [ $# -ge 2 ] || die "--dist needs a directory or a .tar.gz"; dist=$2; shift 2 ;;
        --profile) [ $# -ge 2 ] || die "--profile needs a name"; profile=$2; shift 2 ;;
        --gpu) [ $# -ge 2 ] || die "--gpu needs auto, jetson, nvidia or none"; gpu=$2; shift 2 ;;
        --no-start) start=no; shift ;;
        --uninstall) action=uninstall; shift ;;
        --purge) purge=yes; shift ;;
        -h|--help) usage 0 ;;
        *) echo "install.sh: unknown option '$1'" >&2; usage 2 ;;
    esac
done
case "$gpu" in auto|jetson|nvidia|none) ;; *) die "--gpu $gpu is not allowed: use auto, jetson, nvidia or none" ;; esac

if [ -n "$DESTDIR" ]; then
    DESTDIR=$(mkdir -p "$DESTDIR" && cd "$DESTDIR" && pwd -P)
    ACTIONS_LOG=$DESTDIR/install-actions.log
elif [ "$(id -u)" -ne 0 ]; then
    die "run as root (sudo $0 $*), or set DESTDIR to install into a staging directory"
fi

# Runs a command that changes the system outside the file tree (users, ownership, systemd).
# Under DESTDIR it is recorded instead, so a staged install never touches the host.
system() {
    if [ -n "$DESTDIR" ]; then
        echo "$*" >> "$ACTIONS_LOG"
    else
        "$@"
    fi
}

systemd_running() { [ -z "$DESTDIR" ] && [ -d /run/systemd/system ]; }

systemctl_do() {
    if [ -n "$DESTDIR" ] || systemd_running; then
        system systemctl "$@"
    else
        note "systemd is not running here: skipped 'systemctl $*'"
    fi
}

# Installs a configuration file unless one is there: an edited configuration is never overwritten.
install_config() {
    local src=$1 dst=$DESTDIR$2 mode=$3
    if [ ! -e "$dst" ]; then
        install -m "$mode" "$src" "$dst"
        system chown "root:$USER_NAME" "$2"
        note "installed $2"
    elif cmp -s "$src" "$dst"; then
        note "kept $2 (unchanged)"
    else
        install -m "$mode" "$src" "$dst.new"
        system chown "root:$USER_NAME" "$2.new"
        note "kept $2 (edited); the new default is in $2.new"
    fi
}

do_uninstall() {
    systemctl_do disable --now "$NAME.service"
    rm -f "$DESTDIR$UNIT_DIR/$NAME.service"
    rm -f "$DESTDIR$UNIT_DIR/$NAME.service.d/jetson.conf" "$DESTDIR$UNIT_DIR/$NAME.service.d/nvidia-gpu.conf"
    rmdir "$DESTDIR$UNIT_DIR/$NAME.service.d" 2>/dev/null || true
    systemctl_do daemon-reload
    if [ -L "$DESTDIR$BIN_LINK" ]; then rm -f "$DESTDIR$BIN_LINK"; fi
    rm -rf "$DESTDIR$PREFIX"
    note "removed the service and $PREFIX"
    if [ "$purge" = yes ]; then
        rm -rf "$DESTDIR$CONF_DIR" "$DESTDIR$STATE_DIR"
        if [ -n "$DESTDIR" ] || getent passwd "$USER_NAME" >/dev/null; then
            system userdel "$USER_NAME"
        fi
        note "purged $CONF_DIR, $STATE_DIR and the user $USER_NAME"
    else
        note "kept $CONF_DIR and $STATE_DIR (--purge removes them and the user)"
    fi
}

if [ "$action" = uninstall ]; then
    do_uninstall
    exit 0
fi

# --- the distribution to install ----------------------------------------------------------------------
here=$(cd "$(dirname "$0")" && pwd -P)
workdir=""
cleanup() { if [ -n "$workdir" ]; then rm -rf "$workdir"; fi; }
trap cleanup EXIT
if [ -z "$dist" ]; then
    [ -x "$here/bin/$NAME" ] && [ -d "$here/lib" ] \
        || die "no distribution next to this script: run the install.sh inside an unpacked mdeas-perception archive, or give --dist"
    dist=$here
elif [ -f "$dist" ]; then
    workdir=$(mktemp -d)
    tar -xzf "$dist" -C "$workdir" || die "cannot unpack $dist: expected a mdeas-perception-*.tar.gz"
    dist=$(find "$workdir" -mindepth 1 -maxdepth 1 -type d | head -n 1)
fi
[ -d "$dist" ] || die "distribution $dist does not exist"
[ -x "$dist/bin/$NAME" ] || die "$dist is not a mdeas-perception distribution (no bin/$NAME)"
[ -f "$dist/VERSION" ] || die "$dist has no VERSION file"
version=$(tr -d '[:space:]' < "$dist/VERSION")
[[ "$version" =~ ^[A-Za-z0-9._+-]+$ ]] || die "$dist/VERSION holds '$version', not a version"
profile_file=$dist/conf/profiles/$profile.yaml
[ -f "$profile_file" ] || die "unknown profile '$profile': choose one of $(cd "$dist/conf/profiles" && ls ./*.yaml | sed 's#^\./##; s/\.yaml$//' | tr '\n' ' ')"

if [ "$gpu" = auto ]; then
    if [ -e /etc/nv_tegra_release ]; then gpu=jetson
    elif [ -e /dev/nvidiactl ]; then gpu=nvidia
    else gpu=none
    fi
fi

# --- user -------------------------------------------------------------------------------------------
if [ -n "$DESTDIR" ] || ! getent passwd "$USER_NAME" >/dev/null; then
    system useradd --system --user-group --home-dir "$STATE_DIR" --no-create-home \
        --shell /usr/sbin/nologin --comment "MDEAS perception node" "$USER_NAME"
fi
for group in video render; do
    if [ -n "$DESTDIR" ] || getent group "$group" >/dev/null; then
        system usermod --append --groups "$group" "$USER_NAME"
    fi
done

# --- software ---------------------------------------------------------------------------------------
release=$PREFIX/releases/$version
mkdir -p "$DESTDIR$PREFIX/releases"
rm -rf "$DESTDIR$release.tmp"
mkdir "$DESTDIR$release.tmp"
cp -R "$dist/." "$DESTDIR$release.tmp/"
chmod -R u=rwX,go=rX "$DESTDIR$release.tmp"
chmod 0755 "$DESTDIR$release.tmp/bin/$NAME" "$DESTDIR$release.tmp/install.sh" 2>/dev/null || true
rm -rf "$DESTDIR$release"
mv "$DESTDIR$release.tmp" "$DESTDIR$release"
# Switch atomically: a new symlink renamed over the old one.
ln -sfn "releases/$version" "$DESTDIR$PREFIX/current.tmp"
mv -Tf "$DESTDIR$PREFIX/current.tmp" "$DESTDIR$PREFIX/current"
mkdir -p "$(dirname "$DESTDIR$BIN_LINK")"
ln -sfn "$PREFIX/current/bin/$NAME" "$DESTDIR$BIN_LINK"
note "installed $version in $release"
# Keep the newest few releases for rollbacks.
(cd "$DESTDIR$PREFIX/releases" && ls -1t | { grep -vxF "$version" || true; } | tail -n +"$KEEP_RELEASES" \
    | while read -r old; do rm -rf "./$old"; note "removed old release $old"; done)

# --- configuration and state ------------------------------------------------------------------------
mkdir -p "$DESTDIR$CONF_DIR"
chmod 0750 "$DESTDIR$CONF_DIR"
system chown "root:$USER_NAME" "$CONF_DIR"
install_config "$profile_file" "$CONF_DIR/perception.yaml" 0640
install_config "$dist/conf/perception.env" "$CONF_DIR/perception.env" 0640
mkdir -p "$DESTDIR$STATE_DIR"
chmod 0750 "$DESTDIR$STATE_DIR"
system chown "$USER_NAME:$USER_NAME" "$STATE_DIR"

# --- systemd ----------------------------------------------------------------------------------------
mkdir -p "$DESTDIR$UNIT_DIR"
install -m 0644 "$dist/systemd/$NAME.service" "$DESTDIR$UNIT_DIR/$NAME.service"
dropins=$DESTDIR$UNIT_DIR/$NAME.service.d
rm -f "$dropins/jetson.conf" "$dropins/nvidia-gpu.conf"
case "$gpu" in
    jetson) mkdir -p "$dropins"; install -m 0644 "$dist/systemd/$NAME.service.d/jetson.conf" "$dropins/jetson.conf" ;;
    nvidia) mkdir -p "$dropins"; install -m 0644 "$dist/systemd/$NAME.service.d/nvidia-gpu.conf" "$dropins/nvidia-gpu.conf" ;;
    none) ;;
esac
rmdir "$dropins" 2>/dev/null || true
note "installed $UNIT_DIR/$NAME.service (GPU drop-in: $gpu)"
systemctl_do daemon-reload
systemctl_do enable "$NAME.service"
if [ "$start" = yes ]; then
    systemctl_do restart "$NAME.service"
    note "started; follow it with: journalctl -u $NAME -f"
fi
