"""The API's URL policy: https to an allowlist, public addresses only, no redirect; errors that reveal nothing.

Over real HTTP where a request is involved: the API on 127.0.0.1, a local git server as the only forge. A
stand-in resolver says what a public host name "resolves" to, so no test asks a real DNS server.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import pytest
import requests
from tests.api_server import WAIT, local_config, running, with_policy

from git_server import HOST, GitServer
from pipreqs_action.errors import SettingsError
from pipreqs_action.server.policy import DEFAULT_HOSTS, UrlPolicy, is_public

LOOPBACK_SPELLINGS = [
    "localhost",
    "127.0.0.1",
    "127.1",
    "2130706433",
    "0x7f000001",
    "0177.0.0.1",
    "0.0.0.0",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::]",
]


def fake_resolver(table: dict[str, list[str]]):
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError("Name or service not known")
        return table[host]

    return resolve


def refused(policy: UrlPolicy, code_url: str) -> str:
    with pytest.raises(SettingsError) as caught:
        policy.target(policy.check(code_url))
    return str(caught.value)


# --- the allowlist ---------------------------------------------------------------------------------------------


def test_the_default_allowlist_is_the_four_public_forges_over_https() -> None:
    policy = UrlPolicy.build()
    assert policy.hosts == DEFAULT_HOSTS == {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"}
    assert not policy.explicit and not policy.allow_http
    assert policy.check("https://gitlab.com/group/project").url == "https://gitlab.com/group/project.git"
    assert policy.check("owner/name").url == "https://github.com/owner/name.git"
    assert refused(policy, "http://github.com/owner/name").startswith("code_url: http:// is refused")


NAMES = ["localhost", "127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "0.0.0.0", "10.0.0.1"]


@pytest.mark.parametrize("host", [*NAMES, "169.254.169.254", "example.com", "github.com.evil"])
def test_any_other_host_is_not_allowed_whatever_its_spelling(host: str) -> None:
    assert refused(UrlPolicy.build(), f"https://{host}/owner/name") == "code_url: host not allowed"


def test_a_public_forge_only_on_its_default_port() -> None:
    policy = UrlPolicy.build(resolver=fake_resolver({"github.com": ["140.82.112.3"]}))
    assert refused(policy, "https://github.com:22/owner/name") == "code_url: port not allowed"
    assert policy.target(policy.check("https://github.com:443/owner/name")).addresses == ("140.82.112.3",)


@pytest.mark.parametrize("host", ["[::1]", "[::ffff:127.0.0.1]", "[::]"])
def test_ipv6_literals_are_refused(host: str) -> None:
    assert refused(UrlPolicy.build(), f"https://{host}/owner/name").startswith("code_url: ")


@pytest.mark.parametrize("host", ["127.1", "2130706433", "0x7f000001", "localhost", "0.0.0.0"])
def test_an_explicitly_allowed_address_does_not_allow_its_other_spellings(host: str) -> None:
    assert (
        refused(UrlPolicy.build([HOST], allow_http=True), f"https://{host}/owner/name") == "code_url: host not allowed"
    )


def test_allow_host_replaces_the_list_and_trusts_the_host_as_it_resolves() -> None:
    policy = UrlPolicy.build(["git.internal"], resolver=fake_resolver({}))
    assert policy.explicit
    target = policy.target(policy.check("https://git.internal/team/tool"))
    assert target.addresses == ()  # no lookup, no pin: the operator vouched for it
    assert refused(policy, "https://github.com/owner/name") == "code_url: host not allowed"


def test_allow_http_is_needed_for_http_urls() -> None:
    assert "http:// is refused" in refused(UrlPolicy.build([HOST]), f"http://{HOST}:9/owner/name")
    assert UrlPolicy.build([HOST], allow_http=True).check(f"http://{HOST}:9/owner/name").host == f"{HOST}:9"


@pytest.mark.parametrize("code_url", ["https://github.com\uff0fowner/name", "https://github.com/own\uff0fer/name"])
def test_odd_unicode_is_a_400_not_a_500(code_url: str) -> None:
    assert refused(UrlPolicy.build(), code_url).startswith("code_url: ")


# --- resolved addresses ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.255.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",  # carrier-grade NAT
        "169.254.169.254",  # cloud metadata
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "2002:7f00:0001::1",  # 6to4 around 127.0.0.1
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo around 127.0.0.1
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    ],
)
def test_a_public_forge_resolving_to_an_internal_address_is_refused_without_naming_it(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))
    policy = UrlPolicy.build(resolver=fake_resolver({"github.com": ["140.82.112.3", address]}))
    message = refused(policy, "https://github.com/owner/name")
    assert message == "code_url: host resolves to an address that is not public"
    assert address not in message


@pytest.mark.parametrize("address", ["140.82.112.3", "2606:50c0:8000::153", "::ffff:140.82.112.3"])
def test_public_addresses_pass_and_the_clone_is_pinned_to_them(address: str) -> None:
    policy = UrlPolicy.build(resolver=fake_resolver({"github.com": [address]}))
    target = policy.target(policy.check("https://github.com/owner/name"))
    assert target.addresses == (address,)
    config = target.git_config()
    assert config[:2] == ("-c", "http.followRedirects=false")
    shown = f"[{address}]" if ":" in address else address
    assert config[2:] == ("-c", f"http.curloptResolve=github.com:443:{shown}")


def test_a_host_that_does_not_resolve_is_a_400_saying_so() -> None:
    policy = UrlPolicy.build(resolver=fake_resolver({}))
    assert refused(policy, "https://codeberg.org/owner/name") == "code_url: host name does not resolve"


# --- over HTTP -------------------------------------------------------------------------------------------------


@pytest.fixture
def default_policy_api(git_server: GitServer) -> Iterator[str]:
    """The API with the default allowlist (http allowed, to reach the local git server), where every allowed
    name resolves to the local git server's address: loopback, which must be refused."""
    loopback = fake_resolver({host: [HOST] for host in DEFAULT_HOSTS})
    policy = UrlPolicy(DEFAULT_HOSTS, allow_http=True, resolver=loopback)
    with running(with_policy(local_config(), policy)) as base:
        yield base


