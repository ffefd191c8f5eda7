"""What sentence grounding adds to an answer a model paraphrases: `embedding` against `off`.

A real model says its passages in its own words, so the grounding check's lexical step
leaves most sentences undecided and their meaning is checked with the embedding model
(`engine.grounding`). The fake Gemini copies passage words unless told otherwise, so
`make bench` never pays for that embedding; here it paraphrases (`--paraphrase`: about a
third of each sentence's content words swapped for synonyms or made up by a lead-in; three
sentences citing the first two passages). The upstream latencies are `make bench`'s
(embedding 80 ms a call, generation 600 ms, first streamed token 250 ms then 20 chunks
15 ms apart).

`bookchat serve` runs once with `BOOKCHAT_GROUNDING=off` and once with `embedding` on the
same collection; each meets a c=32 burst (`load.drive_burst`, `rounds` requests a client)
of `/chat`, then of `/chat/stream` (every event read; the stream's `done` is its last).
Reported: `/chat`'s latency, the stream's first delta and its `done`, p50 and p95, and
the `grounding` stage's mean time from `/metrics` (what an answer waited for the check
after its text had ended). Alone: `.venv/bin/python bench/grounding.py [--rounds N]`
(about 2 minutes with the default 5 rounds).
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import ROOT, Result, drive_burst, pct

sys.path.insert(0, str(ROOT))

CONCURRENCY = 32
ROUNDS = 5
MODES = ("off", "embedding")


def start_paraphrasing_fake(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The fake Gemini with `make bench`'s latencies, paraphrasing its passages."""
    from run import start_fake

    return start_fake(port, env, extra=["--paraphrase"])


def grounding_stage(metrics: str) -> tuple[float, float]:
    """`bookchat_stage_duration_seconds{stage="grounding"}`'s sum (s) and count."""
    found = []
    for kind in ("sum", "count"):
        match = re.search(
            rf'^bookchat_stage_duration_seconds_{kind}\{{[^}}]*stage="grounding"[^}}]*\}} (\S+)$',
            metrics,
            re.M,
        )
        found.append(float(match.group(1)) if match else 0.0)
    return found[0], found[1]


def mean_wait_ms(later: str, earlier: str) -> float:
    """The grounding stage's mean between two reads of `/metrics`, in ms."""
    (sum_1, count_1), (sum_0, count_0) = grounding_stage(later), grounding_stage(earlier)
    return (sum_1 - sum_0) * 1000 / (count_1 - count_0) if count_1 > count_0 else 0.0


def sentence_counts(metrics: str) -> dict[str, float]:
    return {
        verdict: float(match.group(1))
        for verdict in ("supported", "unsupported")
        if (
            match := re.search(
                rf'^bookchat_answer_sentences_total\{{verdict="{verdict}"\}} (\S+)$', metrics, re.M
            )
        )
    }


async def measure(url: str, rounds: int) -> dict[str, Any]:
    from run import http_chat, http_stream, session

    async with session() as client:
        chat, stream = http_chat(client, url), http_stream(client, url)
        for call in (chat, stream):  # warm-up: connections, lazy imports
            await drive_burst("warm", 4, 2, call)
        async with client.get(f"{url}/metrics") as response:
            before = await response.text()
        chats: Result = await drive_burst("/chat", CONCURRENCY, rounds, chat)
        async with client.get(f"{url}/metrics") as response:
            between = await response.text()
        streams: Result = await drive_burst("/chat/stream", CONCURRENCY, rounds, stream)
        async with client.get(f"{url}/metrics") as response:
            after = await response.text()

    def ms(values: list[float]) -> list[float]:
        return [v * 1000 for v in values] or [0.0]

    chat_ok = [s.latency for s in chats.samples if s.ok]
    stream_ok = [s for s in streams.samples if s.ok]
    sentences = sentence_counts(after)
    return {
        "requests": len(chats.samples) + len(streams.samples),
        "errors": sum(not s.ok for s in chats.samples + streams.samples),
        "chat_p50": pct(ms(chat_ok), 0.5),
        "chat_p95": pct(ms(chat_ok), 0.95),
        "chat_grounding_ms": mean_wait_ms(between, before),
        "first_p95": pct(ms([s.first_delta for s in stream_ok if s.first_delta]), 0.95),
        "done_p50": pct(ms([s.latency for s in stream_ok]), 0.5),
        "done_p95": pct(ms([s.latency for s in stream_ok]), 0.95),
        "stream_grounding_ms": mean_wait_ms(after, between),
        "supported": sentences.get("supported", 0.0),
        "unsupported": sentences.get("unsupported", 0.0),
    }


def grounding_phase(qdrant: Path, rounds: int = ROUNDS) -> list[dict[str, Any]]:
    """Both modes, one after the other, on the collection at `qdrant` (the sample book,
    768-d, free for this phase's services); none when `rounds` is 0."""
    from run import each_service

    if rounds <= 0:
        return []
    configs = [
        (
            mode,
            {
                "BOOKCHAT_GROUNDING": mode,
                "BOOKCHAT_FEEDBACK_DB": f"sqlite:///{qdrant.parent / f'grounding-{mode}.db'}",
            },
        )
        for mode in MODES
    ]
    rows: list[dict[str, Any]] = []
    for mode, url in each_service(qdrant, start_paraphrasing_fake, configs):
        row = {"grounding": mode, **asyncio.run(measure(url, rounds))}
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def render(rows: list[dict[str, Any]], rounds: int) -> list[str]:
    lines = [
        "**Grounding a paraphrasing model** (`bench/grounding.py`): the fake Gemini says its "
        "passages in other words (`--paraphrase`), `make bench`'s latencies (embedding 80 ms "
        f"a call); c={CONCURRENCY} burst, {rounds} requests a client, `/chat` then "
        "`/chat/stream`. Grounding wait: the `grounding` stage's mean (after the text ended).",
        "",
        "| grounding | requests | errors | /chat p50 ms | /chat p95 ms | grounding wait /chat ms "
        "| stream first delta p95 ms | stream done p50 ms | stream done p95 ms "
        "| grounding wait stream ms | sentences supported / unsupported |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['grounding']} | {row['requests']} | {row['errors']} | {row['chat_p50']:.0f} "
            f"| {row['chat_p95']:.0f} | {row['chat_grounding_ms']:.1f} | {row['first_p95']:.0f} "
            f"| {row['done_p50']:.0f} | {row['done_p95']:.0f} "
            f"| {row['stream_grounding_ms']:.1f} "
            f"| {row['supported']:.0f} / {row['unsupported']:.0f} |"
        )
    return lines


def main() -> None:
    from run import phase_main

    phase_main(
        "grounding",
        (__doc__ or "").splitlines()[0],
        start_paraphrasing_fake,
        grounding_phase,
        render,
        ROUNDS,
    )


if __name__ == "__main__":
    main()
