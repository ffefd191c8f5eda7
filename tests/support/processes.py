"""Real `bookchat` processes: the environment they run in, one-shot commands, servers
started on a free port and stopped."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx

from tests.support.fake_gemini import FakeGemini
from tests.support.net import free_port
from tests.support.settings import TEST_KEY

ROOT = Path(__file__).resolve().parents[2]


def service_env(fake: FakeGemini, qdrant_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BOOKCHAT_", "QDRANT_", "GEMINI_", "GOOGLE_"))
    }
    env.update(
        GEMINI_API_KEY=TEST_KEY,
        GOOGLE_GEMINI_BASE_URL=fake.base_url,
        QDRANT_PATH=str(qdrant_path),
        BOOKCHAT_UPSTREAM_RETRY_ATTEMPTS="1",
        BOOKCHAT_GROUNDING_THRESHOLD="0.6",  # no calibration call (tests/support/settings.py)
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)  # may replace the above (QDRANT_PATH of a second copy)
    return env


def bookchat(
    *args: str, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def launch(
    argv: Sequence[str], env: dict[str, str], folder: Path, wait: float = 90
) -> tuple[subprocess.Popen[str], str]:
    """Run `python ARGV --port P` (a server: `-m cli serve` by default) on a free port in
    `folder`, its output in `folder/server-P.log`; return it and its base URL once
    `/health` answers (its log as the error when it exits or never answers). An ARGV
    that names the port itself (`-b 127.0.0.1:{port}`) gets no `--port`."""
    port = free_port()
    log = folder / f"server-{port}.log"
    argv = argv or ("-m", "cli", "serve")
    if any("{port}" in arg for arg in argv):
        command = [arg.replace("{port}", str(port)) for arg in argv]
    else:
        command = [*argv, "--port", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, *command],
            env=env,
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log.read_text())
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the server did not start:\n{log.read_text()}")


def gunicorn(workers: int, *options: str) -> tuple[str, ...]:
    """The gunicorn command of docs/operating.md over the zero-argument factory, for `launch`."""
    return (
        *("-m", "gunicorn", "service.asgi:app_from_env()"),
        *("--worker-class", "uvicorn_worker.UvicornWorker", "--workers", str(workers)),
        *("--bind", "127.0.0.1:{port}", *options),
    )


def stop(processes: Sequence[subprocess.Popen[str]]) -> None:
    """Teardown: SIGTERM, then SIGKILL past a bound."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(15)


Server = Callable[..., str]
