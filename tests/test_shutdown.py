"""Graceful shutdown of a real server process: SIGTERM/SIGINT with work in flight."""

from __future__ import annotations

import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.fake_gemini import FakeGemini
from tests.support.processes import gunicorn, launch, service_env, stop
from tests.support.sse import parse_events

pytestmark = pytest.mark.e2e

WAIT = 60.0  # a bound on every wait: generous, on a loaded machine
Start = Callable[..., tuple[subprocess.Popen[str], str]]


@pytest.fixture
def start(fake: FakeGemini, qdrant_path: Path, tmp_path: Path) -> Iterator[Start]:
    """`start(*command, **env)` runs a server (default `bookchat serve`) on a free port,
    waits for `/health`, returns the process and its base URL."""
    processes: list[subprocess.Popen[str]] = []

    def run(*command: str, **extra: str) -> tuple[subprocess.Popen[str], str]:
        process, url = launch(command, service_env(fake, qdrant_path, **extra), tmp_path, WAIT)
        processes.append(process)
        return process, url

    yield run
    stop(processes)


def stream_after_first_delta(url: str, started: threading.Semaphore) -> list[tuple[str, Any]]:
    """POST /chat/stream; `started` is released at the first delta; the events."""
    lines: list[str] = []
    with httpx.stream("POST", f"{url}/chat/stream", json={"message": "IMU"}, timeout=WAIT) as r:
        for line in r.iter_lines():
            lines.append(line)
            if line == "event: delta" and lines.count(line) == 1:
                started.release()
    return parse_events("\n".join(lines))


def start_streams(
    pool: ThreadPoolExecutor, url: str, count: int
) -> list[Future[list[tuple[str, Any]]]]:
    """`count` streams, returned once each has had its first delta (in flight)."""
    started = threading.Semaphore(0)
    futures = [pool.submit(stream_after_first_delta, url, started) for _ in range(count)]
    for _ in range(count):
        assert started.acquire(timeout=WAIT), "a stream never started"
    return futures


