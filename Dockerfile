# The action's image. Releases publish it to ghcr.io and their action.yml names it (`docker://...`), so users
# pull it; `main`'s action.yml still says `Dockerfile`, which GitHub's runner builds with `docker build` (the
# self-test, `uses: ./`, forks), so it has to build from public registries alone, quickly, and start fast.
#
# Base: debian:bookworm-slim with Debian's own python3 (3.11.2), not an official python:3.11-slim image. Debian's
# image is a plain debootstrap tree (minbase, docs and locales left out) of the Debian archive, so tests/container/
# recreates it from Debian's mirror on machines that cannot reach Docker Hub and builds and runs this very file
# there as GitHub does; a python:* image, with its own CPython build, cannot be recreated that way. Debian's python3 also gets Debian's security fixes.
#
# Two stages. `builder` installs everything and assembles the final tree with scripts/image_rootfs.sh; the final
# stage is `FROM scratch` plus that tree: python3.11 and the libraries it links to, the venv (the package with its
# `action` extra; the import index ships inside the package). No shell, apt, pip, git or build tools: the
# `repository` input downloads the host's tarball (pipreqs_action.sources.tarball) instead of cloning.
FROM debian:bookworm-slim AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Versions are not pinned: Debian replaces a version in place with each security fix, so a pin would break the
# build on the day the fix lands.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates python3 python3-venv \
    && rm -rf /var/lib/apt/lists/* \
    && python3 -m venv /opt/venv

WORKDIR /src

# Dependencies first, in their own layer, so editing the code does not reinstall them: the package's and its
# `action` extra's (PyGithub, actions-toolkit), every version from requirements/runtime.txt (-c). pipreqs' and
# pigar's data (the import-name mapping, the import index built from pigar's database) ship inside the package.
COPY requirements/runtime.in requirements/runtime.txt requirements/
# hadolint ignore=DL3013
RUN pip install --no-cache-dir -c requirements/runtime.txt -r requirements/runtime.in

# The package itself (--no-deps: its dependencies are there); then pip and setuptools leave the venv, which
# scripts/image_rootfs.sh copies with the system files python needs.
COPY pyproject.toml README.md ./
COPY src/ src/
COPY scripts/image_rootfs.sh /usr/local/bin/
RUN pip install --no-cache-dir --no-deps . \
    && pip uninstall --yes pip setuptools \
    && image_rootfs.sh /rootfs

FROM scratch

COPY --from=builder /rootfs/ /
COPY entrypoint.py /app/

# PYTHONDONTWRITEBYTECODE: the workspace is the user's checkout; leave no __pycache__ behind (pip byte-compiled
# what it installed, at build time). PYTHONUTF8: there are no locales in the image; read and write UTF-8.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUTF8=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:/usr/bin:/bin

WORKDIR /app

# No USER: GitHub runs container actions as root, and the workspace it mounts belongs to the runner's user.
ENTRYPOINT ["/opt/venv/bin/python", "/app/entrypoint.py"]
