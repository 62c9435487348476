#!/usr/bin/env bash
# Build a minimal Debian base image from Debian's own packages, with no
# container registry involved:
#
#     bash containers/base/debootstrap.sh SUITE TAG
#     bash containers/base/debootstrap.sh forky xepspec-base:forky
#
# debootstrap --variant=minbase SUITE into a temporary folder, make the tree
# look like a registry's `debian:SUITE-slim` (apt sources for SUITE,
# SUITE-updates and SUITE-security, no docs/man/locales, apt caches cleaned
# after each run, service starts blocked by policy-rc.d), then `docker import`
# it as TAG.
#
# Mirror: the Debian mirror of the host's own apt configuration
# (/etc/apt/sources.list.d/*.sources, /etc/apt/sources.list{,.d/*.list}),
# else debootstrap's built-in default. Override with XEPSPEC_MIRROR and
# XEPSPEC_SECURITY_MIRROR (empty string = no security source).
#
# Keys: the host's debian-archive-keyring is used when it verifies SUITE's
# InRelease. When it does not (a suite signed by a key newer than the host's
# keyring), a newer debian-archive-keyring .deb is taken from the mirror's
# `stable` suite, checked through stable's InRelease (host keys) -> Packages
# SHA256 -> .deb SHA256, unpacked into the temporary folder and passed to
# debootstrap with --keyring. (XEPSPEC_FORCE_KEYRING_FETCH=1 forces that path.)
#
# Must run as root (debootstrap needs it). Needs debootstrap, gpgv, docker,
# and curl or wget.
set -Eeuo pipefail

PROG=debootstrap.sh
say() { printf '%s: %s\n' "$PROG" "$*"; }
warn() { printf '%s: warning: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

if [ "$#" -ne 2 ] || [ -z "$1" ] || [ -z "$2" ]; then
    printf 'usage: %s SUITE TAG   (e.g. %s bookworm xepspec-base:bookworm)\n' "$0" "$0" >&2
    exit 2
fi
SUITE=$1
TAG=$2
case "$SUITE" in
    *[!a-z0-9-]*) die "suspicious suite name '$SUITE'" ;;
esac

START=$(date +%s)
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap needs root)"
for tool in debootstrap gpgv docker tar sha256sum dpkg-deb; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found in PATH"
done
if command -v curl >/dev/null 2>&1; then
    fetch() { curl -fsSL --retry 3 -o "$2" "$1"; }
    exists() { curl -fsIL --retry 3 -o /dev/null "$1"; }
elif command -v wget >/dev/null 2>&1; then
    fetch() { wget -q --tries=3 -O "$2" "$1"; }
    exists() { wget -q --tries=3 --spider "$1"; }
else
    die "need curl or wget"
fi
docker info >/dev/null 2>&1 || die "cannot talk to the Docker daemon"

# --- temporary folder, cleaned on every exit -------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/xepspec-debootstrap.XXXXXX")
ROOTFS=$WORK/rootfs
mounts_under() {
    # mount points below $1, deepest first
    awk -v p="$1/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r
}
cleanup() {
    local rc=$? m
    trap - EXIT INT TERM HUP
    for m in $(mounts_under "$WORK"); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    if [ -n "$(mounts_under "$WORK")" ]; then
        printf '%s: error: still mounted below %s, not deleting it\n' "$PROG" "$WORK" >&2
    else
        rm -rf --one-file-system "$WORK"
    fi
    if [ "$rc" -ne 0 ]; then
        printf '%s: FAILED (exit %s) building %s for %s\n' "$PROG" "$rc" "$TAG" "$SUITE" >&2
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# --- mirrors from the host's apt configuration -----------------------------
# Prints "URI SUITE" per enabled `deb` source, deb822 files and one-line files.
host_sources() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        awk '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && enabled != "no")
                    for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) print u[i], s[j]
                types = ""; enabled = ""; nu = 0; ns = 0
            }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            /^[A-Za-z-]+:/ {
                key = tolower($1); sub(/:$/, "", key)
                val = $0; sub(/^[^:]*:[ \t]*/, "", val)
                if (key == "types") types = val
                else if (key == "enabled") enabled = tolower(val)
                else if (key == "uris") nu = split(val, u, /[ \t]+/)
                else if (key == "suites") ns = split(val, s, /[ \t]+/)
            }
            END { flush() }
        ' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        awk '
            $1 != "deb" { next }
            {
                i = 2
                if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                if (i + 1 <= NF) print $i, $(i + 1)
            }
        ' "$f"
    done
}
usable_uri() {
    case "$1" in http://*|https://*|ftp://*) return 0 ;; *) return 1 ;; esac
}
MIRROR=${XEPSPEC_MIRROR-}
SECURITY_MIRROR=${XEPSPEC_SECURITY_MIRROR-}
MIRROR_FROM="XEPSPEC_MIRROR"
if [ -z "$MIRROR" ]; then
    while read -r uri suite; do
        usable_uri "$uri" || continue
        case "$suite" in
            */updates|*-security) ;;
            *) MIRROR=$uri; MIRROR_FROM="host apt configuration"; break ;;
        esac
    done < <(host_sources)
