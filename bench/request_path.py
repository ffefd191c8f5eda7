"""How much of the project one request crosses: distinct files and functions.

    PYTHONPATH=. .venv/bin/python bench/request_path.py            # one /chat
    PYTHONPATH=. .venv/bin/python bench/request_path.py --stream   # one /chat/stream
    PYTHONPATH=. .venv/bin/python bench/request_path.py --list     # and name them

Runs the service in process (its ASGI app through httpx) against the fake Gemini of the
tests, over the test book as `bookchat ingest` writes it; sends one warm-up request, then
records with `sys.setprofile` which functions of the project's own packages (config/,
engine/, service/, cli/, storage/) are entered during one more request, and, apart,
LlamaIndex's. Other libraries are not counted; the fake runs in its own thread, which the
profile hook does not see.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PACKAGES = ("config", "engine", "service", "cli", "storage")

from config import (  # noqa: E402
    EngineSettings,
    GeminiSettings,
    LocalSettings,
    QdrantSettings,
    ServiceSettings,
    Settings,
)
from service import create_app  # noqa: E402
from tests.support.book import write_book  # noqa: E402
from tests.support.fake_gemini import running_fake_gemini  # noqa: E402

ANONYMOUS = ("<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>", "<lambda>")
BODY = {"message": "What does an IMU measure?"}


def settings_for(base_url: str, path: Path) -> Settings:
    return Settings(
        gemini=GeminiSettings(
            _env_file=None, api_key="bench-key-0123456789", base_url=base_url, retry_attempts=1
        ),
        qdrant=QdrantSettings(_env_file=None, path=path),
        local=LocalSettings(_env_file=None),
        engine=EngineSettings(_env_file=None),
        service=ServiceSettings(_env_file=None),
    )


@contextmanager
def recording(calls: set[tuple[str, str]], library: set[tuple[str, str]]) -> Iterator[None]:
    roots = tuple(str(ROOT / name) + "/" for name in PACKAGES)

    def hook(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call":
            path = frame.f_code.co_filename
            if path.startswith(roots):
                calls.add((path[len(str(ROOT)) + 1 :], frame.f_code.co_qualname))
            elif "/llama_index/" in path:
                library.add((path, frame.f_code.co_qualname))

    sys.setprofile(hook)
    try:
        yield
    finally:
        sys.setprofile(None)


Calls = set[tuple[str, str]]


async def measure(base_url: str, path: Path, stream: bool) -> tuple[Calls, Calls]:
    app = create_app(settings_for(base_url, path))
    calls: Calls = set()
    library: Calls = set()
    endpoint = "/chat/stream" if stream else "/chat"
    async with LifespanManager(app, startup_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            (await client.post(endpoint, json=BODY)).raise_for_status()  # warm-up
            with recording(calls, library):
                response = await client.post(endpoint, json=BODY)
            response.raise_for_status()
    return calls, library


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stream", action="store_true", help="measure /chat/stream")
    parser.add_argument("--list", action="store_true", help="list the files and functions")
    args = parser.parse_args()
    with running_fake_gemini() as fake, tempfile.TemporaryDirectory() as work:
        path = Path(work) / "qdrant"
        write_book(settings_for(fake.base_url, path))  # as `bookchat ingest` writes it
        calls, library = asyncio.run(measure(fake.base_url, path, args.stream))
    files = sorted({file for file, _ in calls})
    if args.list:
        for file in files:
            names = sorted(name for f, name in calls if f == file)
            print(f"{file} ({len(names)}): {', '.join(names)}")
        for file, name in sorted(library):
            print(f"  LlamaIndex: {file.split('/llama_index/', 1)[1]}: {name}")
    endpoint = "/chat/stream" if args.stream else "/chat"
    named = {(file, name) for file, name in calls if not name.endswith(ANONYMOUS)}
    print(
        f"{endpoint}: {len(files)} files, {len(calls)} functions "
        f"({len(named)} named: comprehensions and lambdas left out); "
        f"LlamaIndex: {len({file for file, _ in library})} files, {len(library)} functions"
    )


if __name__ == "__main__":
    main()
