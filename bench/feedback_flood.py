"""The feedback flood: one client posting maximal ratings as fast as it can.

    python bench/feedback_flood.py [--seconds 20]

Starts the fake Gemini and `bookchat serve` as `make bench` does (bench/run.py), each case
on a fresh SQLite database, and has one client post `POST /feedback` bodies as large as
the schema admits (a 2,000-character comment, a 4,000-character question, the longest
history, 20 passages) for `--seconds`:

- `log off, made-up ids`: `BOOKCHAT_QUESTION_LOG=off`, a new random `request_id` each time
  (what any id got before the ratings were bounded);
- `log on, made-up ids`: the default; the ids were never issued (404 each);
- `log on, one real id`: the default; the client asks one question and rates its answer
  again and again (one row, the last wins).

Reports the statuses, the rows stored and the database's growth (file + WAL). Reports
numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import bench_env, free_port, ingest_book, start_fake, start_service

BODY_LIMIT = 64 * 1024  # BOOKCHAT_MAX_BODY_BYTES's default


def maximal(request_id: str) -> dict[str, object]:
    """The largest body the default limits admit: every field full, history to the limit."""
    body: dict[str, object] = {
        "request_id": request_id,
        "rating": "down",
        "comment": "c" * 2000,
        "question": "q" * 4000,
        "retrieval_query": "r" * 4000,
        "passages": [{"id": f"p{n}", "source": "s" * 1024} for n in range(20)],
        "history": [],
    }
    room = BODY_LIMIT - len(json.dumps(body).encode()) - 64
    history = []
    while room > 100:
        content = min(4000, room - 40)
        history.append(
            {"role": "user" if len(history) % 2 == 0 else "assistant", "content": "h" * content}
        )
        room -= content + 40
    body["history"] = history
    return body


def size(db: Path) -> int:
    return sum(f.stat().st_size for f in db.parent.glob(db.name + "*") if f.is_file())


async def flood(url: str, seconds: float, real: bool) -> Counter[int]:
    statuses: Counter[int] = Counter()
    async with aiohttp.ClientSession() as session:
        request_id = None
        if real:
            async with session.post(f"{url}/chat", json={"message": "What is ROS 2?"}) as r:
                request_id = (await r.json())["request_id"]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            body = maximal(request_id or uuid.uuid4().hex)
            async with session.post(f"{url}/feedback", json=body) as response:
                await response.read()
                statuses[response.status] += 1
    return statuses


def rows(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM bookchat_feedback").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    cases = [
        ("log off, made-up ids", "off", False),
        ("log on, made-up ids", "on", False),
        ("log on, one real id", "on", True),
    ]
    with tempfile.TemporaryDirectory(prefix="bookchat-flood-") as tmp:
        fake_port = free_port()
        env = bench_env(fake_port, Path(tmp) / "qdrant")
        fake = start_fake(fake_port, env, latency=False)
        try:
            ingest_book(env)
            print("| case | statuses | rows stored | database growth |")
            print("|---|---|---|---|")
            for name, log, real in cases:
                db = Path(tmp) / f"{log}-{real}" / "bookchat.db"
                port = free_port()
                service = start_service(
                    port,
                    env | {"BOOKCHAT_QUESTION_LOG": log, "BOOKCHAT_FEEDBACK_DB": f"sqlite:///{db}"},
                )
                try:
                    before = size(db)
                    statuses = asyncio.run(flood(f"http://127.0.0.1:{port}", args.seconds, real))
                    grown = size(db) - before
                    shown = ", ".join(f"{n} x {s}" for s, n in sorted(statuses.items()))
                    print(f"| {name} | {shown} | {rows(db)} | {grown / 1e6:.2f} MB |")
                finally:
                    service.terminate()
                    service.wait(30)
        finally:
            fake.terminate()
            fake.wait(30)


if __name__ == "__main__":
    main()