fi
if [ -z "${XEPSPEC_SECURITY_MIRROR+set}" ]; then
    while read -r uri suite; do
        usable_uri "$uri" || continue
        case "$suite" in
            */updates|*-security) SECURITY_MIRROR=$uri; break ;;
        esac
    done < <(host_sources)
fi
if [ -z "$MIRROR" ]; then
    MIRROR=$(sed -n 's/^DEF_MIRROR="\(.*\)"$/\1/p' "$(command -v debootstrap)" | head -n 1)
    MIRROR_FROM="debootstrap's default"
    [ -n "$MIRROR" ] || die "no Debian mirror in the host's apt configuration and none in debootstrap; set XEPSPEC_MIRROR"
fi
MIRROR=${MIRROR%/}
SECURITY_MIRROR=${SECURITY_MIRROR%/}
say "suite $SUITE -> image $TAG"
say "mirror $MIRROR ($MIRROR_FROM)"

# The suite must exist on that mirror and be Debian's.
fetch "$MIRROR/dists/$SUITE/InRelease" "$WORK/InRelease" \
    || die "cannot download $MIRROR/dists/$SUITE/InRelease (unknown suite, or mirror unreachable?)"
grep -q '^Origin: Debian$' "$WORK/InRelease" \
    || die "$MIRROR/dists/$SUITE is not a Debian archive (Origin is not Debian); set XEPSPEC_MIRROR"

# --- debootstrap script: the suite's own, or sid's for suites too new -------
DEBOOTSTRAP_DIR=${DEBOOTSTRAP_DIR:-/usr/share/debootstrap}
SCRIPT_ARG=""
if [ -e "$DEBOOTSTRAP_DIR/scripts/$SUITE" ]; then
    say "debootstrap script: $SUITE"
else
    [ -e "$DEBOOTSTRAP_DIR/scripts/sid" ] || die "debootstrap has neither a '$SUITE' nor a 'sid' script"
    SCRIPT_ARG=sid
    say "debootstrap has no script for $SUITE: using the sid script"
fi

# --- keyring ----------------------------------------------------------------
HOST_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
verifies() { # signed-file keyring
    gpgv --keyring "$2" "$1" >/dev/null 2>&1
}
KEYRING=""
if [ -r "$HOST_KEYRING" ] && [ "${XEPSPEC_FORCE_KEYRING_FETCH:-0}" != 1 ] \
    && verifies "$WORK/InRelease" "$HOST_KEYRING"; then
    KEYRING=$HOST_KEYRING
    say "keyring: host's $HOST_KEYRING verifies $SUITE"
