"""The service's own cost against the physical limit: `make bench`.

1. Starts the fake Gemini server in a process of its own with fixed latencies (80 ms
   embedding, 600 ms generation, 250 ms to the first streamed token), indexes the sample
   book through it into a temporary embedded Qdrant, and starts `bookchat serve`
   (uvicorn) on that collection.
2. Loads `/chat` and `/chat/stream` at concurrency 1, 8, 32, 128 with async httpx, and runs
   a direct pipeline (raw google-genai and qdrant-client calls, no framework, no HTTP
   server) side by side at the same concurrency, so the ratio holds on a noisy machine.
3. Measures retrieval alone in the embedded mode over 10k and 100k synthetic chunks.
4. Measures ingestion throughput on a ~1,000-chunk book, 300 ms an embedding call, one
   call at a time and then the pipeline's default 4 in flight (`bench/ingestion.py`).
5. Measures what the sentence grounding adds when the model paraphrases its passages
   (`bench/grounding.py`: grounding `embedding` against `off`).
6. Writes a Markdown report to bench/results/latest.md (and prints it).

Overhead = measured latency minus the fake upstream's own latency (embedding + generation
for /chat; embedding + time to first token for the first stream delta).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor import Direct
from ingestion import ingestion_phase, render_ingestion
from load import (
    DIM,
    ROOT,
    Call,
    Result,
    Sample,
    cpu_seconds,
    drive,
    drive_burst,
    free_port,
    request_of,
    spawn_fake,
    wait_http,
)

sys.path.insert(0, str(ROOT))

EMBED_S = 0.080
GENERATE_S = 0.600
FIRST_TOKEN_S = 0.250
CONDENSE_S = 0.300  # the follow-up rewrite: a short completion
TOKEN_S = 0.015
LEVELS = (1, 8, 32, 128)
MIN_SAMPLES = 32
BURST_LEVELS = (8, 32)
BURST_ROUNDS = 10  # requests per client in the burst profile
INGEST_EMBED_S = 0.300  # an embedding call of up to 100 texts (ingestion throughput)


def http_chat(session: aiohttp.ClientSession, url: str, follow_up: bool = False) -> Call:
    """`/chat`; `follow_up`: with a history, so the follow-up rewrite (one more LLM
    call) comes first."""

    async def call(index: int) -> Sample:
        started = asyncio.get_running_loop().time()
        message, history = request_of(index, follow_up)
        body = {"message": message, "history": history}
        async with session.post(f"{url}/chat", json=body) as response:
            answer = await response.json() if response.status == 200 else {}
            ok = answer.get("outcome") == "answered"
        return Sample(started, asyncio.get_running_loop().time() - started, ok=ok)

    return call


def http_follow_up(session: aiohttp.ClientSession, url: str) -> Call:
    return http_chat(session, url, follow_up=True)


def http_stream(session: aiohttp.ClientSession, url: str, follow_up: bool = False) -> Call:
    """A `/chat/stream` request (a follow-up, with its history): the time to its first
    delta and to its end."""

    async def call(index: int) -> Sample:
        loop = asyncio.get_running_loop()
        started = loop.time()
        first = None
        ok = False
        message, history = request_of(index, follow_up)
        body = {"message": message, **({"history": history} if history else {})}
        async with session.post(f"{url}/chat/stream", json=body) as response:
            async for line in response.content:
                if first is None and line.startswith(b"event: delta"):
                    first = loop.time() - started
                elif line.startswith(b"event: done"):
                    ok = response.status == 200
        return Sample(started, loop.time() - started, first, ok)

    return call


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def session() -> aiohttp.ClientSession:
    # aiohttp, not httpx, as the load generator: measured here, httpx's client spent
    # 16 ms of CPU a request at 128 connections, and became the bottleneck it measured.
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=120)
    )


async def load_phase(
    service_url: str,
    service_pid: int,
    fake_url: str,
    direct_path: Path,
    seconds: float,
    levels: tuple[int, ...],
) -> list[dict[str, Any]]:
    """The think-time profile (`load.drive`), the direct pipeline in this process."""
    rows = []
    async with session() as client:
        direct = Direct(fake_url, direct_path)
        try:
            runs = (
                ("/chat", http_chat(client, service_url), EMBED_S + GENERATE_S, None),
                ("direct chat", direct.chat(), EMBED_S + GENERATE_S, None),
                (
                    "/chat follow-up",
                    http_follow_up(client, service_url),
                    EMBED_S + CONDENSE_S + GENERATE_S,
                    None,
                ),
                ("/chat/stream", http_stream(client, service_url), None, EMBED_S + FIRST_TOKEN_S),
                ("direct stream", direct.stream(), None, EMBED_S + FIRST_TOKEN_S),
            )
            for name, call, _, _ in runs:  # warm-up: connections, caches, lazy imports
                await drive(name, 4, 1.0, 0.2, call)
            for level in levels:
                for name, call, up, first in runs:
                    upstream = up if up is not None else (first or 0) + TOKEN_S * 20
                    # Long enough for MIN_SAMPLES at low concurrency.
                    window = max(seconds, MIN_SAMPLES * upstream / level)
                    cpu = cpu_seconds(service_pid)
                    result = await drive(name, level, window, upstream, call)
                    if name.startswith("/"):
                        result.cpu_s = cpu_seconds(service_pid) - cpu
                    rows.append(result.row(upstream, first))
                    print(json.dumps(rows[-1]), flush=True)
        finally:
            await direct.close()
    return rows


BURST_KINDS = (  # kind, service call, upstream latency, upstream latency to a first token
    ("chat", http_chat, EMBED_S + GENERATE_S, None),
    ("follow-up", http_follow_up, CONDENSE_S + EMBED_S + GENERATE_S, None),
    ("stream", http_stream, None, EMBED_S + FIRST_TOKEN_S),
)
SERVICE_NAMES = {"chat": "/chat", "follow-up": "/chat follow-up", "stream": "/chat/stream"}


class Floor:
    """`bench/floor.py` in a process of its own: its CPU is measured like the service's."""

    def __init__(self, fake_url: str, qdrant: Path) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "bench" / "floor.py"),
                "--fake-url",
                fake_url,
                "--qdrant",
                str(qdrant),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.warm: set[str] = set()

    async def run(self, kind: str, concurrency: int, rounds: int) -> Result:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        command = {"kind": kind, "c": concurrency, "rounds": rounds, "warm": kind not in self.warm}
        self.warm.add(kind)
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = await asyncio.get_running_loop().run_in_executor(None, self.process.stdout.readline)
        if not line:
            raise RuntimeError("the floor process ended")
        answer = json.loads(line)
        return Result(
            f"floor {kind}",
            concurrency,
            [Sample(*sample) for sample in answer["samples"]],
            tuple(answer["window"]),  # type: ignore[arg-type]
            answer["cpu_s"],
        )

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(30)


