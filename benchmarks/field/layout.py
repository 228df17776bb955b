"""Lay out the field corpus's trees at the judged commits, from git snapshots already on this machine.

    python benchmarks/field/layout.py MIRRORS TREES
    python benchmarks/field/layout.py MIRRORS TREES --batch 3   # only the third held-out batch

MIRRORS holds one git directory per repository at ``MIRRORS/<owner>+<name>/repo`` (what the session's
``fetch`` tool brings; a bare ``git clone --mirror`` laid out the same way works too). Each tree becomes
``TREES/<owner>+<name>``: a git work tree whose index is the commit ``repos.toml`` names (so the engine sees
what git tracks, as in an Actions checkout), borrowing the snapshot's objects. Nothing of a tree is executed.
Trees that already sit at the right commit are left alone.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Repo:
    """One corpus entry: GitHub owner/name, the commit judged, what kind of project it is."""

    name: str
    commit: str
    kind: str
    why: str
    heldout: bool = False  # chosen after the rules were written, never used to tune them (heldout.md)
    batch: int = 0  # which held-out batch of heldout.md (1, 2, 3...; 0 for the tuned set), so each reads apart

    @property
    def slug(self) -> str:
        return self.name.replace("/", "+")


def load_repos(path: Path = HERE / "repos.toml") -> list[Repo]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Repo(r["name"], r["commit"], r["kind"], r["why"], bool(r.get("heldout", False)), int(r.get("batch", 0)))
        for r in data["repo"]
    ]


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"git {args[0]} in {cwd}: {done.stderr.strip()}")
    return done.stdout.strip()


def git_dir(mirrors: Path, repo: Repo) -> Path:
    """The snapshot's git directory: ``repo`` itself (bare, as ``fetch`` mostly leaves it) or ``repo/.git``."""
    source = mirrors / repo.slug / "repo"
    return source / ".git" if (source / ".git").is_dir() else source


def lay_out(repo: Repo, mirrors: Path, trees: Path) -> str:
    source, tree = git_dir(mirrors, repo), trees / repo.slug
    if not source.is_dir():
        return f"no snapshot at {source}: fetch github:{repo.name} first"
    if (tree / ".git").is_dir() and _git("rev-parse", "HEAD", cwd=tree) == repo.commit:
        return "already there"
    tree.mkdir(parents=True, exist_ok=True)
    _git("init", "-q", cwd=tree)
    # Borrow the snapshot's objects instead of copying them; blobs the snapshot lacks (files of 4 MiB and more,
    # LFS content) are reported by checkout-index and skipped, every other tracked file is written.
    (tree / ".git" / "objects" / "info" / "alternates").write_text(f"{(source / 'objects').resolve()}\n")
    _git("update-ref", "HEAD", repo.commit, cwd=tree)
    _git("read-tree", repo.commit, cwd=tree)
    done = subprocess.run(["git", "checkout-index", "--all", "--force"], cwd=tree, capture_output=True, text=True)
    lacking = done.stderr.count("unable to read")
    return f"laid out ({lacking} large files lacking)" if lacking else "laid out"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("mirrors", type=Path, help="folder of <owner>+<name>/repo git directories")
    parser.add_argument("trees", type=Path, help="folder to lay the trees out in (keep it outside this repository)")
    parser.add_argument("--batch", type=int, help="only the repositories of this held-out batch (repos.toml)")
    args = parser.parse_args(argv)
    failed = 0
    for repo in load_repos():
        if args.batch is not None and repo.batch != args.batch:
            continue
        try:
            status = lay_out(repo, args.mirrors, args.trees)
        except RuntimeError as error:
            status, failed = f"FAILED: {error}", failed + 1
        print(f"{repo.name:45} {status}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
