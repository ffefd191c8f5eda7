"""The engine's CPU per answer, in process, sequential (not part of `make bench`).

    .venv/bin/python bench/engine_cpu.py --requests 300

Starts the fake upstream with no latency and indexes the sample book as `bench/run.py`
does, then calls `BookAssistant.chat` / `.stream` (every delta read) one after another
in this process and prints the process CPU time per call: a figure that moves little
with the machine's load, to compare a change's cost before and after it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench
from load import request_of


async def measure(requests: int) -> dict[str, float]:
    from config import Settings
    from engine import BookAssistant
    from engine.types import ChatQuery, Turn

    assistant = await BookAssistant.open(Settings.load(), require_collection=True)
    out = {}
    try:
        for kind in ("chat", "follow-up", "stream"):

            async def one(index: int, kind: str = kind) -> None:
                message, history = request_of(index, kind == "follow-up")
                query = ChatQuery(
                    message=message, history=[Turn(t["role"], t["content"]) for t in history]
                )
                if kind == "stream":
                    stream = await assistant.stream(query)
                    async for _ in stream.deltas:
                        pass
                    await stream.aclose()
                else:
                    await assistant.chat(query)

            for index in range(20):  # warm-up
                await one(index)
            best = float("inf")
            for _ in range(3):  # the least disturbed of three runs
                started = time.process_time()
                for index in range(requests):
                    await one(index)
                best = min(best, (time.process_time() - started) * 1000 / requests)
            out[kind] = best
    finally:
        await assistant.aclose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bookchat-cpu-"))
    port = bench.free_port()
    env = bench.bench_env(port, work / "qdrant")
    fake = None
    try:
        fake = bench.start_fake(port, env, latency=False)
        bench.ingest_book(env)
        os.environ.clear()
        os.environ.update(env)
        for kind, ms in asyncio.run(measure(args.requests)).items():
            print(f"{kind}: {ms:.2f} ms CPU a call (best of 3 x {args.requests})")
    finally:
        if fake is not None:
            fake.send_signal(signal.SIGTERM)
            fake.wait(30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
