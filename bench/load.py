"""What the benchmark's two sides share: the requests, the samples, the two load profiles
and the CPU clock. Imported by `bench/run.py` (the service side) and `bench/floor.py`
(the floor, a process of its own)."""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

DIM = 768
THINK_S = 0.010  # the think-time profile: a client's pause between requests, uniform from 0
QUESTIONS = [
    json.loads(line)["question"]
    for line in (ROOT / "sample_book" / "eval.jsonl").read_text().splitlines()
    if line.strip()
]
FOLLOW_UP = "And how do I restart it afterwards?"
FOLLOW_UP_HISTORY = [
    {"role": "user", "content": "What does the emergency stop button do on the robot?"},
    {"role": "assistant", "content": "It removes motor power through the safety chain [1]."},
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def spawn_fake(port: int, args: Sequence[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The fake Gemini server (`tests.support.fake_gemini`) on `port` with `args` (its
    latencies, chunks, thinking), in a process of its own, once it answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.fake_gemini", "--port", str(port), "--quiet", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/v1beta/models/x")
    except RuntimeError:
        process.kill()
        raise
    return process


def request_of(index: int, follow_up: bool) -> tuple[str, list[dict[str, str]]]:
    """The message and history of request `index` (the same on both sides)."""
    if follow_up:
        return FOLLOW_UP, FOLLOW_UP_HISTORY
    return QUESTIONS[index % len(QUESTIONS)], []


def cpu_seconds(pid: int | str) -> float:
    """User + system CPU time of process `pid` ("self": this one), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the command's ")": state is field 3, utime 14 and stime 15 (1-based).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


@dataclass
class Sample:
    started: float
    latency: float
    first_delta: float | None = None
    ok: bool = True


@dataclass
class Result:
    name: str
    concurrency: int
    samples: list[Sample] = field(default_factory=list)
    window: tuple[float, float] = (0.0, 0.0)
    cpu_s: float | None = None  # the measured process's CPU over the run

    def row(self, upstream: float, upstream_first: float | None) -> dict[str, Any]:
        """Latency of every request started inside the window (the clients finish the
        requests they have started: none is left out for being slow); throughput of the
        answers that ended inside it."""
        begin, end = self.window
        steady = [s for s in self.samples if begin <= s.started < end]
        ok = [s for s in steady if s.ok]
        finished = [s for s in self.samples if s.ok and begin <= s.started + s.latency <= end]
        lat = [s.latency * 1000 for s in ok] or [0.0]
        out: dict[str, Any] = {
            "name": self.name,
            "c": self.concurrency,
            "n": len(steady),
            "errors": sum(not s.ok for s in self.samples),
            "p50": pct(lat, 0.5),
            "p95": pct(lat, 0.95),
            "p99": pct(lat, 0.99),
            "rps": len(finished) / (end - begin) if end > begin else 0.0,
            "overhead_p50": pct(lat, 0.5) - upstream * 1000,
            "overhead_p95": pct(lat, 0.95) - upstream * 1000,
        }
        if self.cpu_s is not None:
            done = sum(s.ok for s in self.samples)
            out["cpu_ms"] = self.cpu_s * 1000 / done if done else 0.0
        firsts = [s.first_delta * 1000 for s in ok if s.first_delta is not None]
        if firsts and upstream_first is not None:
            out["ttfd_p50"] = pct(firsts, 0.5)
            out["ttfd_p95"] = pct(firsts, 0.95)
            out["ttfd_p99"] = pct(firsts, 0.99)
            out["ttfd_over_p95"] = pct(firsts, 0.95) - upstream_first * 1000
        return out


Call = Callable[[int], Awaitable[Sample]]


async def _measured(call: Call, index: int, loop: asyncio.AbstractEventLoop) -> Sample:
    started = loop.time()
    try:
        return await call(index)
    except Exception:  # a failed request is counted, the run goes on
        return Sample(started, loop.time() - started, ok=False)


async def drive(name: str, concurrency: int, seconds: float, spread: float, call: Call) -> Result:
    """The think-time profile: `concurrency` closed-loop clients, measured over a steady
    window of `seconds`.

    With the fake upstream's fixed latencies, clients that start together, or meet once
    in a queue, leave it together and stay in lock-step from then on: every request
    then arrives in a burst, and the bursts grow as the run goes on. That measures how
    long a burst takes to drain, not the service's cost at that concurrency. So client
    i starts i/concurrency of `spread` (one upstream round trip) after the first, and
    each client pauses a random 0-`THINK_S` between its requests (a reader's next
    question never comes in the same millisecond as another's). The window opens once
    every client runs. `drive_burst` is the other profile.
    """
    result = Result(name, concurrency)
    loop = asyncio.get_running_loop()
    begin = loop.time() + spread
    deadline = begin + seconds
    counter = iter(range(1 << 30))
    jitter = random.Random(concurrency)

    async def client(offset: float) -> None:
        await asyncio.sleep(offset)
        while loop.time() < deadline:
            await asyncio.sleep(jitter.uniform(0, THINK_S))
            result.samples.append(await _measured(call, next(counter), loop))

    await asyncio.gather(*(client(spread * i / concurrency) for i in range(concurrency)))
    result.window = (begin, deadline)
    return result


async def drive_burst(name: str, concurrency: int, rounds: int, call: Call) -> Result:
    """The burst profile: `concurrency` closed-loop clients released together (a
    barrier), each sending its next request the moment the previous one is answered
    (no think time), `rounds` requests each. Every request counts; the window is the
    whole run. With fixed upstream latencies the clients stay in lock-step, so the
    service meets `concurrency` requests in the same millisecond, again and again:
    the worst case for its tail, and what an independent load test measured."""
    result = Result(name, concurrency)
    loop = asyncio.get_running_loop()
    counter = iter(range(1 << 30))
    barrier = asyncio.Barrier(concurrency)

    async def client() -> None:
        await barrier.wait()
        for _ in range(rounds):
            result.samples.append(await _measured(call, next(counter), loop))

    begin = loop.time()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    # Every request started after `begin`; the window closes with the last answer.
    result.window = (begin, loop.time() + 1e-9)
    return result
