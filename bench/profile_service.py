"""Profile `bookchat serve` under load with py-spy (not part of `make bench`).

    .venv/bin/python bench/profile_service.py --endpoint /chat --concurrency 32 --seconds 20
    .venv/bin/python bench/profile_service.py --profile burst   # clients in step, no pause

Starts the fake upstream and the service as `bench/run.py` does, records the service
with `py-spy record` while the load runs, and prints the top functions by own time.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench


async def load(url: str, endpoint: str, concurrency: int, seconds: float, profile: str) -> int:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        call = {
            "/chat": bench.http_chat(session, url),
            "follow-up": bench.http_follow_up(session, url),
            "/chat/stream": bench.http_stream(session, url),
        }[endpoint]
        if profile == "burst":  # rounds of ~0.7 s (one round trip) to fill `seconds`
            rounds = max(1, round(seconds / 0.7))
            result = await bench.drive_burst(endpoint, concurrency, rounds, call)
        else:
            result = await bench.drive(endpoint, concurrency, seconds, 0.68, call)
        return len(result.samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--endpoint", default="/chat", choices=["/chat", "follow-up", "/chat/stream"]
    )
    parser.add_argument("--profile", default="think", choices=["think", "burst"])
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--out", type=Path, default=Path("bench/results/profile.txt"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bookchat-profile-"))
    fake_port, port = bench.free_port(), bench.free_port()
    env = bench.bench_env(fake_port, work / "qdrant")
    procs = []
    try:
        procs.append(bench.start_fake(fake_port, env))
        bench.ingest_book(env)
        server = bench.start_service(port, env)
        procs.append(server)
        raw = work / "profile.txt"
        spy = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--pid",
                str(server.pid),
                "--format",
                "raw",
                "--output",
                str(raw),
                "--duration",
                str(int(args.seconds)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        done = asyncio.run(
            load(
                f"http://127.0.0.1:{port}",
                args.endpoint,
                args.concurrency,
                args.seconds,
                args.profile,
            )
        )
        spy.wait(60)
        print(f"{done} requests in {args.seconds:.0f} s")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(raw, args.out)
        print(f"collapsed stacks in {args.out}")
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
