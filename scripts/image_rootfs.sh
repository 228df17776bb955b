#!/bin/sh
# Assemble the action image's whole file system in $1 (run in the Dockerfile's builder stage, as root).
#
# WHY: debian:bookworm-slim with python3 is 135 MB before anything of ours, and apt, dpkg, perl-base, coreutils
# and bash are never used by a run. The final stage is `FROM scratch` plus this tree: Debian's own python3.11
# (security fixes come with a rebuild), the shared libraries it and the venv's extension modules link to (found
# with ldd, so arm64 and amd64 get theirs), the venv in /opt/venv, and per package its copyright file and its
# dpkg status entry in /var/lib/dpkg/status.d/ (the distroless layout that image scanners read).
set -eu

ROOT=${1:?usage: image_rootfs.sh DEST}
PYTHON=python3.11
# Always: the interpreter and its standard library; base-files for /etc/os-release (scanners, support).
ALWAYS="base-files ${PYTHON}-minimal lib${PYTHON}-minimal lib${PYTHON}-stdlib python3-minimal"

mkdir -p "$ROOT"
# Debian 12 has a merged /usr: /bin, /lib, /lib64 and /sbin are symlinks into /usr. Copy the links themselves.
for link in /bin /lib /lib32 /lib64 /libx32 /sbin; do
    if [ -L "$link" ]; then cp -P "$link" "$ROOT$link"; fi
done

# Every ELF file python may load, and the packages of the libraries they link to.
elf_libraries() {
    find "/usr/bin/$PYTHON" "/usr/lib/$PYTHON/lib-dynload" /opt/venv -type f \( -name "$PYTHON" -o -name '*.so*' \) \
        -exec ldd {} + 2>/dev/null \
        | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $1 !~ /:$/ {print $1}' | sort -u
}
library_packages() {
    for lib in $(elf_libraries); do
        # the venv's wheels bring their own copies (auditwheel's *.libs): not Debian's
        case "$lib" in /opt/venv/*) continue ;; esac
        dpkg -S "$lib" 2>/dev/null || dpkg -S "$(realpath "$lib")" 2>/dev/null || dpkg -S "*/${lib##*/}"
    done | cut -d: -f1 | tr ',' '\n' | sed 's/^ *//' | sort -u
}
PACKAGES=$(printf '%s\n' $ALWAYS $(library_packages) | sort -u)
echo "image_rootfs: packages: $(echo $PACKAGES)"

# A package's files, less documentation other than its copyright and glibc's iconv modules; each at its real
# directory (merged /usr).
mkdir -p "$ROOT/var/lib/dpkg/status.d"
for pkg in $PACKAGES; do
    dpkg-query -L "$pkg" | while IFS= read -r path; do
        if [ -d "$path" ] && [ ! -L "$path" ]; then continue; fi
        if [ ! -e "$path" ] && [ ! -L "$path" ]; then continue; fi
        case "$path" in
            /usr/share/doc/*/copyright) ;;
            /usr/share/doc/* | /usr/share/man/* | /usr/share/lintian/* | /usr/share/locale/* | /usr/share/info/*) continue ;;
            # glibc's iconv modules (8 MB): Python decodes with its own codecs and never calls iconv
            */gconv/*) continue ;;
        esac
        dir=$(realpath "$(dirname "$path")")
        mkdir -p "$ROOT$dir"
        cp -P --preserve=mode,timestamps "$path" "$ROOT$dir/"
    done
    dpkg-query -s "$pkg" > "$ROOT/var/lib/dpkg/status.d/$pkg"
done

# Debian byte-compiles the standard library after installing it (py3compile), so its .pyc files are in no
# package's file list: copy them (timestamps kept: a .pyc records its source's mtime), or every run would compile
# what it imports again (PYTHONDONTWRITEBYTECODE=1 keeps nothing).
find "/usr/lib/$PYTHON" -type d -name __pycache__ | while IFS= read -r dir; do
    if [ -d "$ROOT$(dirname "$dir")" ]; then cp -a "$dir" "$ROOT$dir"; fi
done

# The rest of a minimal system: root's entries, name service order, CA bundle, a sticky /tmp.
mkdir -p "$ROOT/etc/ssl/certs" "$ROOT/tmp"
chmod 1777 "$ROOT/tmp"
cp /etc/passwd /etc/group /etc/nsswitch.conf "$ROOT/etc/"
cp /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/"
mkdir -p "$ROOT/opt"
cp -a /opt/venv "$ROOT/opt/"
