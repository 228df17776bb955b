"""Make this machine able to build and run the action's image with podman, the way GitHub does with docker.

Run as root (``python tests/container/setup_engine.py``, or through ``run_container_test.py``). Idempotent:

1. installs Debian's podman, runc and debootstrap when missing;
2. writes podman's configuration into a private state directory, so a developer's own podman setup is never
   touched: runc as the runtime (crun fails on this kind of machine: "cgroups in hybrid mode not supported"),
   ``default_ulimits`` within the hard limits (podman's own defaults make ``setrlimit`` fail), and a storage
   configuration written once and then kept (a changed graph driver makes every ``run --rm`` hang for 20 s);
3. recreates ``debian:bookworm-slim`` from Debian's mirror when it is not there: a debootstrap ``minbase`` tree
   slimmed like the official image (docs, man pages and locales excluded through dpkg's ``path-exclude``),
   imported under its full name so ``FROM debian:bookworm-slim`` resolves locally with ``--pull=never``.

Test-only step: when the host has extra CA certificates (a network that re-signs TLS), the recreated base gets
them and a ``/etc/pip.conf`` that trusts them, so pip inside the build reaches PyPI. The project's Dockerfile
never carries that.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("setup_engine")

BASE_IMAGE = "docker.io/library/debian:bookworm-slim"
SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
SECURITY_MIRROR = "http://deb.debian.org/debian-security"
PACKAGES = ("podman", "runc", "debootstrap", "containernetworking-plugins", "iptables", "git", "ca-certificates")
NPROC_CAP = 32768  # measured: a higher RLIMIT_NPROC is refused inside containers here, whatever `ulimit -Hu` says
EXTRA_CA_DIR = Path("/usr/local/share/ca-certificates")
TEST_CA_BUNDLE = "usr/local/share/pipreqs-action-test/ca-bundle.pem"
SOCKET_WAIT_SECONDS = 15.0

# Kept out of the base exactly like Debian's official slim images: dpkg skips these paths on every install.
SLIM_EXCLUDES = (
    "/usr/share/doc/*",
    "/usr/share/groff/*",
    "/usr/share/info/*",
    "/usr/share/linda/*",
    "/usr/share/lintian/overrides/*",
    "/usr/share/locale/*",
    "/usr/share/man/*",
)
SLIM_INCLUDES = ("/usr/share/doc/*/copyright", "/usr/share/locale/locale.alias")

# The apt/dpkg settings Debian's container images ship (no package caches, no translations, no fsync).
APT_CONF = {
    "etc/apt/apt.conf.d/docker-clean": (
        'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb '
        '/var/cache/apt/*.bin || true"; };\n'
        'APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb '
        '/var/cache/apt/*.bin || true"; };\n'
        'Dir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n'
    ),
    "etc/apt/apt.conf.d/docker-no-languages": 'Acquire::Languages "none";\n',
    "etc/apt/apt.conf.d/docker-gzip-indexes": 'Acquire::GzipIndexes "true";\n',
    "etc/apt/apt.conf.d/docker-autoremove-suggests": 'Apt::AutoRemove::SuggestsImportant "false";\n',
    "etc/dpkg/dpkg.cfg.d/docker-apt-speedup": "force-unsafe-io\n",
}


class SetupError(RuntimeError):
    """This machine cannot build or run containers; the message says which step failed."""


@dataclass(frozen=True, slots=True)
class PodmanPaths:
    """Where the private podman configuration and state live."""

    state: Path
    run: Path

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> PodmanPaths:
        env = os.environ if environ is None else environ
        state = Path(env.get("PIPREQS_ACTION_PODMAN_DIR", "/var/lib/pipreqs-action-podman"))
        run = Path(env.get("PIPREQS_ACTION_PODMAN_RUN", "/run/pipreqs-action-podman"))
        return cls(state=state, run=run)

    @property
    def containers_conf(self) -> Path:
        return self.state / "containers.conf"

    @property
    def storage_conf(self) -> Path:
        return self.state / "storage.conf"

    @property
    def api_socket(self) -> Path:
        return self.run / "podman.sock"

    def engine_env(self) -> dict[str, str]:
        """What every podman call needs in its environment to use this configuration and no other."""
        return {"CONTAINERS_CONF": str(self.containers_conf), "CONTAINERS_STORAGE_CONF": str(self.storage_conf)}


def run(argv: Sequence[str], *, env: Mapping[str, str] | None = None, what: str) -> str:
    """Run a setup command; on failure raise SetupError with its stderr, since a half-set-up engine is useless."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(list(argv), env=full_env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SetupError(f"{what} failed (exit {proc.returncode}): {' '.join(argv)}\n{proc.stderr.strip()[-2000:]}")
    return proc.stdout


def missing_packages(packages: Sequence[str] = PACKAGES) -> list[str]:
    """Debian packages not installed (dpkg's view, not PATH: runc must be installed even if crun is)."""
    missing = []
    for name in packages:
        proc = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True, check=False)
        if "install ok installed" not in proc.stdout:
            missing.append(name)
    return missing


