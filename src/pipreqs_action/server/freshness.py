"""A cached answer for a branch is checked against the branch before it is served, so a push is seen at once.

WHY: the cache keeps an answer ``ttl`` seconds (300) under the ref's name; without a check, a push stays invisible
that long. Cloning again for every request would defeat the cache; ``git ls-remote`` asks only what the ref
points to now (one small exchange, nothing fetched; ``source.ls_remote``, under the clone's hardening, limits and
SSRF pinning; where git is not installed, the host's REST API). So a cached answer for a branch, a tag or the
default branch that was last confirmed more than ``every`` seconds ago is served only if the ref still points
to the commit it was made from; otherwise the request clones again. One check per key at a time (the others
wait for it) and at most one per ``every`` seconds; a first request never waits for one (it clones anyway).
When the check cannot be made (the host not answering, too many checks under way) the cached answer is served:
no worse than without the check. A request naming a commit SHA is never checked: a commit does not change.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor

from pipreqs_action.errors import PipreqsActionError
from pipreqs_action.server.checks import Engine
from pipreqs_action.server.policy import UrlPolicy
from pipreqs_action.sources import source

log = logging.getLogger(__name__)

_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
# The order in which git reads a short ref name (``ref_rev_parse_rules``): a tag wins over a branch of that name.
_RULES = ("{}", "refs/{}", "refs/tags/{}", "refs/heads/{}", "refs/remotes/{}", "refs/remotes/{}/HEAD")
_WORKERS = 4
_MAX_PENDING = 64  # checks waiting for a worker; past it a cached answer is served unchecked
_MAX_REMEMBERED = 4096
_TIMEOUT = 10.0
_MEMORY_MB = 256


def names_a_commit(ref: str | None) -> bool:
    return ref is not None and _SHA.fullmatch(ref) is not None


def commit_in(listing: str, ref: str | None) -> str | None:
    """The commit ``ref`` (None: HEAD) names in ``git ls-remote`` output, read as git reads it; a tag is peeled."""
    refs: dict[str, str] = {}
    for line in listing.splitlines():
        commit, _, name = line.partition("\t")
        refs[name] = commit
    for rule in ("HEAD",) if ref is None else _RULES:
        name = rule.format(ref)
        found = refs.get(f"{name}^{{}}") or refs.get(name)
        if found and _SHA.fullmatch(found):
            return found
    return None


def remote_commit(policy: UrlPolicy, repo: source.RepoRef, ref: str | None, engine: Engine) -> str | None:
    """What ``ref`` of ``repo`` points to now, or None when that cannot be told. Blocking (DNS, git or HTTP).

    Where git is not installed (the image) the host's REST API is asked instead, as the clone then downloads the
    host's tarball (``tarball.remote_commit``)."""
    try:
        target = policy.target(repo)
        if shutil.which("git") is None:
            from pipreqs_action.sources import tarball

            api = tarball.default_api_url(target.repo)
            with policy.download_session(target.repo) as http:
                seconds = min(_TIMEOUT, engine.clone_timeout)
                return tarball.remote_commit(target.repo, ref, api_url=api, timeout=seconds, session=http)
        listing = source.ls_remote(
            target.repo,
            ref,
            timeout=min(_TIMEOUT, engine.clone_timeout),
            git_config=target.git_config(),
            memory_mb=_MEMORY_MB,
        )
    except PipreqsActionError as error:
        log.info("could not check %s: %s", repo.slug, error)
        return None
    except Exception:  # a bug here must not cost the answer: the cached one is served
        log.exception("checking %s's ref failed", repo.slug)
        return None
    return commit_in(listing, ref)


class Revalidator:
    """Remembers when each key's commit was last confirmed, and confirms it again when that is ``every`` s old."""

    def __init__(self, every: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.every = every
        self._clock = clock
        self._confirmed: OrderedDict[Hashable, tuple[float, str]] = OrderedDict()
        self._running: dict[Hashable, asyncio.Future[str | None]] = {}
        self._pool = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="pipreqs-action-check-ref")
        self.checks = 0  # ls-remote calls made, for tests

    def _confirm(self, key: Hashable, commit: str) -> None:
        self._confirmed[key] = (self._clock(), commit)
        self._confirmed.move_to_end(key)
        while len(self._confirmed) > _MAX_REMEMBERED:
            self._confirmed.popitem(last=False)

    async def current(self, key: Hashable, commit: str, since: float, resolve: Callable[[], str | None]) -> bool:
        """False when ``key``'s ref has moved away from ``commit``, which it pointed to at ``since`` (the clone);
        ``resolve`` (blocking) says where it points now."""
        confirmed = self._confirmed.get(key)
        if confirmed is not None and confirmed[1] == commit:
            since = max(since, confirmed[0])
        if self._clock() - since < self.every:
            return True
        running = self._running.get(key)
        # A finished check is not one under way. The callback that forgets it may not have run yet (on Python 3.14
        # the task awaiting it can resume first), and reusing its old answer would confirm a ref never asked again.
        if running is None or running.done():
            if len(self._running) >= _WORKERS + _MAX_PENDING:
                return True
            self.checks += 1
            running = asyncio.get_running_loop().run_in_executor(self._pool, resolve)
            self._running[key] = running
            running.add_done_callback(lambda _: self._running.pop(key, None))
        now = await asyncio.shield(running)
        if now is None:
            return True
        self._confirm(key, now)
        return now == commit

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
