"""`bookchat repl` and `bookchat ask`, driven as a user would: piped input and a pty."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.support.fake_gemini import FakeGemini
from tests.support.processes import ROOT, bookchat, service_env
from tests.support.settings import ClientFactory, MakeSettings


def repl(fake: FakeGemini, qdrant_path: Path, *lines: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", "repl"],
        input="\n".join(lines) + "\n",
        env=service_env(fake, qdrant_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_question_streams_answer_then_sources(fake: FakeGemini, qdrant_path: Path) -> None:
    result = repl(fake, qdrant_path, "What does an IMU measure?")

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "According to [1] sensors/imu.md" in out
    assert "sources:" in out
    assert "1. 0." in out
    assert "Inertial measurement units > What an IMU measures  (sensors/imu.md)" in out
    assert "An IMU measures linear acceleration" in out  # first line of the chunk
    assert "\033[" not in out  # plain text when piped


def test_follow_up_carries_history_and_reset_forgets_it(
    fake: FakeGemini, qdrant_path: Path
) -> None:
    out = repl(
        fake, qdrant_path, "What does an IMU measure?", "And LiDAR?", ":reset", "IMU?"
    ).stdout

    assert "earlier turns: 2" in out
    assert "conversation forgotten" in out
    assert out.rstrip().count("earlier turns: 0") == 2


def test_sources_command_shows_the_last_sources_in_full(
    fake: FakeGemini, qdrant_path: Path
) -> None:
    out = repl(fake, qdrant_path, "What does an IMU measure?", ":sources").stdout

    assert "[1] sensors/imu.md  score" in out
    assert "    url: https://book.example/sensors/imu" in out


def test_retrieve_calls_no_llm(fake: FakeGemini, qdrant_path: Path) -> None:
    out = repl(fake, qdrant_path, ":retrieve LiDAR point cloud").stdout

    assert "(sensors/lidar.md)" in out.splitlines()[2]
    assert fake.of_kind("stream") == []
    assert fake.of_kind("generate") == []


def test_k_bounds_the_sources(fake: FakeGemini, qdrant_path: Path) -> None:
    out = repl(fake, qdrant_path, ":k 2", ":retrieve robot", ":k 99").stdout

    assert "top_k = 2" in out
    assert "  2. " in out
    assert "  3. " not in out
    assert "usage: :k N" in out


def test_filter_narrows_and_clear_restores(fake: FakeGemini, qdrant_path: Path) -> None:
    out = repl(
        fake,
        qdrant_path,
        ":filter source=safety/estop.md",
        ":retrieve IMU",
        ":filter clear",
        ":retrieve IMU",
    ).stdout
    first, second = out.split("filters cleared")

    assert "(safety/estop.md)" in first
    assert "(sensors/imu.md)" not in first
    assert "(sensors/imu.md)" in second


def test_select_grounds_the_next_answer(fake: FakeGemini, qdrant_path: Path) -> None:
    out = repl(fake, qdrant_path, ":select Gyroscopes drift over time.", "Why?").stdout

    assert "selected passage set" in out
    assert "About the selected passage (Gyroscopes drift over time.)" in out


def test_config_and_help(fake: FakeGemini, qdrant_path: Path) -> None:
    out = repl(fake, qdrant_path, ":config", ":help", ":nope").stdout

    assert "provider:" in out
    assert "gemini" in out
    assert "collection:" in out
    assert "book at local:" in out
    assert "top_k:" in out
    assert ":retrieve QUERY" in out
    assert "unknown command :nope" in out


def test_upstream_error_is_one_line_and_the_session_goes_on(
    fake: FakeGemini, qdrant_path: Path
) -> None:
    fake.fail("stream", 429, times=1)

    result = repl(fake, qdrant_path, "IMU?", "IMU?")

    assert result.returncode == 0
    assert "error: Gemini answered 429 RESOURCE_EXHAUSTED: rate limited" in result.stdout
    assert "According to [1] sensors/imu.md" in result.stdout


def test_quit_command_leaves(fake: FakeGemini, qdrant_path: Path) -> None:
    result = repl(fake, qdrant_path, ":quit", "IMU?")

    assert result.returncode == 0
    assert fake.of_kind("embed") == []


def read_until(fd: int, needle: bytes, timeout: float = 30) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def controlling_terminal() -> None:
    """In the child: a new session whose controlling terminal is its stdin (the pty)."""
    import fcntl
    import termios

    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def test_ctrl_c_stops_the_answer_not_the_repl(
    fake: FakeGemini, qdrant_path: Path, tmp_path: Path
) -> None:
    fake.token_delay = 0.1
    fake.stream_chunks = 200
    history = tmp_path / "history"
    env = {**service_env(fake, qdrant_path), "BOOKCHAT_REPL_HISTORY": str(history), "TERM": "xterm"}
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "repl"],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env=env,
        close_fds=True,
        preexec_fn=controlling_terminal,  # so that Ctrl-C becomes SIGINT, as in a shell
    )
    os.close(secondary)
    try:
        read_until(primary, b"book>")
        os.write(primary, b"What does an IMU measure?\r")
        read_until(primary, b"According")
        os.write(primary, b"\x03")
        stopped = read_until(primary, b"(answer stopped)")
        read_until(primary, b"book>")
        os.write(primary, b"\x04")  # Ctrl-D leaves
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(primary)

    assert b"(answer stopped)" in stopped
    assert process.returncode == 0
    assert fake.streams_aborted == 1
    assert fake.chunks_sent < 200
    assert "What does an IMU measure?" in history.read_text()  # kept across runs


async def test_ask_json_matches_the_http_api(
    fake: FakeGemini,
    qdrant_path: Path,
    app_client: ClientFactory,
    make_settings: MakeSettings,
    tmp_path: Path,
) -> None:
    import shutil

    cli_copy = Path(shutil.copytree(qdrant_path, tmp_path / "cli-qdrant"))
    args = [
        "What does an IMU measure?",
        "--json",
        "--k",
        "3",
        "--filter",
        "source=sensors/imu.md,sensors/lidar.md",
    ]
    result = bookchat("ask", *args, env=service_env(fake, cli_copy))
    async with app_client(make_settings()) as client:
        response = await client.post(
            "/chat",
            json={
                "message": "What does an IMU measure?",
                "top_k": 3,
                "filters": {"source": ["sensors/imu.md", "sensors/lidar.md"]},
            },
        )

    assert result.returncode == 0, result.stderr
    cli, http = json.loads(result.stdout), response.json()
    assert set(cli) == set(http)
    assert cli["answer"] == http["answer"]
    assert cli["source_nodes"] == http["source_nodes"]


def test_ask_selected_text_and_plain_output(fake: FakeGemini, qdrant_path: Path) -> None:
    result = bookchat(
        "ask", "Why?", "--selected-text", "Gyroscopes drift.", env=service_env(fake, qdrant_path)
    )

    assert result.returncode == 0
    assert result.stdout.startswith("About the selected passage (Gyroscopes drift.)")
    assert " *[1] 0." in result.stdout  # cited by the answer
    assert "  [2] 0." in result.stdout


def test_ask_bad_filter_exits_2(fake: FakeGemini, qdrant_path: Path) -> None:
    result = bookchat("ask", "x", "--filter", "nokey", env=service_env(fake, qdrant_path))

    assert result.returncode == 2
    assert result.stderr.strip() == "bookchat: --filter expects KEY=VALUE, not 'nokey'"


def test_library_one_liner_loads_the_engine(fake: FakeGemini, qdrant_path: Path) -> None:
    code = (
        "import asyncio\n"
        "from engine import ChatQuery, open_engine\n"
        "async def main():\n"
        "    chat = await open_engine()\n"
        "    result = await chat.chat(ChatQuery('What does an IMU measure?'))\n"
        "    print(result.sources[0].metadata['source'])\n"
        "    await chat.aclose()\n"
        "asyncio.run(main())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=service_env(fake, qdrant_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sensors/imu.md"


def test_a_partial_answer_cut_by_an_early_stop_is_said_withdrawn(
    fake: FakeGemini, qdrant_path: Path
) -> None:
    fake.finish_reason = "MAX_TOKENS"

    result = repl(fake, qdrant_path, "IMU?")

    assert result.returncode == 0
    assert "(the partial answer above is withdrawn)" in result.stdout
