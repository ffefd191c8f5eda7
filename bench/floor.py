"""The floor: the upstream calls the service must make, with the raw SDKs, nothing else.

`Direct` makes, per request, exactly the calls `/chat` and `/chat/stream` make upstream
(and to Qdrant), with google-genai and qdrant-client and no framework, no HTTP server,
no checks:

- a follow-up (a history with a user turn): one `generate_content` rewriting it into a
  standalone question (the fake upstream answers it as the service's rewrite: 300 ms);
- one `embed_content` of the (rewritten) question;
- one Qdrant `query_points` for the 20 candidates the hybrid fusion takes (the dense
  leg; the service's BM25 leg, the fusion and the citation check are ours: not in it);
- one `generate_content` (or `generate_content_stream`, every chunk read) with the five
  best passages as the system instruction and the history as contents.

Run as a process of its own (`python bench/floor.py --fake-url … --qdrant …`), it reads
one JSON command a line on stdin (`{"kind": "chat", "c": 32, "rounds": 10}`), drives it
with `load.drive_burst` and answers one JSON line: the samples and the CPU time this
process spent (user + system, from /proc/self/stat), comparable with the service's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load

sys.path.insert(0, str(load.ROOT))
from config.settings import DEFAULT_LLM_MODEL, DEFAULT_REWRITE_MODEL

CANDIDATES = 20  # engine.retrieval.CANDIDATES: what the fusion takes from the dense leg
TOP_K = 5
REWRITE_INSTRUCTION = (  # the fake upstream knows a rewrite by "standalone question"
    "You rewrite a reader's follow-up message into a standalone question about a book. "
    "Reply with the standalone question only."
)


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

    async def _standalone(self, message: str, history: list[dict[str, str]]) -> str:
        if not any(turn["role"] == "user" for turn in history):
            return message
        lines = [f"{turn['role']}: {turn['content']}" for turn in history]
        response = await self.client.aio.models.generate_content(
            model=DEFAULT_REWRITE_MODEL,
            contents="\n".join(["Conversation:", *lines, f"Follow-up: {message}"]),
            config=self.types.GenerateContentConfig(system_instruction=REWRITE_INSTRUCTION),
        )
        return (response.text or message).strip()

    async def _context(self, question: str) -> str:
        embedded = await self.client.aio.models.embed_content(
            model="gemini-embedding-001",
            contents=[question],
            config=self.types.EmbedContentConfig(
                task_type="RETRIEVAL_QUERY", output_dimensionality=load.DIM
            ),
        )
        vector = embedded.embeddings[0].values if embedded.embeddings else None
        assert vector is not None
        hits = await self.qdrant.query_points(
            "book", query=vector, limit=CANDIDATES, with_payload=True
        )
        return "\n\n".join(
            f"[{n}] source: {p.payload.get('source')}\n\n{p.payload.get('text')}"
            for n, p in enumerate(hits.points[:TOP_K], 1)
            if p.payload
        )

    def _contents(self, message: str, history: list[dict[str, str]]) -> list[Any]:
        types = self.types
        return [
            *(
                types.Content(
                    role="user" if turn["role"] == "user" else "model",
                    parts=[types.Part(text=turn["content"])],
                )
                for turn in history
            ),
            types.Content(role="user", parts=[types.Part(text=message)]),
        ]

    def chat(self, follow_up: bool = False) -> Callable[[int], Awaitable[load.Sample]]:
        async def call(index: int) -> load.Sample:
            started = asyncio.get_running_loop().time()
            message, history = load.request_of(index, follow_up)
            context = await self._context(await self._standalone(message, history))
            response = await self.client.aio.models.generate_content(
                model=DEFAULT_LLM_MODEL,
                contents=self._contents(message, history),
                config=self.types.GenerateContentConfig(system_instruction=context),
            )
            return load.Sample(
                started, asyncio.get_running_loop().time() - started, ok=bool(response.text)
            )

        return call

    def stream(self) -> Callable[[int], Awaitable[load.Sample]]:
        async def call(index: int) -> load.Sample:
            loop = asyncio.get_running_loop()
            started = loop.time()
            message, history = load.request_of(index, False)
            context = await self._context(message)
            first = None
            async for _ in await self.client.aio.models.generate_content_stream(
                model=DEFAULT_LLM_MODEL,
                contents=self._contents(message, history),
                config=self.types.GenerateContentConfig(system_instruction=context),
            ):
                if first is None:
                    first = loop.time() - started
            return load.Sample(started, loop.time() - started, first)

        return call

    def call_for(self, kind: str) -> Callable[[int], Awaitable[load.Sample]]:
        return {
            "chat": lambda: self.chat(),
            "follow-up": lambda: self.chat(follow_up=True),
            "stream": self.stream,
        }[kind]()

    async def close(self) -> None:
        await self.client.aio.aclose()
        await self.qdrant.close()


async def serve(fake_url: str, qdrant: Path) -> None:
    """Answer the commands on stdin, one JSON line each, until it closes."""
    direct = Direct(fake_url, qdrant)
    loop = asyncio.get_running_loop()
    try:
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            command = json.loads(line)
            call = direct.call_for(command["kind"])
            if command.get("warm"):  # connections, caches, lazy imports; not reported
                await load.drive_burst(command["kind"], 4, 2, call)
            cpu = load.cpu_seconds("self")
            result = await load.drive_burst(command["kind"], command["c"], command["rounds"], call)
            cpu = load.cpu_seconds("self") - cpu
            answer = {
                "cpu_s": cpu,
                "window": result.window,
                "samples": [[s.started, s.latency, s.first_delta, s.ok] for s in result.samples],
            }
            print(json.dumps(answer), flush=True)
    finally:
        await direct.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fake-url", required=True)
    parser.add_argument("--qdrant", type=Path, required=True)
    args = parser.parse_args()
    asyncio.run(serve(args.fake_url, args.qdrant))


if __name__ == "__main__":
    main()
