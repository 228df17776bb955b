#!/usr/bin/env bash
# The test suite on Python 3.14, which pyenv and Debian 12 do not have here: Debian's python3.14 (sid by default)
# in a chroot. The first run builds the tree with debootstrap (python3.14, venv, git, nodejs/npm for the npm test
# data, chromium for the web page's test: 2-6 min and 2 GB) and keeps it; every run then copies this checkout
# into it (the files git tracks plus untracked ones it does not ignore, committed there afresh: a test runs
# `pre-commit try-repo`), makes a fresh venv, installs the package with the test extras from PyPI and runs pytest.
#
#   bash scripts/test_python314.sh [pytest args...]   the whole suite
#   bash scripts/test_python314.sh --smoke            `pip install .` in a fresh venv (the README's quick start),
#                                                    then the sample app's JSON report must equal .venv's
#
# Debian sid changes every day: the tree is built once and reused, and each run prints the python3.14 it holds
# (Debian package version and `python --version`), so a change of interpreter shows in the log. PY314_REBUILD=1
# builds it again from today's archive. Other settings: PY314_ROOTFS (where the tree is kept; default
# ~/.cache/pipreqs-action/python3.14-<suite>), PY314_SUITE (sid), PY314_MIRROR (http://deb.debian.org/debian).
# Needs root (debootstrap, chroot, mounts in a private mount namespace that ends with the run), debootstrap
# (installed with apt-get when missing), Debian's mirror and PyPI; when one is missing it says which and fails.
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE="${PY314_SUITE:-sid}"
MIRROR="${PY314_MIRROR:-http://deb.debian.org/debian}"
ROOTFS="${PY314_ROOTFS:-${XDG_CACHE_HOME:-$HOME/.cache}/pipreqs-action/python3.14-$SUITE}"
PACKAGES="python3.14 python3.14-venv git nodejs npm ca-certificates chromium"
SHOWN_PACKAGES="python3.14 python3.14-venv nodejs chromium git"

