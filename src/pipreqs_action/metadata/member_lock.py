"""A workspace member the lock file locks as a distribution of its own: ``via`` counts its own declarations only.

A project inside another runs with the enclosing one installed (``projects.inherit``), so what the enclosing
project declares satisfies its imports, and what that installs counts as ``via``. A uv workspace member that the
lock file locks under its own name is more than a folder of the enclosing project, though: the lock records it as a
distribution with its own dependencies, which is what an install of it (``pip install acme-evals``, or another
project depending on it) gets; the enclosing project's declarations do not come along. The lock is the evidence of
what is installed, so for such a member a ``via`` claim rests on what an install of it can get: its own
declarations, its own extras (those the enclosing project installs it with count as installed, since any user can
ask for them too) and what its Dockerfiles install. An ``import sniffio`` that only the enclosing project's
``acme-client[async]`` installs, in a member declaring plain ``acme-client``, stays an alarm, and its reason says
which declaration of the enclosing project would have installed it, and why that does not count.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipreqs_action.model import Declared, Report, Requirement

if TYPE_CHECKING:  # packaging and the lock reader: only a check with something missing needs them
    from pipreqs_action.metadata.lock_dependencies import LockedDependencies

__all__ = ["as_member", "lock_of", "locked_member", "said_own_extras", "said_why_not_via"]


def lock_of(declared: Declared, path: Path) -> LockedDependencies:
    """The lock file that installs the project: its own, else (a uv workspace member) the workspace's one."""
    from pipreqs_action.metadata.lock_dependencies import read_lock

    lock = read_lock(path)  # uv.lock / poetry.lock / pdm.lock: the releases it installs
    if not lock.file and declared.workspace_root:
        lock = read_lock(Path(declared.workspace_root))
    return lock


def locked_member(declared: Declared, path: Path) -> str:
    """The normalised name the lock file locks this project under, when it is a local project of the enclosing one
    (a workspace member) that inherits declarations from it; "" otherwise (nothing read then)."""
    if not declared.inherited or not declared.local_projects:
        return ""
    try:
        folder = str(path.resolve())
    except (OSError, RuntimeError):
        return ""
    names = [name for name, where in declared.local_projects if where == folder]
    if not names:
        return ""
    known = lock_of(declared, path).known
    return next((name for name in names if name in known), "")


def as_member(declared: Declared, member: str) -> Declared:
    """What an install of the member itself gets: its own declarations, and of the enclosing project's only those
    naming the member (``acme-client[async]`` in the root, for acme-client: an install of it with its own extra,
    which any user can ask for too)."""
    return declared._replace(inherited=tuple(req for req in declared.inherited if req.key == member), installed_with=())


def said_own_extras(report: Report, declared: Declared, member: str) -> Report:
    """Each item ``via`` the member itself alone says how: through its own extras, which the enclosing project installs
    it with (``installed through acme-client's own extra 'async', as the enclosing project installs it
    (acme-client[async])``): else the report would name the project as installing its own import."""
    from packaging.utils import canonicalize_name

    selves = [req for req in declared.inherited if req.key == member and req.extras]
    if not selves:
        return report
    extras = sorted({extra for req in selves for extra in req.extras})
    named = f"extra{'s' if len(extras) > 1 else ''} {', '.join(repr(extra) for extra in extras)}"
    written = ", ".join(dict.fromkeys(_declaration(req) for req in selves))
    note = f"installed through {member}'s own {named}, as the enclosing project installs it ({written})"
    missing = tuple(
        item._replace(reason="; ".join(filter(None, (note, item.reason))))
        if item.via and all(canonicalize_name(name) == member for name in item.via)
        else item
        for item in report.missing
    )
    return report._replace(missing=missing)


def said_why_not_via(report: Report, broad: Report, declared: Declared, member: str, lock_file: str) -> Report:
    """``report`` (judged by the member's own declarations) with a reason on each alarm that ``broad`` (judged with
    the enclosing project's declarations too) counted ``via``: which of those would install it, and why not."""
    claims = {item.imports: item for item in broad.missing if item.via}
    missing = []
    for item in report.missing:
        claim = claims.get(item.imports)
        if claim is None or item.via or item.optional or not item.known:
            missing.append(item)
            continue
        reason = (
            f"{lock_file} locks {member} as a distribution of its own, whose dependencies do not install it; "
            f"only the enclosing project's {_written(claim.via, declared.inherited)} would, which an install of "
            f"{member} does not bring"
        )
        missing.append(item._replace(reason=reason))
    return report._replace(missing=tuple(missing))


def _written(via: Sequence[str], inherited: Sequence[Requirement]) -> str:
    """The enclosing project's declarations behind ``via`` as written there (``acme-client[async]``)."""
    from packaging.utils import canonicalize_name

    keys = {canonicalize_name(name) for name in via}
    found = [_declaration(req) for req in inherited if req.key in keys]
    return ", ".join(dict.fromkeys(found)) or ", ".join(via)


def _declaration(req: Requirement) -> str:
    return req.name + (f"[{','.join(req.extras)}]" if req.extras else "")
