"""A throwaway PostgreSQL cluster on 127.0.0.1 for the tests that need a real server.

Created once per session in a temporary folder (as the `postgres` user when the tests run
as root: initdb refuses root), on a free loopback port with trust authentication, stopped
and removed at the end; each test gets a fresh database. `make test` installs Debian's
PostgreSQL; without its binaries these tests are skipped with the reason.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.net import free_port


def pg_bin() -> Path | None:
    """PostgreSQL's bin folder: initdb on PATH, or Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL (`postgresql://postgres@127.0.0.1:PORT`) of a throwaway cluster."""
    bindir = pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found: make system-deps")
    prefix: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="bookchat-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(workdir, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, log = workdir / "data", workdir / "server.log"
    port = free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=120)

    run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
    options = f"-h 127.0.0.1 -p {port} -k {workdir} -F -c max_connections=50"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o", options, "start")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database in the session's cluster; dropped afterwards."""
    bindir = pg_bin()
    assert bindir is not None
    port = pg_server.rsplit(":", 1)[1]
    name = f"t_{uuid.uuid4().hex[:12]}"
    common = ["-h", "127.0.0.1", "-p", port, "-U", "postgres"]
    subprocess.run([str(bindir / "createdb"), *common, name], check=True, capture_output=True)
    try:
        yield f"{pg_server}/{name}"
    finally:
        subprocess.run(
            [str(bindir / "dropdb"), *common, "--force", name], check=False, capture_output=True
        )