else
    if [ "${XEPSPEC_FORCE_KEYRING_FETCH:-0}" = 1 ]; then
        say "keyring: XEPSPEC_FORCE_KEYRING_FETCH=1, fetching debian-archive-keyring from stable"
    else
        say "keyring: the host's keys do not verify $SUITE's InRelease; fetching a newer debian-archive-keyring from stable"
    fi
    [ -r "$HOST_KEYRING" ] || die "no $HOST_KEYRING on the host to start a chain of trust from; install debian-archive-keyring"
    command -v xz >/dev/null 2>&1 || die "'xz' not found in PATH (needed to read stable's Packages.xz)"
    K=$WORK/keyring
    mkdir -p "$K"
    fetch "$MIRROR/dists/stable/InRelease" "$K/InRelease" || die "cannot download stable's InRelease"
    gpgv --keyring "$HOST_KEYRING" --output "$K/Release" "$K/InRelease" >/dev/null 2>&1 \
        || die "the host's keyring verifies neither $SUITE nor stable; install a newer debian-archive-keyring on the host"
    sum=$(awk '/^SHA256:/ { in256 = 1; next } /^[^ ]/ { in256 = 0 }
               in256 && $3 == "main/binary-all/Packages.xz" { print $1; exit }' "$K/Release")
    [ -n "$sum" ] || die "stable's Release lists no main/binary-all/Packages.xz"
    fetch "$MIRROR/dists/stable/main/binary-all/Packages.xz" "$K/Packages.xz" || die "cannot download stable's Packages.xz"
    echo "$sum  $K/Packages.xz" | sha256sum -c --quiet - || die "stable's Packages.xz does not match its Release"
    read -r pool debsum < <(xz -dc "$K/Packages.xz" | awk '
        /^Package: / { p = $2 } /^Filename: / { f = $2 } /^SHA256: / { s = $2 }
        /^$/ { if (p == "debian-archive-keyring") { print f, s; exit } p = "" }') || true
    [ -n "${pool:-}" ] && [ -n "${debsum:-}" ] || die "no debian-archive-keyring in stable"
    fetch "$MIRROR/$pool" "$K/keyring.deb" || die "cannot download $pool"
    echo "$debsum  $K/keyring.deb" | sha256sum -c --quiet - || die "$pool does not match stable's Packages"
    dpkg-deb -x "$K/keyring.deb" "$K/root"
    KEYRING=$K/root/usr/share/keyrings/debian-archive-keyring.gpg
    [ -r "$KEYRING" ] || die "$pool has no usr/share/keyrings/debian-archive-keyring.gpg"
    say "keyring: $(basename "$pool") from stable"
    verifies "$WORK/InRelease" "$KEYRING" \
        || die "even stable's debian-archive-keyring does not verify $SUITE's InRelease"
fi

# --- debootstrap ---------------------------------------------------------------
say "debootstrap --variant=minbase $SUITE (this takes a few minutes)"
T0=$(date +%s)
mkdir -p "$ROOTFS"
if ! debootstrap --variant=minbase --keyring="$KEYRING" --components=main \
        "$SUITE" "$ROOTFS" "$MIRROR" $SCRIPT_ARG >"$WORK/debootstrap.out" 2>&1; then
    tail -n 30 "$WORK/debootstrap.out" >&2 || true
    if [ -r "$ROOTFS/debootstrap/debootstrap.log" ]; then
        printf -- '--- debootstrap.log (tail)\n' >&2
        tail -n 30 "$ROOTFS/debootstrap/debootstrap.log" >&2 || true
    fi
    die "debootstrap failed"
fi
say "debootstrap done in $(( $(date +%s) - T0 ))s"

# debootstrap unmounts what it mounted; never touch a tree that still has mounts.
[ -z "$(mounts_under "$ROOTFS")" ] || die "something is still mounted below $ROOTFS"

# --- make it look like a slim Debian image -------------------------------------
say "configuring apt sources, dpkg/apt settings and policy-rc.d"
dist_exists() { # base-uri dist -> 0 if its InRelease can be fetched; keeps it as $WORK/<dist>.InRelease
    fetch "$1/dists/$2/InRelease" "$WORK/$2.InRelease" 2>/dev/null
}
SUITES="$SUITE"
case "$SUITE" in
    sid|unstable|experimental|rc-buggy) ;;
    *) if dist_exists "$MIRROR" "$SUITE-updates"; then SUITES="$SUITE $SUITE-updates"; fi ;;
