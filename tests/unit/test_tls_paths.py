"""Both ways a clone reaches a forge over https, against TLS servers on 127.0.0.1 with a certificate made for the
test: git through its byte-counting relay (SOCKS5) with the address pinned by ``http.curloptResolve``, and the
git-less download's session, pinned per connection. TLS checks the name asked for, not the address connected to.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from git_server import HOST, GitServer
from pipreqs_action.errors import SourceError
from pipreqs_action.server import guarded_http
from pipreqs_action.sources import source, wire

NAME = "forge.test"  # no DNS server knows it: only the pinned address reaches the test's server


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for ``forge.test`` alone, and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(NAME)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, certificate))
    return context


class _Relays(wire.WireBudget):
    made: ClassVar[list[wire.WireBudget]] = []

    def __enter__(self) -> wire.WireBudget:
        _Relays.made.append(self)
        return super().__enter__()


def git_over_tls(server: GitServer, name: str, cert: Path) -> tuple[source.RepoRef, tuple[str, ...]]:
    port = server.host.rpartition(":")[2]
    repo = source.parse_repository(f"https://{name}:{port}/owner/tls")
    pinned = ("-c", f"http.curloptResolve={name}:{port}:{HOST}", "-c", f"http.sslCAInfo={cert}")
    return repo, pinned


def test_git_clones_over_https_through_the_relay_at_the_pinned_address(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source, "WireBudget", _Relays)
    _Relays.made.clear()
    with GitServer(tls=server_context(certificate)) as server:
        server.create_repo("owner/tls", [{"a.py": "import yaml\n"}])
        repo, pinned = git_over_tls(server, NAME, certificate[0])
        with source.clone(repo, None, git_config=pinned) as checkout:
            assert (checkout.root / "a.py").read_text() == "import yaml\n"
    assert len(_Relays.made) == 1 and _Relays.made[0].received > 0  # the TLS records went through the relay


def test_git_refuses_a_certificate_made_for_another_name(certificate: tuple[Path, Path]) -> None:
    with GitServer(tls=server_context(certificate)) as server:
        server.create_repo("owner/tls", [{"a.py": "import yaml\n"}])
        repo, pinned = git_over_tls(server, "other.test", certificate[0])
        with pytest.raises(SourceError, match="git fetch failed"), source.clone(repo, None, git_config=pinned):
            pass
        assert server.state.paths == []  # no request got through


@pytest.fixture
def tls_web(certificate: tuple[Path, Path]) -> Iterator[int]:
    """An https server on 127.0.0.1 answering every GET with ``ok``; yields its port."""

    class Ok(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer((HOST, 0), Ok)
    httpd.socket = server_context(certificate).wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


def test_the_download_session_speaks_tls_to_the_name_at_the_pinned_address(
    certificate: tuple[Path, Path], tls_web: int
) -> None:
    asked: list[str] = []

    def pinned(name: str, port: int) -> list[str]:
        asked.append(name)
        return [str(ipaddress.ip_address(HOST))]

    endpoints = frozenset({("https", NAME, tls_web), ("https", "other.test", tls_web)})
    with guarded_http.session(endpoints, pinned) as http:
        http.verify = str(certificate[0])
        assert http.get(f"https://{NAME}:{tls_web}/x", timeout=10).text == "ok"
        with pytest.raises(requests.exceptions.SSLError):
            http.get(f"https://other.test:{tls_web}/x", timeout=10)  # the address is right, the name is not
    assert asked == [NAME, "other.test"]
