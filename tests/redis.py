"""A throwaway Redis on 127.0.0.1 for the tests that need a real server.

Started once per session in a temporary folder, on a free loopback port, with no
persistence (`--save ''`, `--appendonly no`), stopped at the end; each test gets the URL of
a database emptied for it. `make test` installs Debian's redis-server; without it these
tests are skipped with the reason.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.net import free_port


def redis_command(port: int, *command: str) -> bytes:
    """One command in Redis' inline protocol; the first line of the reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall((" ".join(command) + "\r\n").encode())
        return sock.makefile("rb").readline()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """The URL (`redis://127.0.0.1:PORT`) of a throwaway Redis."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        pytest.skip("redis-server not found: make system-deps (Debian's redis-server)")
    workdir = Path(tempfile.mkdtemp(prefix="bookchat-redis-"))
    port = free_port()
    log = (workdir / "server.log").open("w")
    process = subprocess.Popen(
        [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
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
                if redis_command(port, "PING").startswith(b"+PONG"):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(30)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """Database 0 of the session's Redis, emptied for this test."""
    port = int(redis_server.rsplit(":", 1)[1])
    assert redis_command(port, "FLUSHALL").startswith(b"+OK")
    return f"{redis_server}/0"