def ensure_packages() -> float | None:
    """apt-get install what is missing; returns the seconds it took, or None when nothing was missing."""
    if shutil.which("apt-get") is None:
        raise SetupError("apt-get not found: the container test sets podman up on Debian or Ubuntu only")
    missing = missing_packages()
    if not missing:
        return None
    started = time.monotonic()
    log.info("installing %s", " ".join(missing))
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=env, what="apt-get update")
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env, what="apt-get install")
    return time.monotonic() - started


def default_ulimits() -> list[str]:
    """Limits podman may set in a container: the hard limits this process has, never more."""
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    nproc = resource.getrlimit(resource.RLIMIT_NPROC)[1]
    nofile = 1048576 if nofile == resource.RLIM_INFINITY else min(nofile, 1048576)
    nproc = NPROC_CAP if nproc == resource.RLIM_INFINITY else min(nproc, NPROC_CAP)
    return [f"nofile={nofile}:{nofile}", f"nproc={nproc}:{nproc}"]


def containers_conf(paths: PodmanPaths) -> str:
    ulimits = ", ".join(f'"{item}"' for item in default_ulimits())
    return (
        "# Written by tests/container/setup_engine.py; rewritten on every run.\n"
        f"[containers]\ndefault_ulimits = [{ulimits}]\n\n"
        '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n'
        f'tmp_dir = "{paths.run / "libpod"}"\n'
    )


def storage_conf(paths: PodmanPaths) -> str:
    driver = "overlay" if "overlay" in Path("/proc/filesystems").read_text() else "vfs"
    return (
        "# Written once by tests/container/setup_engine.py and then kept: podman must never see its graph\n"
        "# driver change under existing storage (every `run --rm` then hangs for 20 s).\n"
        f'[storage]\ndriver = "{driver}"\n'
        f'graphroot = "{paths.state / "storage"}"\nrunroot = "{paths.run / "storage"}"\n'
    )


def write_configs(paths: PodmanPaths) -> None:
    paths.state.mkdir(parents=True, exist_ok=True)
    paths.run.mkdir(parents=True, exist_ok=True)
    paths.containers_conf.write_text(containers_conf(paths))
    if not paths.storage_conf.exists():
        paths.storage_conf.write_text(storage_conf(paths))


def podman(paths: PodmanPaths, *args: str, what: str) -> str:
    return run(["podman", *args], env=paths.engine_env(), what=what)


def image_exists(paths: PodmanPaths, image: str) -> bool:
    proc = subprocess.run(["podman", "image", "exists", image], env={**os.environ, **paths.engine_env()}, check=False)
    return proc.returncode == 0


def debian_sources() -> str:
    return (
        f"Types: deb\nURIs: {DEFAULT_MIRROR}\nSuites: {SUITE} {SUITE}-updates\nComponents: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
        f"Types: deb\nURIs: {SECURITY_MIRROR}\nSuites: {SUITE}-security\nComponents: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
    )


def slim_dpkg_config() -> str:
    lines = ["# Like Debian's official slim images: no docs (but copyrights), man pages or translations."]
    lines += [f"path-exclude {pattern}" for pattern in SLIM_EXCLUDES]
    lines += [f"path-include {pattern}" for pattern in SLIM_INCLUDES]
    return "\n".join(lines) + "\n"


def _remove_children(directory: Path, keep: Collection[Path] = ()) -> None:
    if not directory.is_dir():
        return
    for child in directory.iterdir():
        if child in keep:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _remove_files(directory: Path, pattern: str) -> None:
    for path in directory.rglob(pattern):
        if path.is_file() or path.is_symlink():
            path.unlink()


def slim_tree(rootfs: Path) -> None:
    """Make a debootstrap tree look like debian:*-slim: image config, excluded paths gone, no caches or logs."""
    for rel, text in {**APT_CONF, "etc/dpkg/dpkg.cfg.d/docker": slim_dpkg_config()}.items():
        (rootfs / rel).write_text(text)
    (rootfs / "etc/apt/sources.list").unlink(missing_ok=True)
    (rootfs / "etc/apt/sources.list.d/debian.sources").write_text(debian_sources())
    doc = rootfs / "usr/share/doc"
    for package_doc in doc.iterdir() if doc.is_dir() else ():
        if package_doc.is_dir() and not package_doc.is_symlink():
            _remove_children(package_doc, {package_doc / "copyright"})
    for rel in ("usr/share/groff", "usr/share/info", "usr/share/linda", "usr/share/lintian/overrides", "usr/share/man"):
        _remove_children(rootfs / rel)
    _remove_children(rootfs / "usr/share/locale", {rootfs / "usr/share/locale/locale.alias"})
    _remove_children(rootfs / "var/lib/apt/lists", {rootfs / "var/lib/apt/lists/partial"})
    _remove_files(rootfs / "var/cache/apt", "*.bin")
    _remove_files(rootfs / "var/cache/apt/archives", "*.deb")
    _remove_files(rootfs / "var/log", "*")
    _remove_children(rootfs / "dev")  # the engine provides /dev, /etc/hosts, /etc/hostname and /etc/resolv.conf
    _remove_children(rootfs / "tmp")
    for rel in ("var/lib/apt/lists/partial", "var/cache/apt/archives/partial"):  # apt expects them
        (rootfs / rel).mkdir(parents=True, exist_ok=True)
    for rel in ("etc/hostname", "etc/resolv.conf", "etc/hosts"):
        (rootfs / rel).unlink(missing_ok=True)
    (rootfs / "etc/machine-id").write_text("")


