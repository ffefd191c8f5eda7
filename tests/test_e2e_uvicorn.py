"""End to end: a real `bookchat serve` process (uvicorn) over a real socket."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_KEY
from tests.fake_gemini import FakeGemini
from tests.net import free_port
from tests.sse import parse_events

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent


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
    """The README's gunicorn command over the zero-argument factory, for `launch`."""
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


@pytest.fixture
def server(fake: FakeGemini, qdrant_path: Path, tmp_path: Path) -> Iterator[Server]:
    """`server(**env)` starts `bookchat serve` and returns its base URL."""
    processes: list[subprocess.Popen[str]] = []

    def start(**extra: str) -> str:
        process, url = launch((), service_env(fake, qdrant_path, **extra), tmp_path)
        processes.append(process)
        return url

    yield start
    stop(processes)


def test_chat_over_a_socket(server: Server) -> None:
    url = server()

    response = httpx.post(f"{url}/chat", json={"message": "What does an IMU measure?"}, timeout=30)

    assert response.status_code == 200
    assert response.json()["source_nodes"][0]["metadata"]["source"] == "sensors/imu.md"
    assert httpx.get(f"{url}/ready", timeout=10).json()["status"] == "ready"


def test_stream_over_a_socket_arrives_incrementally(server: Server, fake: FakeGemini) -> None:
    url = server()
    fake.token_delay = 0.05
    fake.stream_chunks = 10
    arrivals: list[float] = []
    body = []
    with httpx.stream(
        "POST", f"{url}/chat/stream", json={"message": "IMU"}, timeout=30
    ) as response:
        for chunk in response.iter_text():
            arrivals.append(time.monotonic())
            body.append(chunk)

    events = parse_events("".join(body))
    assert events[0][0] == "sources"
    assert events[-1][0] == "done"
    assert len([name for name, _ in events if name == "delta"]) == 10
    assert len(arrivals) > 2  # not one buffered blob


def test_client_disconnect_stops_the_generation(server: Server, fake: FakeGemini) -> None:
    url = server()
    fake.token_delay = 0.1
    fake.stream_chunks = 100
    with httpx.stream(
        "POST", f"{url}/chat/stream", json={"message": "IMU"}, timeout=30
    ) as response:
        for line in response.iter_lines():
            if line.startswith("event: delta"):
                break

    fake.wait_for_abort()
    assert fake.streams_aborted == 1
    assert fake.streams_completed == 0
    assert fake.chunks_sent < 100


def test_silent_model_gets_ping_comments(server: Server, fake: FakeGemini) -> None:
    url = server(BOOKCHAT_STREAM_PING_SECONDS="0.2")
    fake.first_token_delay = 1.0
    with httpx.stream(
        "POST", f"{url}/chat/stream", json={"message": "IMU"}, timeout=30
    ) as response:
        lines = list(response.iter_lines())

    first_delta = next(i for i, line in enumerate(lines) if line == "event: delta")
    assert any(line.startswith(":") for line in lines[:first_delta])


def test_dimension_mismatch_exits_with_one_line(fake: FakeGemini, qdrant_path: Path) -> None:
    result = bookchat("serve", env=service_env(fake, qdrant_path, BOOKCHAT_EMBED_DIM="1536"))

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("bookchat: collection 'book' has vectors of size 768")
    assert "1536" in lines[-1]
    assert "Traceback" not in result.stderr


def test_bad_setting_exits_with_one_line(fake: FakeGemini, qdrant_path: Path) -> None:
    result = bookchat("serve", env=service_env(fake, qdrant_path, BOOKCHAT_TOP_K="99"))

    assert result.returncode == 2
    assert result.stderr.strip() == (
        "bookchat: invalid configuration: BOOKCHAT_TOP_K: Input should be less than or equal to 20"
    )


def test_ask_json_has_the_chat_shape(fake: FakeGemini, qdrant_path: Path) -> None:
    result = bookchat(
        "ask", "What does an IMU measure?", "--json", env=service_env(fake, qdrant_path)
    )

    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert set(body) == {"answer", "outcome", "retrieval_query", "source_nodes", "request_id"}
    assert body["source_nodes"][0]["metadata"]["source"] == "sensors/imu.md"
