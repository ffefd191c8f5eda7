"""`bookchat report` over a large question log.

    python bench/report_scale.py [--questions 100000] [--gap-texts 2000]

Indexes the sample book through the fake Gemini (no latency) as `make bench` does
(bench/run.py), seeds a SQLite question log with `--questions` answers spread over the
last 30 days (70 % answered citing the book's pages, 30 % "not in the book" drawn from
`--gap-texts` distinct questions, 3 % of the answers down-voted), then times
`bookchat report --since 30 --html --json` end to end (a process of its own: start-up,
reading, embedding the distinct gap questions in batches, grouping, the page). Reports
numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, bench_env, free_port, ingest_book, start_fake

sys.path.insert(0, str(ROOT))
from tests.support.question_log import answer, seed

VERBS = "install configure calibrate replace tune debug reset power wire mount".split()
THINGS = (
    "the battery charger; the wifi module; a camera driver; the cloud dashboard; a license key; "
    "the mobile app; a second robot; the web interface; the voice assistant; the GPU image; "
    "the conveyor belt; the docking station; a spare wheel; the payment plan; the warranty; "
    "the teleoperation kit; the LED strip; the speaker; the fleet manager; a firmware backup"
).split("; ")
PLACES = "on Windows|on a Mac|in Docker|at home|in the lab|over Bluetooth|on a Raspberry Pi".split(
    "|"
)
BOOK = (
    "What does an IMU measure? How do ROS 2 topics work? What is a PID controller? "
    "How does the emergency stop work? What is forward kinematics? How do I read the lidar? "
    "What gearbox ratio should a joint use? What is a series elastic actuator?"
).split("? ")


def pages() -> list[str]:
    return sorted(
        str(p.relative_to(ROOT / "sample_book")) for p in (ROOT / "sample_book").rglob("*.md")
    )


def gap_texts(count: int, rng: random.Random) -> list[str]:
    combos = [f"How do I {v} {t} {p}?" for v in VERBS for t in THINGS for p in PLACES]
    rng.shuffle(combos)
    return combos[:count]


def seeded(url: str, questions: int, gaps: int) -> None:
    rng = random.Random(7)
    book_pages = pages()[:18]  # a few pages stay never cited
    gap_pool = gap_texts(gaps, rng)
    answers, ratings = [], []
    for n in range(questions):
        rid = f"q{n}"
        days = rng.random() * 29.5
        if rng.random() < 0.3:
            text = gap_pool[min(int(rng.paretovariate(1.2)) - 1, len(gap_pool) - 1)]
            answers.append(
                answer(
                    rid,
                    text,
                    outcome="not_in_book",
                    days_ago=days,
                    latency_ms=rng.randint(150, 400),
                    reader=f"r{n % 5000}",
                )
            )
        else:
            cited = rng.sample(book_pages, 2)
            answers.append(
                answer(
                    rid,
                    BOOK[n % len(BOOK)] + "?",
                    cited=cited,
                    days_ago=days,
                    latency_ms=rng.randint(600, 2500),
                    reader=f"r{n % 5000}",
                )
            )
            if rng.random() < 0.03:
                ratings.append((rid, "down", "not what I asked"))
            elif rng.random() < 0.05:
                ratings.append((rid, "up", None))
    asyncio.run(seed(url, answers, ratings))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--gap-texts", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bookchat-report-") as tmp:
        fake_port = free_port()
        env = bench_env(fake_port, Path(tmp) / "qdrant")
        url = f"sqlite:///{tmp}/bookchat.db"
        env["BOOKCHAT_FEEDBACK_DB"] = url
        fake = start_fake(fake_port, env, latency=False)
        try:
            ingest_book(env)
            started = time.monotonic()
            seeded(url, args.questions, args.gap_texts)
            print(f"seeded {args.questions} questions in {time.monotonic() - started:.1f} s")
            out = Path(tmp)
            started = time.monotonic()
            result = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "cli",
                    "report",
                    "--since",
                    "30",
                    "--html",
                    str(out / "report.html"),
                    "--json",
                    str(out / "report.json"),
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            took = time.monotonic() - started
            print(result.stdout.strip() or result.stderr.strip()[-2000:])
            report = json.loads((out / "report.json").read_text())
            print(
                f"bookchat report: {took:.1f} s for {report['questions']} questions, "
                f"{len(report['gaps'])} gaps (largest {report['gaps'][0]['count']}), "
                f"page {(out / 'report.html').stat().st_size / 1e3:.0f} kB"
            )
        finally:
            fake.terminate()
            fake.wait(30)


if __name__ == "__main__":
    main()