async def burst_phase(
    service_url: str,
    service_pid: int,
    floor: Floor,
    levels: tuple[int, ...],
    rounds: int,
    kinds: tuple[str, ...] = ("chat", "follow-up", "stream"),
) -> list[dict[str, Any]]:
    """The burst profile (`load.drive_burst`): each level and kind on the service, then
    on the floor (its own process), one after the other; CPU of each process over its
    run, per answered request."""
    rows = []
    async with session() as client:
        runs = [run for run in BURST_KINDS if run[0] in kinds]
        for kind, make, _, _ in runs:  # warm-up: connections, caches, lazy imports
            await drive_burst(kind, 4, 2, make(client, service_url))
        for level in levels:
            for kind, make, up, first in runs:
                upstream = up if up is not None else (first or 0) + TOKEN_S * 20
                cpu = cpu_seconds(service_pid)
                served = await drive_burst(
                    SERVICE_NAMES[kind], level, rounds, make(client, service_url)
                )
                served.cpu_s = cpu_seconds(service_pid) - cpu
                floored = await floor.run(kind, level, rounds)
                row, base = served.row(upstream, first), floored.row(upstream, first)
                for key in ("p50", "p95", "p99", "ttfd_p50", "ttfd_p95", "ttfd_p99"):
                    if key in row and key in base:
                        row[f"floor_{key}"] = base[key]
                        row[f"over_floor_{key}"] = row[key] - base[key]
                rows += [row, base]
                print(json.dumps(row), flush=True)
                print(json.dumps(base), flush=True)
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


