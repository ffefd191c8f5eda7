"""Operating real `bookchat serve` processes: JSON logs, streams in flight, metrics
shared between processes, several workers (issue 16)."""

from __future__ import annotations

import json
import shutil
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.support.fake_gemini import FakeGemini
from tests.support.metrics import sample
from tests.support.net import free_port
from tests.support.processes import Server, bookchat, gunicorn, launch, service_env
from tests.support.sse import parse_events

pytestmark = pytest.mark.e2e
API_KEY = "ops-secret-key-0123456789"
QUESTION = "How do I configure the robot's network?"


def chat(url: str, **headers: str) -> httpx.Response:
    return httpx.post(f"{url}/chat", json={"message": QUESTION}, headers=headers, timeout=30)


def test_json_logs_have_one_line_a_request_and_no_secrets(server: Server, tmp_path: Path) -> None:
    url = server(BOOKCHAT_LOG_FORMAT="json", BOOKCHAT_API_KEYS=API_KEY)
    response = chat(url, authorization=f"Bearer {API_KEY}")
    assert response.status_code == 200
    refused = chat(url, authorization="Bearer wrong-key-987")
    assert refused.status_code == 401

    (log,) = tmp_path.glob("server-*.log")
    # A request's line is written once its response has gone: wait for the second one.
    deadline = time.monotonic() + 30
    while refused.headers["x-request-id"] not in (text := log.read_text()):
        assert time.monotonic() < deadline, text
        time.sleep(0.1)
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    requests = [line for line in lines if line["logger"] == "service.observability"]
    answered = [line for line in requests if line["request_id"] == response.headers["x-request-id"]]
    assert len(answered) == 1
    assert answered[0]["status"] == 200
    assert answered[0]["outcome"] == "answered"
    assert set(answered[0]["stages_ms"]) >= {"embed", "search", "generation"}
    assert [line["status"] for line in requests if line["route"] == "/chat"] == [200, 401]
    assert API_KEY not in text
    assert "wrong-key-987" not in text
    assert "network" not in text  # the reader's question


def test_streams_in_flight_rise_and_fall(server: Server, fake: FakeGemini) -> None:
    url = server()
    fake.first_token_delay = 2.0
    with httpx.Client(timeout=30) as client:
        with client.stream("POST", f"{url}/chat/stream", json={"message": QUESTION}) as stream:
            during = client.get(f"{url}/metrics").text
            body = "".join(stream.iter_text())
        after = client.get(f"{url}/metrics").text

    assert sample(during, "bookchat_streams_in_flight") == 1
    assert sample(after, "bookchat_streams_in_flight") == 0
    assert parse_events(body)[-1][0] == "done"


def test_processes_sharing_a_metrics_folder_add_up(
    server: Server, qdrant_path: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "metrics"
    shared.mkdir()
    second_copy = tmp_path / "qdrant-2"
    shutil.copytree(qdrant_path, second_copy)
    first = server(PROMETHEUS_MULTIPROC_DIR=str(shared))
    second = server(PROMETHEUS_MULTIPROC_DIR=str(shared), QDRANT_PATH=str(second_copy))

    for url in (first, first, second):
        assert chat(url).status_code == 200

    for url in (first, second):
        text = httpx.get(f"{url}/metrics", timeout=10).text
        assert sample(text, "bookchat_requests_total", route="/chat", status="200") == 3
        assert sample(text, "bookchat_answers_total", outcome="answered") == 3


def test_workers_refuse_the_embedded_folder(fake: FakeGemini, qdrant_path: Path) -> None:
    result = bookchat("serve", "--workers", "2", env=service_env(fake, qdrant_path))

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "QDRANT_URL" in lines[0]


def test_workers_refuse_a_metrics_folder_left_from_a_run(
    fake: FakeGemini, qdrant_path: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "metrics"
    shared.mkdir()
    (shared / "counter_12345.db").write_bytes(b"\0" * 8)
    env = service_env(
        fake,
        qdrant_path,
        QDRANT_URL=f"http://127.0.0.1:{free_port()}",
        PROMETHEUS_MULTIPROC_DIR=str(shared),
    )

    result = bookchat("serve", "--workers", "2", env=env)

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"bookchat: PROMETHEUS_MULTIPROC_DIR={shared} is not empty: empty it first"
    ]


@pytest.mark.parametrize(
    "command",
    [("-m", "cli", "serve", "--workers", "2"), gunicorn(2)],
    ids=["bookchat-serve", "gunicorn"],
)
def test_workers_share_metrics_and_stop_on_sigterm(
    command: tuple[str, ...], fake: FakeGemini, qdrant_path: Path, tmp_path: Path
) -> None:
    """Two workers against a Qdrant server URL (none can run here: the port is closed,
    so /ready is 503 and says why). Each request lands on either worker; /metrics,
    from either, counts them all."""
    shared = tmp_path / "metrics"
    shared.mkdir()
    env = service_env(
        fake,
        qdrant_path,
        QDRANT_URL=f"http://127.0.0.1:{free_port()}",
        PROMETHEUS_MULTIPROC_DIR=str(shared),
    )
    # Two engines start side by side on 2 cores: a generous bound.
    process, url = launch(command, env, tmp_path, wait=180)
    try:
        deadline = time.monotonic() + 180
        pids: set[str] = set()
        while len(pids) < 2 and time.monotonic() < deadline:
            assert process.poll() is None
            pids = {path.stem.rsplit("_", 1)[1] for path in shared.glob("counter_*.db")}
            time.sleep(0.5)
        assert len(pids) == 2, "the second worker never started"

        statuses = []
        for _ in range(20):
            with httpx.Client(timeout=30) as fresh:  # a new connection each time
                ready = fresh.get(f"{url}/ready")
                statuses.append(ready.status_code)
        assert statuses == [503] * 20
        assert "Qdrant" in ready.json()["reason"]

        text = httpx.get(f"{url}/metrics", timeout=10).text
        assert sample(text, "bookchat_requests_total", route="/ready", status="503") == 20
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(60)
    assert code == 0