def host_ca_bundle() -> Path | None:
    """The host's CA bundle when it trusts extra CAs (a TLS re-signing network), else None."""
    if not EXTRA_CA_DIR.is_dir() or not any(EXTRA_CA_DIR.glob("*.crt")):
        return None
    for candidate in (
        os.environ.get("PIP_CERT"),
        os.environ.get("SSL_CERT_FILE"),
        "/etc/ssl/certs/ca-certificates.crt",
    ):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def add_test_ca(rootfs: Path) -> bool:
    """TEST-ONLY: trust the host's extra CAs inside the base, so pip in the build gets through re-signed TLS."""
    bundle = host_ca_bundle()
    if bundle is None:
        return False
    target = rootfs / "usr/local/share/ca-certificates"
    target.mkdir(parents=True, exist_ok=True)
    for cert in EXTRA_CA_DIR.glob("*.crt"):
        shutil.copyfile(cert, target / cert.name)
    (rootfs / TEST_CA_BUNDLE).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundle, rootfs / TEST_CA_BUNDLE)
    (rootfs / "etc/pip.conf").write_text(
        "# TEST-ONLY (tests/container/setup_engine.py): this network re-signs TLS.\n"
        f"[global]\ncert = /{TEST_CA_BUNDLE}\n"
    )
    return True


@contextmanager
def scratch_dir() -> Iterator[Path]:
    """A scratch directory on disk (/var/tmp), not in a tmpfs: the tree is ~200 MB before slimming."""
    with tempfile.TemporaryDirectory(prefix="pipreqs-action-base-", dir="/var/tmp") as tmp:
        yield Path(tmp)


def create_base_image(paths: PodmanPaths, mirror: str = DEFAULT_MIRROR) -> float:
    """debootstrap + slim + import as debian:bookworm-slim; returns the seconds it took."""
    started = time.monotonic()
    arch = run(["dpkg", "--print-architecture"], what="dpkg --print-architecture").strip()
    with scratch_dir() as tmp:
        rootfs = tmp / "rootfs"
        log.info("debootstrap --variant=minbase %s from %s (about a minute)", SUITE, mirror)
        run(["debootstrap", "--variant=minbase", f"--arch={arch}", SUITE, str(rootfs), mirror], what="debootstrap")
        slim_tree(rootfs)
        if add_test_ca(rootfs):
            log.warning("TEST-ONLY: the recreated base trusts this host's extra CA certificates (for pip)")
        tarball = tmp / "rootfs.tar"
        run(["tar", "-C", str(rootfs), "--numeric-owner", "-cf", str(tarball), "."], what="tar of the base tree")
        podman(
            paths, "import", "--change", "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "--change", 'CMD ["bash"]', str(tarball), BASE_IMAGE, what="podman import",
        )  # fmt: skip
    return time.monotonic() - started


@dataclass(frozen=True, slots=True)
class SetupReport:
    """What setting up cost, for the test's closing report (None: that step had nothing to do)."""

    paths: PodmanPaths
    install_seconds: float | None
    base_seconds: float | None


def setup(paths: PodmanPaths | None = None) -> SetupReport:
    """Everything above, in order; raises SetupError naming the step that cannot be done on this machine."""
    if os.geteuid() != 0:
        raise SetupError("the container test runs podman as root (rootful): run it as root")
    paths = paths or PodmanPaths.from_env()
    install = ensure_packages()
    write_configs(paths)
    podman(paths, "info", "--format", "{{.Store.GraphDriverName}}", what="podman info")
    base = None if image_exists(paths, BASE_IMAGE) else create_base_image(paths)
    probe = podman(
        paths, "run", "--rm", "--network", "none", BASE_IMAGE, "cat", "/etc/debian_version", what="podman run"
    )
    log.info("podman runs containers here (debian %s)", probe.strip())
    return SetupReport(paths=paths, install_seconds=install, base_seconds=base)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    try:
        report = setup()
    except SetupError as exc:
        log.error("cannot run containers on this machine: %s", exc)
        return 1
    env = " ".join(f"{key}={value}" for key, value in report.paths.engine_env().items())
    log.info("ready; use podman with: %s", env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
