"""The stream's first delta with Gemini 3's thinking: the old defaults against the new.

Gemini 3 thinks before its first token, as long as the request's thinking level says
(none sent: MEDIUM for Flash, MINIMAL for Flash-Lite). Against the fake Gemini thinking
that way (`--thinking-scale 1`: MINIMAL 0 s, LOW 0.4 s, MEDIUM 1.3 s, HIGH 3 s; embedding
80 ms; then 20 chunks 15 ms apart), `bookchat serve` runs twice on the same collection:

- **old defaults**: `gemini-3.5-flash` with no thinking level sent, follow-up rewrites on
  the same model, no level either (MEDIUM both);
- **new defaults**: `BOOKCHAT_LLM_MODEL`, `BOOKCHAT_THINKING_LEVEL` (LOW),
  `BOOKCHAT_REWRITE_MODEL` (a Flash-Lite) and its MINIMAL level, as shipped.

Each serves `/chat/stream` questions and follow-ups (a history: the rewrite comes first)
to 4 clients released together, `rounds` requests each; the first `delta` event's latency
is reported. `make bench` runs it after its other phases; alone:
`.venv/bin/python bench/thinking.py [--rounds N]`.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import drive_burst, pct, spawn_fake

EMBED_S = 0.080
TOKEN_S = 0.015
CONCURRENCY = 4
ROUNDS = 5
OLD_DEFAULTS = {  # what bookchat sent before BOOKCHAT_THINKING_LEVEL: no level, one model
    "BOOKCHAT_LLM_MODEL": "gemini-3.5-flash",
    "BOOKCHAT_THINKING_LEVEL": "DEFAULT",
    "BOOKCHAT_REWRITE_MODEL": "gemini-3.5-flash",
    "BOOKCHAT_REWRITE_THINKING_LEVEL": "DEFAULT",
}
NEW_DEFAULTS: dict[str, str] = {}  # as shipped


def start_thinking_fake(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The fake Gemini thinking as Gemini 3 does, in its own process."""
    args = ["--stream-chunks", "20", "--embed-delay", str(EMBED_S)]
    args += ["--token-delay", str(TOKEN_S), "--thinking-scale", "1"]
    return spawn_fake(port, args, env)


async def measure(url: str, rounds: int) -> list[dict[str, Any]]:
    from run import http_stream

    rows = []
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        for follow_up in (False, True):  # warm-up: connections, caches, lazy imports
            await drive_burst("warm", 2, 1, http_stream(session, url, follow_up))
        for follow_up in (False, True):
            name = "follow-up" if follow_up else "question"
            result = await drive_burst(
                name, CONCURRENCY, rounds, http_stream(session, url, follow_up)
            )
            ok = [s for s in result.samples if s.ok and s.first_delta is not None]
            firsts = [s.first_delta * 1000 for s in ok if s.first_delta is not None] or [0.0]
            whole = [s.latency * 1000 for s in ok] or [0.0]
            rows.append(
                {
                    "request": name,
                    "n": len(result.samples),
                    "errors": len(result.samples) - len(ok),
                    "ttfd_p50": pct(firsts, 0.5),
                    "ttfd_p95": pct(firsts, 0.95),
                    "whole_p95": pct(whole, 0.95),
                }
            )
    return rows


def thinking_phase(qdrant: Path, rounds: int = ROUNDS) -> list[dict[str, Any]]:
    """Both configurations, one after the other, on the collection at `qdrant` (an
    embedded folder of the sample book, 768-d, free for this phase's services); none
    when `rounds` is 0."""
    from run import each_service

    if rounds <= 0:
        return []
    configs = [("old", OLD_DEFAULTS), ("new", NEW_DEFAULTS)]
    rows: list[dict[str, Any]] = []
    for label, url in each_service(qdrant, start_thinking_fake, configs):
        for row in asyncio.run(measure(url, rounds)):
            row["defaults"] = label
            rows.append(row)
            print(json.dumps(row), flush=True)
    return rows


def describe(label: str) -> str:
    if label == "old":
        return "old: `gemini-3.5-flash`, no level sent (MEDIUM); rewrite the same"
    from config.settings import DEFAULT_LLM_MODEL, DEFAULT_REWRITE_MODEL

    return f"new: `{DEFAULT_LLM_MODEL}` LOW; rewrite `{DEFAULT_REWRITE_MODEL}` MINIMAL"


def render(rows: list[dict[str, Any]], rounds: int) -> list[str]:
    lines = [
        "**Gemini 3 thinking** (`bench/thinking.py`): the fake Gemini thinks before the "
        "first token by level (MINIMAL 0 s, LOW 0.4 s, MEDIUM 1.3 s, HIGH 3 s), embedding "
        f"{EMBED_S * 1000:.0f} ms, 20 chunks {TOKEN_S * 1000:.0f} ms apart; "
        f"`/chat/stream`, {CONCURRENCY} clients released together, {rounds} requests each.",
        "",
        "| defaults | request | requests | errors | first delta p50 ms | first delta p95 ms "
        "| whole stream p95 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {describe(row['defaults'])} | {row['request']} | {row['n']} | {row['errors']} "
            f"| {row['ttfd_p50']:.0f} | {row['ttfd_p95']:.0f} | {row['whole_p95']:.0f} |"
        )
    return lines


def main() -> None:
    from run import phase_main

    phase_main(
        "thinking", __doc__.splitlines()[0], start_thinking_fake, thinking_phase, render, ROUNDS
    )


if __name__ == "__main__":
    main()
