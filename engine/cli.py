"""The `bookchat` command line.

Every sub-command exits 0 on success, and non-zero with a one-line reason on stderr
otherwise (2 for bad configuration or usage, 1 for a failure while running).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence

from config import Settings, SettingsError
from engine.chat import BookChat
from engine.errors import BookChatError, ConfigurationError
from engine.types import ChatQuery

logger = logging.getLogger(__name__)

QUIET_LOGGERS = ("httpx", "google_genai", "google_genai.chats", "google_genai.models")


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bookchat", description="Chat with a book.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    ask = commands.add_parser("ask", help="answer one question and exit")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the JSON of POST /chat")
    ask.add_argument("--k", type=int, default=None, help="passages to retrieve (1-20)")
    return parser


async def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from service import create_app

    # The engine is built here, in the server's own event loop, so that a start-up
    # failure is one line on stderr rather than a traceback from the lifespan.
    engine = await BookChat.open(settings)
    try:
        app = create_app(settings, engine=engine)
        config = uvicorn.Config(
            app, host=host, port=port, log_config=None, timeout_graceful_shutdown=10
        )
        await uvicorn.Server(config).serve()
    finally:
        await engine.aclose()


async def _ask(settings: Settings, question: str, as_json: bool, k: int | None) -> None:
    engine = await BookChat.open(settings, require_collection=True)
    try:
        result = await engine.chat(ChatQuery(message=question, top_k=k))
    finally:
        await engine.aclose()
    if as_json:
        payload = {
            "answer": result.answer,
            "source_nodes": [
                {"id": s.id, "text": s.text, "score": s.score, "metadata": s.metadata}
                for s in result.sources
            ],
            "request_id": "cli",
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    print(result.answer)
    for rank, source in enumerate(result.sources, 1):
        print(f"  [{rank}] {source.score:.3f} {source.metadata.get('source', '')}")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.load()
    except SettingsError as exc:
        print(f"bookchat: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.service.log_level)
    if getattr(args, "k", None) is not None and not 1 <= args.k <= 20:
        print("bookchat: --k must be between 1 and 20", file=sys.stderr)
        return 2
    try:
        if args.command == "serve":
            asyncio.run(_serve(settings, args.host, args.port))
        elif args.command == "ask":
            asyncio.run(_ask(settings, args.question, args.json, args.k))
    except ConfigurationError as exc:
        print(f"bookchat: {exc.message}", file=sys.stderr)
        return 2
    except BookChatError as exc:
        print(f"bookchat: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
