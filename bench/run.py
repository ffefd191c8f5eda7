"""The service's own cost against the physical limit: `make bench`.

1. Starts the fake Gemini server in a process of its own with fixed latencies (80 ms
   embedding, 600 ms generation, 250 ms to the first streamed token), indexes the sample
   book through it into a temporary embedded Qdrant, and starts `bookchat serve`
   (uvicorn) on that collection.
2. Loads `/chat` and `/chat/stream` at concurrency 1, 8, 32, 128 with async httpx, and runs
   a direct pipeline (raw google-genai and qdrant-client calls, no framework, no HTTP
   server) side by side at the same concurrency, so the ratio holds on a noisy machine.
3. Measures retrieval alone in the embedded mode over 10k and 100k synthetic chunks.
4. Writes a Markdown report to bench/results/latest.md (and prints it).

Overhead = measured latency minus the fake upstream's own latency (embedding + generation
for /chat; embedding + time to first token for the first stream delta).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EMBED_S = 0.080
GENERATE_S = 0.600
FIRST_TOKEN_S = 0.250
CONDENSE_S = 0.300  # the follow-up rewrite: a short completion
TOKEN_S = 0.015
DIM = 768
LEVELS = (1, 8, 32, 128)
MIN_SAMPLES = 48
THINK_S = 0.010  # a client's pause between requests, uniform from 0
QUESTIONS = [
    json.loads(line)["question"]
    for line in (ROOT / "sample_book" / "eval.jsonl").read_text().splitlines()
    if line.strip()
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


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

    def row(self, upstream: float, upstream_first: float | None) -> dict[str, Any]:
        """Latency of every request started inside the steady window (the clients finish
        the requests they have started: none is left out for being slow); throughput of
        the answers that ended inside it."""
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
        firsts = [s.first_delta * 1000 for s in ok if s.first_delta is not None]
        if firsts and upstream_first is not None:
            out["ttfd_p50"] = pct(firsts, 0.5)
            out["ttfd_p95"] = pct(firsts, 0.95)
            out["ttfd_over_p95"] = pct(firsts, 0.95) - upstream_first * 1000
        return out


Call = Callable[[int], Awaitable[Sample]]


async def drive(name: str, concurrency: int, seconds: float, spread: float, call: Call) -> Result:
    """`concurrency` closed-loop clients, measured over a steady window of `seconds`.

    With the fake upstream's fixed latencies, clients that start together, or meet once
    in a queue, leave it together and stay in lock-step from then on: every request
    then arrives in a burst, and the bursts grow as the run goes on. That measures how
    long a burst takes to drain, not the service's cost at that concurrency. So client
    i starts i/concurrency of `spread` (one upstream round trip) after the first, and
    each client pauses a random 0-`THINK_S` between its requests (a reader's next
    question never comes in the same millisecond as another's). The window opens once
    every client runs.
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
            index = next(counter)
            started = loop.time()
            try:
                sample = await call(index)
            except Exception:  # a failed request is counted, the run goes on
                sample = Sample(started, loop.time() - started, ok=False)
            result.samples.append(sample)

    await asyncio.gather(*(client(spread * i / concurrency) for i in range(concurrency)))
    result.window = (begin, deadline)
    return result


def http_chat(session: aiohttp.ClientSession, url: str) -> Call:
    async def call(index: int) -> Sample:
        started = asyncio.get_running_loop().time()
        body = {"message": QUESTIONS[index % len(QUESTIONS)]}
        async with session.post(f"{url}/chat", json=body) as response:
            await response.read()
            ok = response.status == 200
        return Sample(started, asyncio.get_running_loop().time() - started, ok=ok)

    return call


FOLLOW_UP_HISTORY = [
    {"role": "user", "content": "What does the emergency stop button do on the robot?"},
    {"role": "assistant", "content": "It removes motor power through the safety chain [1]."},
]


def http_follow_up(session: aiohttp.ClientSession, url: str) -> Call:
    """`/chat` with a history: the follow-up rewrite (one more LLM call) comes first."""

    async def call(index: int) -> Sample:
        started = asyncio.get_running_loop().time()
        body = {"message": "And how do I restart it afterwards?", "history": FOLLOW_UP_HISTORY}
        async with session.post(f"{url}/chat", json=body) as response:
            await response.read()
            ok = response.status == 200
        return Sample(started, asyncio.get_running_loop().time() - started, ok=ok)

    return call


def http_stream(session: aiohttp.ClientSession, url: str) -> Call:
    async def call(index: int) -> Sample:
        loop = asyncio.get_running_loop()
        started = loop.time()
        first = None
        ok = False
        body = {"message": QUESTIONS[index % len(QUESTIONS)]}
        async with session.post(f"{url}/chat/stream", json=body) as response:
            async for line in response.content:
                if first is None and line.startswith(b"event: delta"):
                    first = loop.time() - started
                elif line.startswith(b"event: done"):
                    ok = response.status == 200
        return Sample(started, loop.time() - started, first, ok)

    return call


class Direct:
    """The limit: the same upstream calls with the raw SDKs, no framework, no server."""

    def __init__(self, base_url: str, qdrant_path: Path) -> None:
        from google import genai
        from google.genai import types
        from qdrant_client import AsyncQdrantClient

        self.types = types
        self.client = genai.Client(
            api_key="bench", http_options=types.HttpOptions(base_url=base_url, timeout=30_000)
        )
        self.qdrant = AsyncQdrantClient(path=str(qdrant_path))

    async def _context(self, question: str) -> str:
        embedded = await self.client.aio.models.embed_content(
            model="gemini-embedding-001",
            contents=[question],
            config=self.types.EmbedContentConfig(
                task_type="RETRIEVAL_QUERY", output_dimensionality=DIM
            ),
        )
        vector = embedded.embeddings[0].values if embedded.embeddings else None
        assert vector is not None
        hits = await self.qdrant.query_points("book", query=vector, limit=5, with_payload=True)
        return "\n\n".join(
            f"source: {p.payload.get('source')}\n{p.payload.get('text')}"
            for p in hits.points
            if p.payload
        )

    def chat(self) -> Callable[[int], Awaitable[Sample]]:
        async def call(index: int) -> Sample:
            started = asyncio.get_running_loop().time()
            question = QUESTIONS[index % len(QUESTIONS)]
            context = await self._context(question)
            await self.client.aio.models.generate_content(
                model="gemini-3.5-flash",
                contents=question,
                config=self.types.GenerateContentConfig(system_instruction=context),
            )
            return Sample(started, asyncio.get_running_loop().time() - started)

        return call

    def stream(self) -> Callable[[int], Awaitable[Sample]]:
        async def call(index: int) -> Sample:
            loop = asyncio.get_running_loop()
            started = loop.time()
            question = QUESTIONS[index % len(QUESTIONS)]
            context = await self._context(question)
            first = None
            async for _ in await self.client.aio.models.generate_content_stream(
                model="gemini-3.5-flash",
                contents=question,
                config=self.types.GenerateContentConfig(system_instruction=context),
            ):
                if first is None:
                    first = loop.time() - started
            return Sample(started, loop.time() - started, first)

        return call

    async def close(self) -> None:
        await self.client.aio.aclose()
        await self.qdrant.close()


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def load_phase(
    service_url: str, fake_url: str, direct_path: Path, seconds: float, levels: tuple[int, ...]
) -> list[dict[str, Any]]:
    rows = []
    # aiohttp, not httpx, as the load generator: measured here, httpx's client spent
    # 16 ms of CPU a request at 128 connections, and became the bottleneck it measured.
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        direct = Direct(fake_url, direct_path)
        try:
            runs = (
                ("/chat", http_chat(session, service_url), EMBED_S + GENERATE_S, None),
                ("direct chat", direct.chat(), EMBED_S + GENERATE_S, None),
                (
                    "/chat follow-up",
                    http_follow_up(session, service_url),
                    EMBED_S + CONDENSE_S + GENERATE_S,
                    None,
                ),
                ("/chat/stream", http_stream(session, service_url), None, EMBED_S + FIRST_TOKEN_S),
                ("direct stream", direct.stream(), None, EMBED_S + FIRST_TOKEN_S),
            )
            for name, call, _, _ in runs:  # warm-up: connections, caches, lazy imports
                await drive(name, 4, 1.0, 0.2, call)
            for level in levels:
                for name, call, up, first in runs:
                    upstream = up if up is not None else (first or 0) + TOKEN_S * 20
                    # Long enough for MIN_SAMPLES at low concurrency.
                    window = max(seconds, MIN_SAMPLES * upstream / level)
                    result = await drive(name, level, window, upstream, call)
                    rows.append(result.row(upstream, first))
                    print(json.dumps(rows[-1]), flush=True)
        finally:
            await direct.close()
    return rows


def retrieval_phase(sizes: tuple[int, ...], queries: int) -> list[dict[str, Any]]:
    """Query latency and memory of the embedded Qdrant over synthetic collections."""
    rows = []
    for size in sizes:
        out = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "retrieval.py"),
                "--chunks",
                str(size),
                "--dim",
                str(DIM),
                "--queries",
                str(queries),
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=1200,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    return rows


