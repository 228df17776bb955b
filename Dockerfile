# The action's image. For `runs.image: Dockerfile` GitHub's runner builds this file with `docker build` on every
# workflow run, so it has to build from public registries alone, quickly, and start fast.
#
# Base: debian:bookworm-slim with Debian's own python3 (3.11.2, which pipreqs 0.5.0 and pigar 2.2.0 support),
# not an official python:3.11-slim image. Debian's image is a plain debootstrap tree (minbase, docs and locales
# left out) of the Debian archive, so tests/container/ recreates it from Debian's mirror on machines that cannot
# reach Docker Hub and builds and runs this very file there as GitHub does; a python:* image, with its own
# CPython build, cannot be recreated that way. Debian's python3 also gets Debian's security fixes.
FROM debian:bookworm-slim

# PYTHONDONTWRITEBYTECODE: the workspace is the user's checkout; leave no __pycache__ behind (pip still
# byte-compiles what it installs, at build time). The venv keeps Debian's python3 untouched.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PIPREQS_ACTION_INDEX=/opt/pipreqs-action/import-index.sqlite3

# git: the action clones remote repositories. Versions are not pinned: Debian replaces a version in place with
# each security fix, so a pin would break the build on the day the fix lands.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates git python3 python3-venv \
    && rm -rf /var/lib/apt/lists/* \
    && python3 -m venv /opt/venv

WORKDIR /app

# Dependencies first, in their own layer, so editing the code does not reinstall them.
COPY requirements/runtime.in requirements/runtime.txt requirements/
RUN pip install --no-cache-dir -c requirements/runtime.txt -r requirements/runtime.in

# The package itself (its dependencies are already there: -c keeps pip from resolving anything anew), then the
# import index, built once here so that no action run spends seconds building it.
COPY pyproject.toml README.md ./
COPY src/ src/
RUN pip install --no-cache-dir -c requirements/runtime.txt . \
    && pip check \
    && rm -rf build src/*.egg-info \
    && python -m pipreqs_action.mapping --build-index "$PIPREQS_ACTION_INDEX"

COPY entrypoint.py ./

# No USER: GitHub runs container actions as root, and the workspace it mounts belongs to the runner's user.
ENTRYPOINT ["/opt/venv/bin/python", "/app/entrypoint.py"]