esac
# A mirror may list packages in a suite's index without serving them: a
# partial copy of the archive. Seen on this project's machines for
# bullseye-security (Debian 11, in LTS): its index names 3,816 packages and
# more than half answer 404, so `apt-get install` in a recipe fails halfway
# (ejabberd's erlang-odbc), while bullseye's own main suite is served whole.
# Probe 16 packages spread evenly over the suite's index (the same ones on
# every build, so the outcome is reproducible); if any is missing, leave the
# suite out and say so. Prints the number missing.
missing_from_pool() { # base-uri dist
    local arch list n step
    arch=$(dpkg --print-architecture)
    list=$WORK/$2.files
    fetch "$1/dists/$2/main/binary-$arch/Packages.xz" "$WORK/$2.Packages.xz" 2>/dev/null || { echo 0; return; }
    xz -dc "$WORK/$2.Packages.xz" 2>/dev/null | awk '/^Filename: / { print $2 }' >"$list" || { echo 0; return; }
    n=$(wc -l <"$list")
    [ "$n" -gt 0 ] || { echo 0; return; }
    step=$(( (n + 15) / 16 ))
    awk -v s="$step" 'NR % s == 1' "$list" | while read -r f; do
        exists "$1/$f" || echo "$f"
    done | wc -l
}
SEC_OK=0
case "$SUITE" in
    sid|unstable|experimental|rc-buggy) ;;
    *) if [ -n "$SECURITY_MIRROR" ] && dist_exists "$SECURITY_MIRROR" "$SUITE-security"; then
           SEC_OK=1
           if command -v xz >/dev/null 2>&1; then
               lost=$(missing_from_pool "$SECURITY_MIRROR" "$SUITE-security")
               if [ "$lost" -gt 0 ]; then
                   warn "$SECURITY_MIRROR serves only part of $SUITE-security ($lost of 16 sampled packages missing): leaving it out of the image's apt sources; set XEPSPEC_SECURITY_MIRROR to a mirror that has it"
                   SEC_OK=0
                   rm -f "$WORK/$SUITE-security.InRelease"
               fi
           else
               warn "'xz' not found: cannot check that $SECURITY_MIRROR serves $SUITE-security whole"
           fi
       fi ;;
esac
rm -f "$ROOTFS/etc/apt/sources.list"
{
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$MIRROR" "$SUITES"
    if [ "$SEC_OK" = 1 ]; then
        printf '\nTypes: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
            "$SECURITY_MIRROR" "$SUITE-security"
    fi
} >"$ROOTFS/etc/apt/sources.list.d/debian.sources"
if [ "$SEC_OK" = 1 ]; then say "apt sources: $SUITES + $SUITE-security"; else say "apt sources: $SUITES (no security source)"; fi

# The rootfs's own keyring package must know the keys that sign its suites;
# if we needed a newer keyring above, put it where Signed-By points.
if [ "$KEYRING" != "$HOST_KEYRING" ] && ! verifies "$WORK/InRelease" "$ROOTFS/usr/share/keyrings/debian-archive-keyring.gpg"; then
    cp "$KEYRING" "$ROOTFS/usr/share/keyrings/debian-archive-keyring.gpg"
    warn "copied the fetched keyring into the image (its own debian-archive-keyring is older)"
fi

