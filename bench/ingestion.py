"""Ingestion throughput against an upstream with a fixed latency per embedding call.

    python bench/ingestion.py [--chunks 1000] [--embed-delay 0.3] [--runs 3]

Writes a synthetic book of `--chunks` sections (one chunk each, ~250 words, 10 sections a
page) to a temporary folder, starts the fake Gemini server in a process of its own with
`--embed-delay` seconds per embedding call, and ingests the book into a fresh embedded
Qdrant (in /dev/shm where there is one) once per mode and run, in this process, through
`engine.ingestion.ingest`: the whole of `bookchat ingest` but its command line (reading,
chunking, embedding, writing).
Prints one JSON line per mode: the median and the best run's seconds and chunks per
second, and the median CPU seconds of this process (the fake's are its own). The work
besides the upstream's latency is CPU-bound: on a loaded machine the median moves a lot,
the best run less.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import ROOT, free_port, spawn_fake

sys.path.insert(0, str(ROOT))

from config import Settings
from config.settings import (
    EngineSettings,
    GeminiSettings,
    LocalSettings,
    QdrantSettings,
    ServiceSettings,
)
from engine.ingestion import IngestOptions, ingest

# The embedded Qdrant commits each point to SQLite, in the event loop: on a disk shared
# with other work a commit took 1 to 35 ms, and the run measured the disk. In memory
# (tmpfs) where there is one.
QDRANT_DIR = "/dev/shm" if Path("/dev/shm").is_dir() else None
SECTIONS_A_PAGE = 10
WORDS_A_SECTION = 250
DIM = 768

MODES: dict[str, tuple[int, int]] = {
    # name: (texts a call, calls in flight)
    "sequential": (100, 1),
    "pipeline": (100, 4),
}


def write_book(folder: Path, chunks: int) -> None:
    """`chunks` sections of prose-like text, `SECTIONS_A_PAGE` to a page."""
    words = " ".join(p.read_text() for p in (ROOT / "sample_book").rglob("*.md*")).split()
    vocabulary = [w for w in words if w.isalpha()]
    rng = random.Random(7)
    pages = (chunks + SECTIONS_A_PAGE - 1) // SECTIONS_A_PAGE
    left = chunks
    for page in range(pages):
        sections = []
        for section in range(min(SECTIONS_A_PAGE, left)):
            body = " ".join(rng.choice(vocabulary) for _ in range(WORDS_A_SECTION))
            sections.append(f"## Part {section}\n\n{body}.\n")
        left -= len(sections)
        (folder / f"page-{page:04d}.md").write_text(
            f"---\ntitle: Page {page}\n---\n\n" + "\n".join(sections)
        )


def start_fake(port: int, embed_delay: float) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return spawn_fake(port, ["--embed-delay", str(embed_delay)], env)


def settings_for(fake_url: str, qdrant: Path) -> Settings:
    return Settings(
        gemini=GeminiSettings(_env_file=None, api_key="bench", base_url=fake_url, embed_dim=DIM),
        qdrant=QdrantSettings(_env_file=None, path=qdrant),
        local=LocalSettings(_env_file=None),
        engine=EngineSettings(_env_file=None),
        service=ServiceSettings(_env_file=None),
    )


def run_once(fake_url: str, book: Path, batch: int, in_flight: int) -> dict[str, Any]:
    qdrant = Path(tempfile.mkdtemp(prefix="bookchat-bench-qdrant-", dir=QDRANT_DIR))
    options = IngestOptions(folder=book, batch_size=batch, concurrency=in_flight)
    cpu = time.process_time()
    started = time.perf_counter()
    report = asyncio.run(ingest(settings_for(fake_url, qdrant), options))
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    shutil.rmtree(qdrant, ignore_errors=True)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "chunks": report.chunks_written,
        "calls": report.embed_calls,
    }


def ingestion_phase(
    chunks: int, embed_delay: float, runs: int, modes: dict[str, tuple[int, int]] = MODES
) -> list[dict[str, Any]]:
    """One row per mode: the median of `runs` ingestions of a `chunks`-chunk book."""
    work = Path(tempfile.mkdtemp(prefix="bookchat-bench-ingest-"))
    book = work / "book"
    book.mkdir()
    write_book(book, chunks)
    port = free_port()
    fake = start_fake(port, embed_delay)
    rows = []
    try:
        for name, (batch, in_flight) in modes.items():
            results = [
                run_once(f"http://127.0.0.1:{port}", book, batch, in_flight) for _ in range(runs)
            ]
            median = statistics.median(r["seconds"] for r in results)
            best = min(r["seconds"] for r in results)
            written = results[0]["chunks"]
            rows.append(
                {
                    "mode": name,
                    "texts_a_call": batch,
                    "in_flight": in_flight,
                    "chunks": written,
                    "calls": results[0]["calls"],
                    "embed_delay_s": embed_delay,
                    "seconds": median,
                    "chunks_per_s": written / median,
                    "best_seconds": best,
                    "best_chunks_per_s": written / best,
                    "cpu_seconds": statistics.median(r["cpu"] for r in results),
                    "runs": [round(r["seconds"], 2) for r in results],
                }
            )
    finally:
        fake.terminate()
        fake.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    return rows


def render_ingestion(rows: list[dict[str, Any]]) -> list[str]:
    """The Markdown table of `ingestion_phase`'s rows."""
    if not rows:
        return []
    first = rows[0]
    lines = [
        f"Ingestion of a {first['chunks']}-chunk book, {first['embed_delay_s'] * 1000:.0f} ms "
        f"an embedding call (median of {len(first['runs'])} runs; best in brackets):",
        "",
        "| mode | texts a call | calls in flight | calls | seconds | chunks/s "
        "| CPU s (ingesting process) |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['mode']} | {row['texts_a_call']} | {row['in_flight']} | {row['calls']} "
            f"| {row['seconds']:.1f} ({row['best_seconds']:.1f}) "
            f"| {row['chunks_per_s']:.0f} ({row['best_chunks_per_s']:.0f}) "
            f"| {row['cpu_seconds']:.1f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=1000)
    parser.add_argument("--embed-delay", type=float, default=0.3, help="seconds a call")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--mode",
        action="append",
        default=[],
        metavar="NAME=TEXTS,IN_FLIGHT",
        help="instead of the default modes (repeatable)",
    )
    args = parser.parse_args()
    modes = MODES
    if args.mode:
        modes = {}
        for item in args.mode:
            name, _, numbers = item.partition("=")
            batch, in_flight = (int(x) for x in numbers.split(","))
            modes[name] = (batch, in_flight)
    for row in ingestion_phase(args.chunks, args.embed_delay, args.runs, modes):
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