def render(
    load: list[dict[str, Any]], retrieval: list[dict[str, Any]], rss: float, meta: dict[str, str]
) -> str:
    lines = [
        f"Machine: {meta['machine']}. Fake upstream: embedding {EMBED_S * 1000:.0f} ms, "
        f"generation {GENERATE_S * 1000:.0f} ms, "
        f"first streamed token {FIRST_TOKEN_S * 1000:.0f} ms "
        f"(then 20 chunks {TOKEN_S * 1000:.0f} ms apart). Run {meta['date']}.",
        "",
        "| endpoint | conc. | requests in window | errors | p50 ms | p95 ms | p99 ms | req/s "
        "| overhead p50 ms | overhead p95 ms | first delta p95 ms "
        "| first delta over upstream p95 ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in load:
        stream = "ttfd_p95" in row
        lines.append(
            f"| {row['name']} | {row['c']} | {row['n']} | {row['errors']} | {row['p50']:.0f} "
            f"| {row['p95']:.0f} | {row['p99']:.0f} | {row['rps']:.1f} "
            + (
                "| - | - "
                if stream
                else f"| {row['overhead_p50']:.1f} | {row['overhead_p95']:.1f} "
            )
            + (f"| {row['ttfd_p95']:.0f} | {row['ttfd_over_p95']:.1f} |" if stream else "| - | - |")
        )
    lines += [
        "",
        f"Peak RSS of the service process over the whole run (128 included): {rss:.0f} MB.",
        "",
        "Retrieval alone, embedded Qdrant (`:memory:`, brute force), 768-d synthetic vectors:",
        "",
        "| chunks | load s | query p50 ms | query p95 ms | process RSS MB "
        "| BM25 index build s | hybrid leg p50 ms | hybrid leg p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in retrieval:
        lines.append(
            f"| {row['chunks']:,} | {row['load_s']:.1f} | {row['p50_ms']:.1f} "
            f"| {row['p95_ms']:.1f} | {row['rss_mb']:.0f} | {row['bm25_build_s']:.1f} "
            f"| {row['hybrid_p50_ms']:.1f} | {row['hybrid_p95_ms']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def bench_env(fake_port: int, qdrant_path: Path) -> dict[str, str]:
    """The service's environment: the fake upstream, a private embedded Qdrant."""
    prefixes = ("BOOKCHAT_", "QDRANT_", "GEMINI_", "GOOGLE_")
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(prefixes)},
        "GEMINI_API_KEY": "bench",
        "GOOGLE_GEMINI_BASE_URL": f"http://127.0.0.1:{fake_port}",
        "BOOKCHAT_EMBED_DIM": str(DIM),
        "QDRANT_PATH": str(qdrant_path),
        "BOOKCHAT_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def start_fake(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The fake Gemini server with the benchmark's fixed latencies, in its own process."""
    delays = {
        "--condense-delay": CONDENSE_S,
        "--embed-delay": EMBED_S,
        "--generate-delay": GENERATE_S,
        "--first-token-delay": FIRST_TOKEN_S,
        "--token-delay": TOKEN_S,
    }
    args = [str(x) for pair in delays.items() for x in pair]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fake_gemini",
            "--port",
            str(port),
            "--quiet",
            "--stream-chunks",
            "20",
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    wait_http(f"http://127.0.0.1:{port}/v1beta/models/x")
    return process


def ingest_book(env: dict[str, str]) -> None:
    """Index the sample book through the fake upstream into the benchmark's Qdrant."""
    subprocess.run(
        [sys.executable, "-m", "cli", "ingest", str(ROOT / "sample_book")],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def start_service(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`bookchat serve` on `port`, once it answers /health."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", str(port)], cwd=ROOT, env=env
    )
    wait_http(f"http://127.0.0.1:{port}/health")
    return process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=8.0, help="steady window per level and endpoint"
    )
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)))
    parser.add_argument("--sizes", default="10000,100000", help="synthetic collection sizes")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "latest.md")
    args = parser.parse_args()
    levels = tuple(int(x) for x in args.levels.split(","))
    work = Path(tempfile.mkdtemp(prefix="bookchat-bench-"))
    fake_port, service_port = free_port(), free_port()
    fake_url = f"http://127.0.0.1:{fake_port}"
    env = bench_env(fake_port, work / "qdrant")
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes.append(start_fake(fake_port, env))
        ingest_book(env)
        # The direct pipeline gets its own copy: the embedded folder admits one process.
        shutil.copytree(work / "qdrant", work / "direct")
        server = start_service(service_port, env)
        processes.append(server)
        service_url = f"http://127.0.0.1:{service_port}"
        load = asyncio.run(load_phase(service_url, fake_url, work / "direct", args.seconds, levels))
        rss = peak_rss_mb(server.pid)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    retrieval = retrieval_phase(tuple(int(x) for x in args.sizes.split(",") if x), 200)
    meta = {
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "date": time.strftime("%Y-%m-%d"),
    }
    report = render(load, retrieval, rss, meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)
    print(report)


if __name__ == "__main__":
    main()