def refused(port: int) -> bool:
    """Whether a new connection to the port is refused, within a bounded wait."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5):
                pass
        except ConnectionRefusedError:
            return True
        time.sleep(0.05)
    return False


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.parametrize(
    "command",
    # gunicorn: SIGTERM to the master, which passes it to its worker; the drain is the app's.
    [(), gunicorn(1, "--graceful-timeout", "25")],
    ids=["bookchat-serve", "gunicorn"],
)
def test_streams_in_flight_finish_after_sigterm(
    command: tuple[str, ...], start: Start, fake: FakeGemini
) -> None:
    fake.token_delay = 0.2
    fake.stream_chunks = 15
    process, url = start(*command, BOOKCHAT_SHUTDOWN_GRACE_SECONDS="20")
    with ThreadPoolExecutor(20) as pool:
        streams = start_streams(pool, url, 20)

        process.send_signal(signal.SIGTERM)

        results = [stream.result(timeout=WAIT) for stream in streams]
    assert [events[-1][0] for events in results] == ["done"] * 20
    assert all(len([n for n, _ in events if n == "delta"]) == 15 for events in results)
    assert process.wait(WAIT) == 0


def test_new_connections_are_refused_after_sigterm(start: Start, fake: FakeGemini) -> None:
    fake.token_delay = 0.2
    fake.stream_chunks = 25
    process, url = start(BOOKCHAT_SHUTDOWN_GRACE_SECONDS="60")
    with ThreadPoolExecutor(1) as pool:
        (stream,) = start_streams(pool, url, 1)

        process.send_signal(signal.SIGTERM)

        assert refused(int(url.rsplit(":", 1)[1]))
        assert stream.result(timeout=WAIT)[-1][0] == "done"
    assert process.wait(WAIT) == 0


def test_sigint_drains_like_sigterm(start: Start, fake: FakeGemini) -> None:
    fake.token_delay = 0.2
    fake.stream_chunks = 15
    process, url = start(BOOKCHAT_SHUTDOWN_GRACE_SECONDS="60")
    with ThreadPoolExecutor(1) as pool:
        (stream,) = start_streams(pool, url, 1)

        process.send_signal(signal.SIGINT)

        assert stream.result(timeout=WAIT)[-1][0] == "done"
    assert process.wait(WAIT) == 0


def test_stream_longer_than_the_grace_ends_with_an_error_event(
    start: Start, fake: FakeGemini
) -> None:
    fake.token_delay = 0.5
    fake.stream_chunks = 400  # 200 s: far beyond the grace period
    process, url = start(BOOKCHAT_SHUTDOWN_GRACE_SECONDS="1")
    with ThreadPoolExecutor(1) as pool:
        (stream,) = start_streams(pool, url, 1)

        process.send_signal(signal.SIGTERM)

        events = stream.result(timeout=WAIT)
    name, data = events[-1]
    assert name == "error"
    assert data["code"] == "shutting_down"
    assert data["message"]
    fake.wait_for_abort(timeout=WAIT)
    assert fake.streams_aborted == 1
    assert fake.streams_completed == 0
    assert process.wait(WAIT) == 0


def test_chat_in_flight_at_sigterm_completes(start: Start, fake: FakeGemini) -> None:
    fake.generate_delay = 2.0
    process, url = start(BOOKCHAT_SHUTDOWN_GRACE_SECONDS="60")
    with ThreadPoolExecutor(1) as pool:
        chat = pool.submit(
            httpx.post, f"{url}/chat", json={"message": "What does an IMU measure?"}, timeout=WAIT
        )
        wait_until(lambda: bool(fake.of_kind("generate")))

        process.send_signal(signal.SIGTERM)

        response = chat.result(timeout=WAIT)
    assert response.status_code == 200
    assert response.json()["answer"]
    assert process.wait(WAIT) == 0


def test_chat_still_running_at_the_bound_gets_503(start: Start, fake: FakeGemini) -> None:
    fake.hang = {"generate"}
    process, url = start(BOOKCHAT_SHUTDOWN_GRACE_SECONDS="1")
    with ThreadPoolExecutor(1) as pool:
        chat = pool.submit(
            httpx.post, f"{url}/chat", json={"message": "What does an IMU measure?"}, timeout=WAIT
        )
        wait_until(lambda: bool(fake.of_kind("generate")))

        process.send_signal(signal.SIGTERM)

        response = chat.result(timeout=WAIT)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "shutting_down"
    assert process.wait(WAIT) == 0


def test_drain_works_under_plain_uvicorn_with_the_factory(start: Start, fake: FakeGemini) -> None:
    """The drain lives in the app, not in `bookchat serve`: `uvicorn --factory` over the
    documented zero-argument factory too."""
    fake.token_delay = 0.5
    fake.stream_chunks = 400
    process, url = start(
        "-m",
        "uvicorn",
        "--factory",
        "service.asgi:app_from_env",
        "--timeout-graceful-shutdown",
        "30",
        BOOKCHAT_SHUTDOWN_GRACE_SECONDS="1",
    )
    with ThreadPoolExecutor(1) as pool:
        (stream,) = start_streams(pool, url, 1)

        process.send_signal(signal.SIGTERM)

        events = stream.result(timeout=WAIT)
    assert events[-1][0] == "error"
    assert events[-1][1]["code"] == "shutting_down"
    process.wait(WAIT)  # uvicorn's own CLI re-raises SIGTERM at the end: its exit code


def test_chatkit_stream_longer_than_the_grace_ends_with_its_error_event(
    start: Start, fake: FakeGemini, tmp_path: Path
) -> None:
    types = pytest.importorskip("chatkit.types")
    from tests.support.chatkit import EVENT, threads_create  # the optional extra's types

    fake.token_delay = 0.5
    fake.stream_chunks = 400
    process, url = start(
        BOOKCHAT_CHATKIT="on",
        BOOKCHAT_FEEDBACK_DB=f"sqlite:///{tmp_path / 'bookchat.db'}",
        BOOKCHAT_SHUTDOWN_GRACE_SECONDS="1",
    )
    request = threads_create("IMU")
    data: list[str] = []
    signalled = False
    with httpx.stream(
        "POST",
        f"{url}/chatkit",
        content=request.model_dump_json(),
        headers={"X-BookChat-User": "alice"},
        timeout=WAIT,
    ) as response:
        for line in response.iter_lines():
            if line.startswith("data: "):
                data.append(line[len("data: ") :])
                if "text_delta" in line and not signalled:
                    process.send_signal(signal.SIGTERM)
                    signalled = True

    last = EVENT.validate_json(data[-1])
    assert isinstance(last, types.ErrorEvent)
    assert last.allow_retry
    assert "shutting down" in (last.message or "")
    fake.wait_for_abort(timeout=WAIT)
    assert fake.streams_aborted == 1
    assert process.wait(WAIT) == 0
