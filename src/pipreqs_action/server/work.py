"""One clone per repository: identical requests share one job, results are cached, and the work is bounded.

WHY: a popular repository asked for by 200 clients at once must cost one clone and one scan, not 200; and a
server that starts every clone it is asked for runs out of disk, memory and file descriptors long before it runs
out of requests. So a job is keyed (normalised URL, the commit when the request names one, mode); a request whose
key is running waits for that job; a finished job's outcome is kept for a while (failures only briefly: the
repository may be pushed to, the network may come back). At most ``max_clones`` jobs run at once, at most
``max_queue`` more wait; past that a request is told 503 with ``Retry-After`` at once. Jobs run in a thread pool:
git and the scan never block the event loop, so ``/health`` and cached answers stay instant.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


class Busy(Exception):
    """Every clone slot is taken and the queue is full: the client should come back after ``retry_after`` s."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("busy")
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Limits:
    """How much work the server takes on; the operator's, never a request's."""

    max_clones: int = 4
    max_queue: int = 64
    ttl: float = 300.0  # the public pipreqs API cached answers for 5 minutes
    failure_ttl: float = 10.0
    revalidate_after: float = 10.0  # a cached answer for a branch is checked against the branch this often (freshness)
    max_entries: int = 512
    retry_after: int = 5


@dataclass(frozen=True, slots=True)
class _Entry(Generic[T]):
    expires: float
    value: T


class Coalescer(Generic[T]):
    """Runs ``job()`` once per key at a time, in a bounded pool, and remembers outcomes for a while.

    ``failed(value)`` says whether an outcome is a failure (kept ``failure_ttl`` seconds instead of ``ttl``).
    Counters (``jobs_started``, ``hits``, ``joined``) are for tests and the load script.
    """

    def __init__(
        self, limits: Limits, failed: Callable[[T], bool], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits
        self._failed = failed
        self._clock = clock
        self._cache: OrderedDict[Hashable, _Entry[T]] = OrderedDict()
        self._running: dict[Hashable, asyncio.Future[T]] = {}
        self._slots = asyncio.Semaphore(limits.max_clones)
        self._pool = ThreadPoolExecutor(max_workers=limits.max_clones, thread_name_prefix="pipreqs-action-job")
        self.jobs_started = self.hits = self.joined = 0

    async def get(self, key: Hashable, job: Callable[[], T]) -> T:
        """The outcome for ``key``: cached, shared with a running job, or from a new job; or Busy."""
        cached = self._cached(key)
        if cached is not None:
            self.hits += 1
            return cached.value
        running = self._running.get(key)
        if running is not None:
            self.joined += 1
            return await asyncio.shield(running)  # a client that leaves never cancels the others' job
        if len(self._running) >= self.limits.max_clones + self.limits.max_queue:
            raise Busy(self.limits.retry_after)
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._running[key] = future
        asyncio.get_running_loop().create_task(self._run(key, job, future))
        return await asyncio.shield(future)

    async def _run(self, key: Hashable, job: Callable[[], T], future: asyncio.Future[T]) -> None:
        try:
            async with self._slots:
                self.jobs_started += 1
                value = await asyncio.get_running_loop().run_in_executor(self._pool, job)
        except asyncio.CancelledError:  # the server is stopping
            future.cancel()
            raise
        except Exception as error:  # a job turns its own failures into values: this is a bug, told to the waiters
            future.set_exception(error)
            future.exception()  # retrieved: with every client gone it is not an unhandled error
        else:
            self._remember(key, value)
            future.set_result(value)
        finally:
            self._running.pop(key, None)

    def _cached(self, key: Hashable) -> _Entry[T] | None:
        entry = self._cache.get(key)
        if entry is None:
            return None
        if entry.expires <= self._clock():
            del self._cache[key]
            return None
        self._cache.move_to_end(key)
        return entry

    def peek(self, key: Hashable) -> T | None:
        """The cached outcome for ``key``, if any (not counted as a hit)."""
        entry = self._cached(key)
        return None if entry is None else entry.value

    def forget(self, key: Hashable) -> None:
        """Drop ``key``'s cached outcome (it no longer describes what the key names)."""
        self._cache.pop(key, None)

    def remember(self, key: Hashable, value: T) -> None:
        """Cache ``value`` under another key too (the commit a branch resolved to), unless one is there."""
        if self._cached(key) is None:
            self._remember(key, value)

    def _remember(self, key: Hashable, value: T) -> None:
        ttl = self.limits.failure_ttl if self._failed(value) else self.limits.ttl
        if ttl <= 0:
            return
        self._cache[key] = _Entry(self._clock() + ttl, value)
        self._cache.move_to_end(key)
        while len(self._cache) > self.limits.max_entries:
            self._cache.popitem(last=False)

    def close(self) -> None:
        """Stop taking jobs; running ones finish (their clean-up removes their temporary trees)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
