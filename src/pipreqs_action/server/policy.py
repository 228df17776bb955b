"""Which ``code_url`` the API may clone: the guard against server-side request forgery.

WHY: a public API that clones any URL is a proxy into the network it runs in (loopback, the cloud's metadata
address, private services), and its error messages become a port scanner. So, by default: ``https://`` only, to
a short allowlist of public forges, and every address the host name resolves to must be a public one (a DNS name
on the allowlist could still be pointed at 10.0.0.1). The clone is then pinned to the addresses checked here, so
a second lookup by git cannot answer differently (DNS rebinding). Without git, a clone is a download from the
host's REST API and the host it redirects to: those hosts, and no other, are reached the same way
(``download_session``). Hosts the operator names with ``--allow-host``
replace the list and are trusted as they resolve: that is how a private forge or a test server is reached.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import requests

from pipreqs_action.errors import SettingsError
from pipreqs_action.server import guarded_http
from pipreqs_action.sources import source, tarball

DEFAULT_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, as the system resolver (and so git) would find it."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


@dataclass(frozen=True, slots=True)
class Target:
    """A repository the policy lets through, and the addresses its clone must use (empty: resolve freely)."""

    repo: source.RepoRef
    addresses: tuple[str, ...] = ()

    def git_config(self) -> tuple[str, ...]:
        """git ``-c`` settings for this clone: no redirect at all, and the host pinned to the checked addresses."""
        config = ["http.followRedirects=false"]
        if self.addresses:
            host, _, port = self.repo.host.partition(":")
            pinned = ",".join(f"[{a}]" if ":" in a else a for a in self.addresses)
            config.append(f"http.curloptResolve={host}:{port or _default_port(self.repo)}:{pinned}")
        return tuple(arg for setting in config for arg in ("-c", setting))


@dataclass(frozen=True, slots=True)
class UrlPolicy:
    """The operator's rules for ``code_url``; built once at start-up, never from a request."""

    hosts: frozenset[str] = DEFAULT_HOSTS
    explicit: bool = False  # hosts named by the operator: their addresses are not checked
    allow_http: bool = False
    server_url: str = "https://github.com"  # where an owner/name code_url points
    resolver: Resolver = field(default=resolve, repr=False)

    @classmethod
    def build(
        cls,
        allow_hosts: Iterable[str] = (),
        *,
        allow_http: bool = False,
        server_url: str = "https://github.com",
        resolver: Resolver = resolve,
    ) -> UrlPolicy:
        named = frozenset(host.strip().lower() for host in allow_hosts if host.strip())
        return cls(named or DEFAULT_HOSTS, bool(named), allow_http, server_url, resolver)

    def check(self, code_url: str) -> source.RepoRef:
        """The repository ``code_url`` names, if its URL may be cloned; else SettingsError naming ``code_url``.

        No DNS here: it is cheap, so a bad request costs nothing and a cached answer needs no lookup.
        """
        repo = self._parse(code_url)
        hostname, _, port = repo.host.partition(":")
        if hostname not in self.hosts and repo.host not in self.hosts:
            raise _refuse("host not allowed")
        if port and not self.explicit and port != _default_port(repo):
            raise _refuse("port not allowed")  # the public forges serve git on their default port
        return repo

    def target(self, repo: source.RepoRef) -> Target:
        """``repo`` with the addresses its clone must use: every one the host resolves to, all public.

        Blocking (DNS): called inside the clone job. A host the operator named is trusted as it resolves.
        """
        if self.explicit:
            return Target(repo)
        hostname, _, port = repo.host.partition(":")
        return Target(repo, self._public_addresses(hostname, int(port or _default_port(repo))))

    def connect_to(self, hostname: str, port: int) -> tuple[str, ...]:
        """The addresses a connection to ``hostname`` may use: every one it resolves to, all public unless the
        operator named the hosts. Blocking (DNS): each connection of a git-less clone asks (``download_session``)."""
        if not self.explicit:
            return self._public_addresses(hostname, port)
        try:
            return tuple(self.resolver(hostname, port))
        except (OSError, UnicodeError):
            raise _refuse("host name does not resolve") from None

    def download_session(self, repo: source.RepoRef) -> requests.Session:
        """The HTTP session of a clone without git (the host's REST API and tarball): it reaches the hosts such a
        download uses and no other (a redirect elsewhere is not followed), each at addresses ``connect_to`` gives."""
        return guarded_http.session(tarball.download_endpoints(repo), self.connect_to)

    def _parse(self, code_url: str) -> source.RepoRef:
        http_hosts = self.hosts if self.allow_http else frozenset()
        try:
            return source.parse_repository(code_url, server_url=self.server_url, allow_http_hosts=http_hosts)
        except SettingsError as error:
            reason = str(error).removeprefix("repository: ").removeprefix("server-url: ")
            raise _refuse(reason) from None
        except ValueError:  # urlsplit refuses some Unicode (a full-width '/' that NFKC turns into a real one)
            raise _refuse("not a valid URL") from None

    def _public_addresses(self, hostname: str, port: int) -> tuple[str, ...]:
        try:
            found = self.resolver(hostname, port)
        except (OSError, UnicodeError):
            raise _refuse("host name does not resolve") from None
        if not found or not all(is_public(ipaddress.ip_address(text.partition("%")[0])) for text in found):
            raise _refuse("host resolves to an address that is not public")  # which one: never said
        return tuple(found)


def is_public(address: Address) -> bool:
    """True for a globally routable unicast address, also when it hides inside an IPv6 one."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # ::ffff:a.b.c.d is a.b.c.d on a dual-stack socket
            return is_public(address.ipv4_mapped)
        embedded = address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is not None and not is_public(embedded):
            return False
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _default_port(repo: source.RepoRef) -> str:
    return "443" if repo.url.startswith("https://") else "80"


def _refuse(why: str) -> SettingsError:
    return SettingsError(f"code_url: {why}")
