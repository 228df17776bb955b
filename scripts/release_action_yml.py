"""Point a release's action.yml at its prebuilt image: ``image: 'Dockerfile'`` -> ``image: 'docker://REF'``.

WHY: with ``image: 'Dockerfile'`` GitHub's runner builds the image on every workflow run of every user (about a
minute, before the one-second check). The release workflow (.github/workflows/release.yml) pushes the image to
ghcr.io and commits this rewrite on the release tag only, so ``uses: owner/pipreqs-action@v1`` pulls a fixed,
immutable image while ``main`` (``uses: ./``, the self-test, forks) keeps building from source. The container
test (tests/container) calls this same script against a registry on 127.0.0.1 and runs what it pulls.

Usage: ``python scripts/release_action_yml.py --image ghcr.io/OWNER/pipreqs-action --version 1.2.3
[--action action.yml] [--check-pyproject pyproject.toml]``. Only the one ``runs.image`` line changes; comments and
everything else stay byte for byte. Standard library only: the release job runs it with the runner's python3.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the package's own dependency
    import tomli as tomllib

# Docker's reference grammar, narrowed: lower-case repository path (registry host[:port] first), and a
# version tag. Anything else (spaces, quotes, a digest, "latest") is refused before it reaches a file.
_REPOSITORY = re.compile(
    r"(?P<host>[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?)"
    r"(?P<path>(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+)"
)
_VERSION = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.]+)?")
_IMAGE_LINE = re.compile(
    r"^(?P<indent>[ \t]+)image:[ \t]*(?P<value>'Dockerfile'|\"Dockerfile\"|Dockerfile)[ \t]*$", re.M
)


class ReleaseError(ValueError):
    """The inputs or action.yml do not allow a safe rewrite; the message names which."""


def image_reference(repository: str, version: str) -> str:
    """``REPOSITORY:VERSION`` after checking both (a version is immutable: never ``latest`` or ``v1``)."""
    if not _REPOSITORY.fullmatch(repository):
        raise ReleaseError(f"--image {repository!r}: expected a lower-case REGISTRY/OWNER/NAME")
    if not _VERSION.fullmatch(version):
        raise ReleaseError(f"--version {version!r}: expected an exact version such as 1.2.3")
    return f"{repository}:{version}"


def rewrite(text: str, reference: str) -> str:
    """action.yml's text with its one ``image: Dockerfile`` line (under ``runs:``) naming ``docker://reference``."""
    runs = re.search(r"^runs:[ \t]*$", text, re.M)
    if runs is None:
        raise ReleaseError("action.yml: no top-level `runs:` section")
    head, body = text[: runs.end()], text[runs.end() :]
    section_end = re.search(r"^\S", body, re.M)
    section, tail = (body, "") if section_end is None else (body[: section_end.start()], body[section_end.start() :])
    lines = _IMAGE_LINE.findall(section)
    if len(lines) != 1:
        raise ReleaseError(f"action.yml: expected one `image: 'Dockerfile'` line under runs:, found {len(lines)}")
    section = _IMAGE_LINE.sub(lambda m: f"{m['indent']}image: 'docker://{reference}'", section)
    return head + section + tail


def pyproject_version(path: Path) -> str:
    with path.open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--image", required=True, help="REGISTRY/OWNER/NAME, lower case (no tag)")
    parser.add_argument("--version", required=True, help="the exact release version, e.g. 1.2.3 (the image tag)")
    parser.add_argument("--action", type=Path, default=Path("action.yml"), help="the action.yml to rewrite in place")
    parser.add_argument("--check-pyproject", type=Path, help="refuse unless this pyproject.toml has --version")
    args = parser.parse_args(argv)
    try:
        reference = image_reference(args.image, args.version)
        if args.check_pyproject and pyproject_version(args.check_pyproject) != args.version:
            found = pyproject_version(args.check_pyproject)
            raise ReleaseError(f"{args.check_pyproject}: version {found}, not {args.version}: bump it first")
        args.action.write_text(rewrite(args.action.read_text(encoding="utf-8"), reference), encoding="utf-8")
    except (ReleaseError, OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        print(f"release_action_yml: {exc}", file=sys.stderr)
        return 1
    print(f"{args.action}: image: 'docker://{reference}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