say() { echo "python3.14: $*"; }
die() { echo "python3.14: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot and mount); not run"
for tool in unshare chroot mount tar; do
  command -v "$tool" >/dev/null || die "$tool is not installed; not run"
done

# The chroot's environment: nothing of the caller's but its proxy settings (pip, npm and git read them).
ENVIRONMENT=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
  DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1 NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
for name in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
  if [ -n "${!name:-}" ]; then ENVIRONMENT+=("$name=${!name}"); fi
done

in_root() {  # run "$@" in tree $1: its own mount namespace (proc, dev, sys, a fresh /tmp), the environment above
  local root="$1"
  shift
  unshare --mount --propagation private -- sh -c '
    root=$1; shift
    mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" && mount --rbind /sys "$root/sys" \
      && mount -t tmpfs tmpfs "$root/tmp" && exec chroot "$root" "$@"' sh "$root" env -i "${ENVIRONMENT[@]}" "$@"
}

build_root() {
  if ! command -v debootstrap >/dev/null; then
    command -v apt-get >/dev/null || die "debootstrap is not installed and there is no apt-get to install it; not run"
    say "installing Debian's debootstrap"
    apt-get install -y -qq --no-install-recommends debootstrap >/dev/null \
      || die "debootstrap is not installed and apt-get could not install it; not run"
  fi
  local partial="$ROOTFS.partial" log="$ROOTFS.log"
  rm -rf "$partial"
  mkdir -p "$partial"
  say "building a Debian $SUITE tree in $ROOTFS from $MIRROR (2-6 min, once; log: $log)"
  debootstrap --variant=minbase "$SUITE" "$partial" "$MIRROR" >"$log" 2>&1 \
    || die "debootstrap of Debian $SUITE from $MIRROR failed (is the mirror reachable from here?); see $log"
  # A certificate authority this machine adds (a TLS-inspecting proxy) must be trusted in the tree too.
  mkdir -p "$partial/usr/local/share/ca-certificates"
  find /usr/local/share/ca-certificates -name '*.crt' -exec cp {} "$partial/usr/local/share/ca-certificates/" \; \
    2>/dev/null || true
  in_root "$partial" apt-get install -y -q --no-install-recommends -o Acquire::Retries=3 $PACKAGES >>"$log" 2>&1 \
    || die "Debian $SUITE could not install $PACKAGES today (sid is sometimes uninstallable for a day); see $log"
  in_root "$partial" apt-get clean
  date -u '+%Y-%m-%d %H:%M UTC' >"$partial/etc/pipreqs-action-built"
  mv "$partial" "$ROOTFS"
}

copy_checkout() {  # this checkout's files, without .git, .venv or anything git ignores
  local project="$1"
  rm -rf "$project"
  mkdir -p "$project"
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - 2>/dev/null \
      | tar -xf - -C "$project"
  else
    tar --exclude=./.git --exclude=./.venv --exclude=node_modules --exclude=__pycache__ -cf - . | tar -xf - -C "$project"
  fi
}

# Run in the tree, in /project: a git repository of the copy, a fresh venv, then the suite or the smoke check.
INNER='
set -eu
cd /project
git init -q && git add -A && git -c user.name=pipreqs-action -c user.email=ci@localhost commit -q -m checkout
rm -rf /opt/venv && python3.14 -m venv /opt/venv
pip() { /opt/venv/bin/python -m pip install --quiet "$@" || { echo "python3.14: pip install $* failed (is PyPI reachable from here?)" >&2; exit 1; }; }
pip --upgrade pip
if [ "${1:-}" = --smoke ]; then
  pip .
  echo "python3.14: $(/opt/venv/bin/python --version) installed $(/opt/venv/bin/pipreqs-action --version)"
  status=0
  HOME=/tmp /opt/venv/bin/pipreqs-action check examples/sample-app --offline --format json >/root/smoke.json || status=$?
  [ "$status" -eq 1 ] || { echo "python3.14: the check exited $status, not 1" >&2; exit 1; }
  exit 0
fi
pip -e ".[test]"
npm ci --prefix tests/node --no-audit --no-fund --ignore-scripts --loglevel=error \
  || { echo "python3.14: npm ci failed (is the npm registry reachable from here?)" >&2; exit 1; }
echo "python3.14: $(/opt/venv/bin/python --version), the test suite"
exec /opt/venv/bin/python -m pytest "$@"
'

if [ "${PY314_REBUILD:-}" = 1 ] || [ ! -f "$ROOTFS/etc/pipreqs-action-built" ]; then
  rm -rf "$ROOTFS"
  build_root
fi
say "Debian $SUITE tree $ROOTFS, built $(cat "$ROOTFS/etc/pipreqs-action-built"): $(
  in_root "$ROOTFS" dpkg-query -W -f '${Package} ${Version}, ' $SHOWN_PACKAGES | sed 's/, $//')"
copy_checkout "$ROOTFS/project"

if [ "${1:-}" = --smoke ]; then
  [ -x .venv/bin/pipreqs-action ] || die "--smoke compares with .venv's report: run bash scripts/test first"
  rm -f "$ROOTFS/root/smoke.json"
  in_root "$ROOTFS" sh -c "$INNER" sh --smoke
  home="$(mktemp -d)"
  trap 'rm -rf "$home"' EXIT
  status=0
  HOME="$home" .venv/bin/pipreqs-action check examples/sample-app --offline --format json >"$home/this.json" || status=$?
  [ "$status" -eq 1 ] || die ".venv's check exited $status, not 1"
  cmp "$ROOTFS/root/smoke.json" "$home/this.json" || die "the sample app's report on 3.14 differs from .venv's"
  say "the sample app's report is identical on both"
  exit 0
fi
in_root "$ROOTFS" sh -c "$INNER" sh "$@"
