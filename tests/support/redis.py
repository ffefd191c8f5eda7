"""A throwaway Redis on 127.0.0.1 for the tests that need a real server.

Started once per session in a temporary folder, on a free loopback port, with no
persistence (`--save ''`, `--appendonly no`), stopped at the end; each test gets the URL of
a database emptied for it. A second one speaks TLS only (`rediss://`), with a self-signed
certificate. `make test` installs Debian's redis-server; without it these
tests are skipped with the reason.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.net import free_port


def redis_command(port: int, *command: str, ca: Path | None = None) -> bytes:
    """One command in Redis' inline protocol; the first line of the reply (over TLS,
    trusting the certificate `ca`, when given)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        sock = (
            ssl.create_default_context(cafile=str(ca)).wrap_socket(raw, server_hostname="127.0.0.1")
            if ca is not None
            else raw
        )
        sock.sendall((" ".join(command) + "\r\n").encode())
        return sock.makefile("rb").readline()


@contextmanager
def _serve_redis(workdir: Path, listen: list[str], port: int, ca: Path | None) -> Iterator[None]:
    """redis-server in `workdir`, without persistence, answering PING, for the block."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        pytest.skip("redis-server not found: make system-deps (Debian's redis-server)")
    log = (workdir / "server.log").open("w")
    process = subprocess.Popen(
        [
            binary,
            *("--bind", "127.0.0.1", *listen),
            *("--save", "", "--appendonly", "no", "--dir", str(workdir)),
        ],
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError((workdir / "server.log").read_text())
            try:
                if redis_command(port, "PING", ca=ca).startswith(b"+PONG"):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield
    finally:
        process.terminate()
        process.wait(30)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """The URL (`redis://127.0.0.1:PORT`) of a throwaway Redis."""
    workdir = Path(tempfile.mkdtemp(prefix="bookchat-redis-"))
    port = free_port()
    with _serve_redis(workdir, ["--port", str(port)], port, None):
        yield f"redis://127.0.0.1:{port}"


@dataclass(frozen=True)
class TlsRedis:
    url: str  # rediss://127.0.0.1:PORT
    ca: Path  # its self-signed certificate, the one a client must trust


@pytest.fixture(scope="session")
def redis_tls_server() -> Iterator[TlsRedis]:
    """A throwaway Redis that speaks TLS only, with a self-signed certificate for
    127.0.0.1 made by openssl (Debian's package; `make system-deps`)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl not found: make system-deps (Debian's openssl)")
    workdir = Path(tempfile.mkdtemp(prefix="bookchat-redis-tls-"))
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(
        [
            openssl,
            *("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    port = free_port()
    listen = ["--port", "0", "--tls-port", str(port), "--tls-auth-clients", "no"]
    listen += ["--tls-cert-file", str(cert), "--tls-key-file", str(key)]
    listen += ["--tls-ca-cert-file", str(cert)]
    with _serve_redis(workdir, listen, port, cert):
        yield TlsRedis(f"rediss://127.0.0.1:{port}", cert)


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """Database 0 of the session's Redis, emptied for this test."""
    port = int(redis_server.rsplit(":", 1)[1])
    assert redis_command(port, "FLUSHALL").startswith(b"+OK")
    return f"{redis_server}/0"