def test_a_forge_name_pointed_at_loopback_is_refused_before_any_request(
    default_policy_api: str, git_server: GitServer
) -> None:
    git_server.create_repo("owner/internal", [{"a.py": "import requests\n"}])
    response = requests.get(
        f"{default_policy_api}/pipreqs", params={"code_url": "https://github.com/owner/internal"}, timeout=WAIT
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "code_url: host resolves to an address that is not public"}
    assert git_server.state.paths == []


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_loopback_spellings_are_refused_over_http(default_policy_api: str, git_server: GitServer, host: str) -> None:
    response = requests.get(
        f"{default_policy_api}/check", params={"code_url": f"https://{host}/owner/name"}, timeout=WAIT
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("code_url: ")
    assert git_server.state.paths == []


def test_a_redirect_to_another_host_is_not_followed(git_server: GitServer) -> None:
    """An allowed host answers with a redirect to the internal git server: nothing of it is fetched."""
    internal = git_server.create_repo("owner/secret", [{"secret.py": "import internal_only_package\n"}])
    with GitServer(redirect_to=git_server.base_url) as outside:
        policy = UrlPolicy.build([HOST], allow_http=True)
        with running(with_policy(local_config(), policy)) as base:
            response = requests.get(
                f"{base}/check", params={"code_url": f"{outside.base_url}/{internal.slug}"}, timeout=WAIT
            )
    assert outside.state.paths  # the allowed host was asked
    assert git_server.state.paths == []  # the internal one never
    assert response.status_code == 404
    assert "internal_only_package" not in response.text
    assert git_server.base_url not in response.text and "127.0.0.1" not in response.text
