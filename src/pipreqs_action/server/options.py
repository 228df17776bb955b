"""The server's configuration, from the operator's options; importable without starlette or uvicorn."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from pipreqs_action.limits import ScanLimits
from pipreqs_action.server.checks import API_LIMITS, Engine
from pipreqs_action.server.policy import UrlPolicy
from pipreqs_action.server.work import Limits


@dataclass(frozen=True)
class ServerConfig:
    """Everything the operator chose; nothing here ever comes from a request."""

    policy: UrlPolicy = field(default_factory=UrlPolicy)
    engine: Engine = field(default_factory=Engine)
    limits: Limits = field(default_factory=Limits)


def from_args(args: argparse.Namespace, index_url: str) -> ServerConfig:
    """``pipreqs-action serve``'s options (cli.py) as a ServerConfig."""
    policy = UrlPolicy.build(
        [*args.allow_host, *args.allow_http_host],
        allow_http=args.allow_http or bool(args.allow_http_host),
        server_url=args.server_url,
    )
    limits = ScanLimits(args.scan_timeout, int(args.max_memory), API_LIMITS.index_lookups)
    engine = Engine(clone_timeout=args.clone_timeout, offline=args.offline, index_url=index_url, limits=limits)
    work = Limits(
        max_clones=args.max_clones, max_queue=args.max_queue, ttl=args.cache_ttl, revalidate_after=args.recheck_after
    )
    return ServerConfig(policy, engine, work)