def _ms(row: dict[str, Any], key: str, signed: bool = False) -> str:
    if key not in row:
        return "-"
    return f"{row[key]:+.0f}" if signed else f"{row[key]:.0f}"


def render_burst(rows: list[dict[str, Any]], rounds: int) -> list[str]:
    lines = [
        f"**Burst profile** (`load.drive_burst`): c clients released together, no think "
        f"time, {rounds} requests each; the floor (`bench/floor.py`, its own process) right "
        "after the service at the same level. Overhead vs floor = service minus floor at "
        "the same percentile. CPU = the process's user + system time over the run, per "
        "answered request.",
        "",
        "| endpoint | conc. | requests | errors | p50 ms | p95 ms | p99 ms | req/s "
        "| over upstream p50 | over upstream p95 | over floor p50 | over floor p95 "
        "| CPU ms/req |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if "ttfd_p50" in row:
            continue
        lines.append(
            f"| {row['name']} | {row['c']} | {row['n']} | {row['errors']} | {row['p50']:.0f} "
            f"| {row['p95']:.0f} | {row['p99']:.0f} | {row['rps']:.1f} "
            f"| {row['overhead_p50']:.1f} | {row['overhead_p95']:.1f} "
            f"| {_ms(row, 'over_floor_p50', True)} | {_ms(row, 'over_floor_p95', True)} "
            f"| {row.get('cpu_ms', 0):.2f} |"
        )
    lines += [
        "",
        "| stream | conc. | requests | errors | first delta p50 ms | p95 ms | p99 ms "
        "| first delta over upstream p95 | over floor p50 | over floor p95 "
        "| whole stream p95 ms | req/s | CPU ms/req |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if "ttfd_p50" not in row:
            continue
        lines.append(
            f"| {row['name']} | {row['c']} | {row['n']} | {row['errors']} "
            f"| {row['ttfd_p50']:.0f} | {row['ttfd_p95']:.0f} | {row['ttfd_p99']:.0f} "
            f"| {row['ttfd_over_p95']:.1f} | {_ms(row, 'over_floor_ttfd_p50', True)} "
            f"| {_ms(row, 'over_floor_ttfd_p95', True)} | {row['p95']:.0f} | {row['rps']:.1f} "
            f"| {row.get('cpu_ms', 0):.2f} |"
        )
    return lines


def render(
    load: list[dict[str, Any]],
    burst: list[dict[str, Any]],
    retrieval: list[dict[str, Any]],
    rss: float,
    meta: dict[str, str],
) -> str:
    lines = [
        f"Machine: {meta['machine']}; load average before the run {meta['loadavg']}. "
        f"Fake upstream: embedding {EMBED_S * 1000:.0f} ms, "
        f"generation {GENERATE_S * 1000:.0f} ms, follow-up rewrite {CONDENSE_S * 1000:.0f} ms, "
        f"first streamed token {FIRST_TOKEN_S * 1000:.0f} ms "
        f"(then 20 chunks {TOKEN_S * 1000:.0f} ms apart). Run {meta['date']}.",
        "",
    ]
    if load:
        lines += [
            "**Think-time profile** (`load.drive`): staggered clients, 0-10 ms pauses, a "
            "steady window; the direct pipeline in the load generator's process.",
            "",
            "| endpoint | conc. | requests in window | errors | p50 ms | p95 ms | p99 ms "
            "| req/s | overhead p50 ms | overhead p95 ms | first delta p95 ms "
            "| first delta over upstream p95 ms | service CPU ms/req |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for row in load:
            stream = "ttfd_p95" in row
            lines.append(
                f"| {row['name']} | {row['c']} | {row['n']} | {row['errors']} "
                f"| {row['p50']:.0f} | {row['p95']:.0f} | {row['p99']:.0f} | {row['rps']:.1f} "
                + (
                    "| - | - "
                    if stream
                    else f"| {row['overhead_p50']:.1f} | {row['overhead_p95']:.1f} "
                )
                + (
                    f"| {row['ttfd_p95']:.0f} | {row['ttfd_over_p95']:.1f} "
                    if stream
                    else "| - | - "
                )
                + (f"| {row['cpu_ms']:.2f} |" if "cpu_ms" in row else "| - |")
            )
        lines.append("")
    if burst:
        lines += [*render_burst(burst, int(meta["rounds"])), ""]
    lines += [f"Peak RSS of the service process over the whole run: {rss:.0f} MB.", ""]
    if retrieval:
        lines += [
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


def start_fake(
    port: int, env: dict[str, str], latency: bool = True, extra: Sequence[str] = ()
) -> subprocess.Popen[bytes]:
    """The fake Gemini server with the benchmark's fixed latencies (or none), in its own
    process; `extra`: more of its options (`--paraphrase`)."""
    delays = {
        "--condense-delay": CONDENSE_S,
        "--embed-delay": EMBED_S,
        "--generate-delay": GENERATE_S,
        "--first-token-delay": FIRST_TOKEN_S,
        "--token-delay": TOKEN_S,
    }
    if not latency:
        delays = dict.fromkeys(delays, 0.0)
    args = [str(x) for pair in delays.items() for x in pair]
    return spawn_fake(port, ["--stream-chunks", "20", *extra, *args], env)


def each_service(
    qdrant: Path,
    start: Callable[[int, dict[str, str]], subprocess.Popen[bytes]],
    configs: Sequence[tuple[str, Mapping[str, str]]],
) -> Iterator[tuple[str, str]]:
    """One fake Gemini (`start`) and, in turn, a service on the collection at `qdrant`
    for each configuration (a label and its settings): yields the label and the
    service's URL while that service runs (`bench/thinking.py`, `bench/grounding.py`)."""
    fake_port = free_port()
    env = bench_env(fake_port, qdrant)
    fake = start(fake_port, env)
    try:
        for label, overrides in configs:
            port = free_port()
            service = start_service(port, {**env, **overrides})
            try:
                yield label, f"http://127.0.0.1:{port}"
            finally:
                service.send_signal(signal.SIGTERM)
                service.wait(30)
    finally:
        fake.send_signal(signal.SIGTERM)
        fake.wait(30)


def run_alone(
    name: str,
    start: Callable[[int, dict[str, str]], subprocess.Popen[bytes]],
    phase: Callable[[Path, int], list[dict[str, Any]]],
    rounds: int,
) -> list[dict[str, Any]]:
    """A phase run on its own (`bench/thinking.py`, `bench/grounding.py`): the sample
    book indexed through the fake `start` brings up, into a temporary Qdrant, then
    `phase` on that Qdrant."""
    work = Path(tempfile.mkdtemp(prefix=f"bookchat-{name}-"))
    try:
        port = free_port()
        env = bench_env(port, work / "qdrant")
        fake = start(port, env)
        try:
            ingest_book(env)
        finally:
            fake.send_signal(signal.SIGTERM)
            fake.wait(30)
        return phase(work / "qdrant", rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def phase_main(
    name: str,
    description: str,
    start: Callable[[int, dict[str, str]], subprocess.Popen[bytes]],
    phase: Callable[[Path, int], list[dict[str, Any]]],
    render: Callable[[list[dict[str, Any]], int], list[str]],
    rounds: int,
) -> None:
    """The `main` of a phase run on its own: `--rounds N` (default `rounds`), then the
    phase's table."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=rounds, help="requests per client")
    args = parser.parse_args()
    print("\n".join(render(run_alone(name, start, phase, args.rounds), args.rounds)))


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


def levels_of(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=8.0, help="steady window per level and endpoint"
    )
    parser.add_argument(
        "--levels", default=",".join(map(str, LEVELS)), help="think-time profile ('': skip)"
    )
    parser.add_argument(
        "--burst-levels", default=",".join(map(str, BURST_LEVELS)), help="burst profile"
    )
    parser.add_argument("--burst-rounds", type=int, default=BURST_ROUNDS)
    parser.add_argument(
        "--burst-kinds", default="chat,follow-up,stream", help="burst profile's endpoints"
    )
    parser.add_argument("--sizes", default="10000,100000", help="synthetic collection sizes")
    parser.add_argument(
        "--thinking-rounds",
        type=int,
        default=5,
        help="bench/thinking.py: requests per client, old and new defaults (0: skip)",
    )
    parser.add_argument(
        "--grounding-rounds",
        type=int,
        default=5,
        help="bench/grounding.py: requests per client, grounding off and on (0: skip)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "latest.md")
    parser.add_argument(
        "--ingest-chunks", type=int, default=1000, help="ingestion throughput's book (0: skip)"
    )
    parser.add_argument("--ingest-runs", type=int, default=3)
    parser.add_argument(
        "--service-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a setting of the service's (e.g. BOOKCHAT_QUESTION_LOG=off); repeatable",
    )
    args = parser.parse_args()
    meta = {
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "rounds": str(args.burst_rounds),
    }
    from grounding import grounding_phase
    from grounding import render as render_grounding
    from thinking import render as render_thinking
    from thinking import thinking_phase

    work = Path(tempfile.mkdtemp(prefix="bookchat-bench-"))
    fake_port, service_port = free_port(), free_port()
    fake_url = f"http://127.0.0.1:{fake_port}"
    env = bench_env(fake_port, work / "qdrant")
    env |= dict(item.split("=", 1) for item in args.service_env)
    # A fresh database each run (the question log is on by default).
    env.setdefault("BOOKCHAT_FEEDBACK_DB", f"sqlite:///{work / 'bookchat.db'}")
    processes: list[subprocess.Popen[bytes]] = []
    floor: Floor | None = None
    try:
        processes.append(start_fake(fake_port, env))
        ingest_book(env)
        # Each direct side gets its own copy: the embedded folder admits one process.
        shutil.copytree(work / "qdrant", work / "direct")
        shutil.copytree(work / "qdrant", work / "floor")
        shutil.copytree(work / "qdrant", work / "thinking")
        shutil.copytree(work / "qdrant", work / "grounding")
        server = start_service(service_port, env)
        processes.append(server)
        service_url = f"http://127.0.0.1:{service_port}"
        load = (
            asyncio.run(
                load_phase(
                    service_url,
                    server.pid,
                    fake_url,
                    work / "direct",
                    args.seconds,
                    levels_of(args.levels),
                )
            )
            if levels_of(args.levels)
            else []
        )
        burst: list[dict[str, Any]] = []
        if levels_of(args.burst_levels):
            floor = Floor(fake_url, work / "floor")
            burst = asyncio.run(
                burst_phase(
                    service_url,
                    server.pid,
                    floor,
                    levels_of(args.burst_levels),
                    args.burst_rounds,
                    tuple(args.burst_kinds.split(",")),
                )
            )
        rss = peak_rss_mb(server.pid)
    finally:
        if floor is not None:
            floor.close()
        for process in processes:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
    try:
        thinking = thinking_phase(work / "thinking", args.thinking_rounds)
        grounding = grounding_phase(work / "grounding", args.grounding_rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    retrieval = retrieval_phase(levels_of(args.sizes), 200)
    ingestion = (
        ingestion_phase(args.ingest_chunks, INGEST_EMBED_S, args.ingest_runs)
        if args.ingest_chunks
        else []
    )
    report = render(load, burst, retrieval, rss, meta)
    if thinking:
        report += "\n" + "\n".join(render_thinking(thinking, args.thinking_rounds)) + "\n"
    if grounding:
        report += "\n" + "\n".join(render_grounding(grounding, args.grounding_rounds)) + "\n"
    if ingestion:
        report += "\n" + "\n".join(render_ingestion(ingestion)) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)
    print(report)


if __name__ == "__main__":
    main()