# A mirror that serves a frozen copy of the archive (snapshot-style) has
# InRelease files past their Valid-Until (testing's is only a week); apt-get
# update in the image would then refuse them. Only in that case, turn the
# check off inside this base image, and say so.
now=$(date -u +%s)
stale=""
for f in "$WORK/InRelease" "$WORK"/*.InRelease; do
    [ -r "$f" ] || continue
    vu=$(sed -n 's/^Valid-Until: //p' "$f" | head -n 1)
    [ -n "$vu" ] || continue
    vus=$(date -u -d "$vu" +%s 2>/dev/null) || continue
    if [ "$vus" -lt "$now" ]; then
        stale="$stale $(sed -n 's/^Codename: //p; s/^Suite: //p' "$f" | tail -n 1)(until $vu)"
    fi
done
if [ -n "$stale" ]; then
    warn "the mirror's Release files are past Valid-Until:$stale; setting Acquire::Check-Valid-Until \"false\" in the image"
    cat >"$ROOTFS/etc/apt/apt.conf.d/99xepspec-stale-mirror" <<'EOF'
// Written by xepspec's debootstrap.sh: the mirror this base was built from
// served Release files past their Valid-Until date (a frozen/snapshot mirror).
Acquire::Check-Valid-Until "false";
EOF
fi

# Never start services from maintainer scripts (same as registry images).
cat >"$ROOTFS/usr/sbin/policy-rc.d" <<'EOF'
#!/bin/sh
# Written by xepspec's debootstrap.sh: no service starts inside images.
exit 101
EOF
chmod 0755 "$ROOTFS/usr/sbin/policy-rc.d"

# apt/dpkg settings of Debian's slim images.
cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/docker-apt-speedup" <<'EOF'
force-unsafe-io
EOF
cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# Slim image: no documentation, manual pages or translations.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
cat >"$ROOTFS/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
cat >"$ROOTFS/etc/apt/apt.conf.d/docker-no-languages" <<'EOF'
Acquire::Languages "none";
EOF
cat >"$ROOTFS/etc/apt/apt.conf.d/docker-gzip-indexes" <<'EOF'
Acquire::GzipIndexes "true";
EOF
cat >"$ROOTFS/etc/apt/apt.conf.d/docker-autoremove-suggests" <<'EOF'
Apt::AutoRemove::SuggestsImportant "false";
EOF
# Drop what debootstrap already unpacked but slim images do not carry.
find "$ROOTFS/usr/share/doc" -mindepth 2 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$ROOTFS/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* "$ROOTFS"/usr/share/groff/* \
       "$ROOTFS"/usr/share/lintian/* "$ROOTFS"/usr/share/linda/*
find "$ROOTFS/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true

# --- clean ----------------------------------------------------------------------
say "cleaning apt lists, caches, logs and host-specific files"
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/* "$ROOTFS"/var/cache/debconf/*-old \
       "$ROOTFS"/var/lib/dpkg/*-old "$ROOTFS"/var/log/apt/* "$ROOTFS"/var/log/*.log \
       "$ROOTFS"/tmp/* "$ROOTFS"/var/tmp/* "$ROOTFS"/debootstrap
mkdir -p "$ROOTFS/var/lib/apt/lists/partial" "$ROOTFS/var/cache/apt/archives/partial"
# Docker provides these at run time.
rm -f "$ROOTFS/etc/hostname" "$ROOTFS/etc/resolv.conf"
: >"$ROOTFS/etc/hostname"
: >"$ROOTFS/etc/resolv.conf"
if [ -e "$ROOTFS/etc/machine-id" ]; then : >"$ROOTFS/etc/machine-id"; fi
rm -rf "${ROOTFS:?}"/dev/* "${ROOTFS:?}"/proc/* "${ROOTFS:?}"/sys/* "${ROOTFS:?}"/run/* 2>/dev/null || true

# --- import -------------------------------------------------------------------------
say "docker import -> $TAG"
VERSION=$(cat "$ROOTFS/etc/debian_version" 2>/dev/null || echo unknown)
tar --numeric-owner -C "$ROOTFS" -c . | docker import \
    --change 'CMD ["/bin/bash"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL org.xepspec.base.suite=$SUITE" \
    --change "LABEL org.xepspec.base.debian-version=$VERSION" \
    --change "LABEL org.xepspec.base.built-by=debootstrap.sh" \
    --message "debootstrap --variant=minbase $SUITE ($VERSION)" \
    - "$TAG" >/dev/null || die "docker import failed"

say "done: $TAG (Debian $SUITE, debian_version $VERSION, $(docker image inspect --format '{{.Size}}' "$TAG" | awk '{ printf "%.0f MB", $1 / 1e6 }')) in $(( $(date +%s) - START ))s"
