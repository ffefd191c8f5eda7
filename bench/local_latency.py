"""Answer latency of the offline provider over the sample book's questions.

    .venv/bin/python bench/local_latency.py [--limit N]

Indexes the sample book into a temporary embedded Qdrant with the offline models, then
asks every question of `sample_book/answers.jsonl` through the engine (no HTTP) and prints
p50/p95 of the whole answer time and of retrieval alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import Settings  # noqa: E402
from engine import BookAssistant, ChatQuery  # noqa: E402
from engine.ingestion import IngestOptions, ingest  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main(limit: int | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Settings.load(env_file=None)
        settings = base.model_copy(
            update={
                "engine": base.engine.model_copy(update={"provider": "local"}),
                "qdrant": base.qdrant.model_copy(
                    update={"path": Path(tmp) / "qdrant", "collection": "book-local"}
                ),
            }
        )
        started = time.perf_counter()
        report = await ingest(settings, IngestOptions(folder=ROOT / "sample_book"))
        print(f"ingest: {report.summary()} (wall {time.perf_counter() - started:.1f} s)")
        started = time.perf_counter()
        engine = await BookAssistant.open(settings)
        print(f"engine open (models loaded): {time.perf_counter() - started:.1f} s")
        questions = [
            json.loads(line)["question"]
            for line in (ROOT / "sample_book" / "answers.jsonl").read_text().splitlines()
            if line.strip()
        ][:limit]
        answers, retrievals = [], []
        for question in questions:
            t0 = time.perf_counter()
            await engine.retrieve(ChatQuery(question))
            retrievals.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            await engine.chat(ChatQuery(question))
            answers.append(time.perf_counter() - t0)
        await engine.aclose()
    print(f"{len(questions)} questions")
    print(
        f"answer    p50 {statistics.median(answers):.2f} s  p95 {percentile(answers, 0.95):.2f} s"
        f"  max {max(answers):.2f} s"
    )
    print(
        f"retrieval p50 {statistics.median(retrievals) * 1000:.0f} ms"
        f"  p95 {percentile(retrievals, 0.95) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    asyncio.run(main(args.limit))
