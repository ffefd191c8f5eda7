"""The `bookchat` command line.

Every sub-command exits 0 on success, and non-zero with a one-line reason on stderr
otherwise (2 for bad configuration or usage, 1 for a failure while running).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from types import FrameType
from typing import Any

from cli.doctor import run_doctor
from cli.evaluate import run_eval_command
from cli.options import TOP_K_RANGE, check_top_k, parse_filters
from cli.progress import TerminalProgress
from cli.repl import run_repl
from config import Settings, SettingsError
from config.logs import configure_logging
from engine import BookAssistant
from engine.errors import BookChatError, CollectionInvalid, ConfigurationError
from engine.ingestion import IngestOptions, ingest
from engine.types import ChatQuery
from storage import (
    Database,
    FeedbackRow,
    FeedbackStore,
    QuestionLog,
    StorageUnavailable,
    evaluation_cases,
)

logger = logging.getLogger(__name__)

MAX_WORKERS = 64


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bookchat", description="Chat with a book.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--ingest-if-empty",
        type=Path,
        default=None,
        metavar="FOLDER",
        help="first index FOLDER when the collection is empty (one process: `make run`)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="worker processes (N > 1 needs a Qdrant server: QDRANT_URL)",
    )
    ingest = commands.add_parser(
        "ingest", help="index a Docusaurus build, or a docs folder of Markdown and MDX"
    )
    ingest.add_argument(
        "folder",
        type=Path,
        help="a Docusaurus build (its HTML, read as built) or a docs folder (Markdown, MDX)",
    )
    ingest.add_argument("--chunk-size", type=int, default=512, help="tokens per chunk")
    ingest.add_argument("--chunk-overlap", type=int, default=64, help="tokens shared")
    ingest.add_argument(
        "--batch-size", type=int, default=100, help="texts per embedding call (at most 100)"
    )
    ingest.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="embedding calls in flight at once (default: BOOKCHAT_EMBED_CONCURRENCY, 4)",
    )
    ingest.add_argument("--prune", action="store_true", help="delete pages no longer there")
    ingest.add_argument(
        "--base-url",
        default=None,
        help="a docs folder's site URL, for `url`; for a build, the origin to use instead "
        "of its own (og:url)",
    )
    ingest.add_argument(
        "--trailing-slash",
        action="store_true",
        help="a docs folder's URLs end with / (the site's trailingSlash: true)",
    )
    ingest.add_argument(
        "--dry-run", action="store_true", help="list pages to add, change, remove; write nothing"
    )
    ingest.add_argument(
        "--if-empty", action="store_true", help="do nothing when the collection has points"
    )
    ask = commands.add_parser("ask", help="answer one question and exit")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the JSON of POST /chat")
    ask.add_argument("--k", type=int, default=None, help=f"passages to retrieve ({TOP_K_RANGE})")
    ask.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="only passages whose metadata KEY is VALUE (a,b: any of them); repeatable",
    )
    ask.add_argument("--selected-text", default=None, help="a passage to ask about")
    ask.add_argument("--page", default=None, help="prefer passages of this page (source path)")
    commands.add_parser("repl", help="chat with the book in the terminal")
    commands.add_parser(
        "doctor",
        help="check the collection against the configuration: layout, vectors, scores, "
        "and the settings to use",
    )
    feedback = commands.add_parser("feedback", help="readers' ratings of answers")
    feedback_commands = feedback.add_subparsers(dest="feedback_command", required=True)
    export = feedback_commands.add_parser(
        "export", help="down-voted answers as `bookchat eval` cases, to be marked"
    )
    export.add_argument("--out", type=Path, required=True, help="the JSON Lines file to write")
    export.add_argument("--all", action="store_true", help="up-voted answers too")
    report = commands.add_parser(
        "report", help="what readers asked and where the book fell short (the question log)"
    )
    report.add_argument("--since", type=int, default=30, metavar="DAYS", help="the last DAYS")
    report.add_argument("--html", type=Path, default=None, help="the page to write")
    report.add_argument("--json", type=Path, default=None, help="the JSON to write")
    forget = commands.add_parser(
        "forget", help="delete logged questions and ratings made before a date"
    )
    forget.add_argument("--before", required=True, metavar="DATE", help="YYYY-MM-DD (UTC)")
    database = commands.add_parser("db", help="the database of ratings and ChatKit threads")
    database_commands = database.add_subparsers(dest="db_command", required=True)
    database_commands.add_parser(
        "upgrade", help="migrate BOOKCHAT_FEEDBACK_DB's schema to the newest revision"
    )
    evaluate = commands.add_parser(
        "eval",
        help="retrieval quality: eval DATASET.jsonl | eval compare A B | eval generate",
        add_help=False,
    )
    evaluate.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def serving_loop() -> Callable[[], asyncio.AbstractEventLoop]:
    """uvloop where it exists (what `uvicorn.run` would pick), else asyncio's loop."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - Windows
        return asyncio.new_event_loop
    return uvloop.new_event_loop


async def _serve(settings: Settings, host: str, port: int, book: Path | None = None) -> None:
    import uvicorn

    from service.app import create_app

    if book is not None:
        # In this process rather than a `bookchat ingest` before it: the imports and the
        # embedding model load once (a second `make run` ready in ~9 s instead of ~14 s).
        report = await ingest(settings, IngestOptions(folder=book, if_empty=True), TerminalProgress)
        print(report.summary(), file=sys.stderr)
    # The engine is built here, in the server's own event loop, so that a start-up
    # failure is one line on stderr rather than a traceback from the lifespan.
    engine = await BookAssistant.open(settings)
    try:
        app = create_app(settings, engine=engine, freeze_after_startup=True)
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            **uvicorn_options(settings),
        )
        with _graceful_exit():
            await uvicorn.Server(config).serve()
    finally:
        await engine.aclose()


SHUTDOWN_MARGIN_SECONDS = 5


@contextmanager
def _graceful_exit() -> Iterator[None]:
    """A SIGTERM or SIGINT that uvicorn handled (a graceful shutdown) exits 0.

    uvicorn re-raises the signals it caught once it has shut down, against the handlers
    it found: the default SIGTERM would kill the process (-15), asyncio's SIGINT handler
    would raise KeyboardInterrupt (130). The handlers it finds are these no-ops instead,
    put back as they were after it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _handled) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _handled(signum: int, frame: FrameType | None) -> None:
    logger.debug("signal %d: already handled by the server's shutdown", signum)


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """What `bookchat serve` sets on uvicorn, one process or several."""
    from service.protocol import HeaderTimeoutProtocol

    return {
        "log_config": None,
        "access_log": False,  # the service logs its own line per request
        # The app's drain ends what is left at the grace period; uvicorn's own bound is
        # the backstop a little above it (it cancels whatever still runs: a silent cut).
        "timeout_graceful_shutdown": math.ceil(settings.service.shutdown_grace_seconds)
        + SHUTDOWN_MARGIN_SECONDS,
        # uvicorn would trust X-Forwarded-For from 127.0.0.1 by default; the app does it
        # only for BOOKCHAT_FORWARDED_ALLOW_IPS.
        "proxy_headers": False,
        # uvicorn's httptools protocol with a bound on the headers' arrival
        # (BOOKCHAT_HEADER_TIMEOUT, from the app's lifespan state).
        "http": HeaderTimeoutProtocol,
    }


def _serve_workers(settings: Settings, args: argparse.Namespace) -> None:
    """`--workers N`: uvicorn's process manager runs N workers of `service.asgi`, each
    with its own engine; they share the metrics through a folder (prometheus-client's
    multiprocess mode), and the rate limit through `BOOKCHAT_RATE_LIMIT_STORAGE`."""
    import uvicorn

    from service.observability import MULTIPROC_ENV

    if settings.qdrant.url is None:
        raise ConfigurationError(
            f"--workers {args.workers} needs a Qdrant server (QDRANT_URL): the embedded "
            f"folder {settings.qdrant.path} opens in one process only"
        )
    if args.ingest_if_empty is not None:
        report = asyncio.run(
            ingest(
                settings,
                IngestOptions(folder=args.ingest_if_empty, if_empty=True),
                TerminalProgress,
            )
        )
        print(report.summary(), file=sys.stderr)
    given = os.environ.get(MULTIPROC_ENV)
    if given and Path(given).is_dir() and any(Path(given).glob("*.db")):
        # Left from an earlier run: /metrics would add its counts to this one's.
        raise ConfigurationError(f"{MULTIPROC_ENV}={given} is not empty: empty it first")
    with tempfile.TemporaryDirectory(prefix="bookchat-metrics-") as shared:
        # The workers inherit it; set before any of them imports prometheus-client.
        os.environ[MULTIPROC_ENV] = given or shared
        uvicorn.run(
            "service.asgi:app_from_env",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            **uvicorn_options(settings),
        )


async def _ask(settings: Settings, args: argparse.Namespace) -> None:
    query = ChatQuery(
        message=args.question,
        top_k=args.k,
        filters=parse_filters(args.filter),
        selected_text=args.selected_text or None,
        page=args.page or None,
    )
    engine = await BookAssistant.open(settings, require_collection=True)
    try:
        result = await engine.chat(query)
    finally:
        await engine.aclose()
    if args.json:
        # The HTTP API's own response model: `ask --json` prints what POST /chat returns.
        from service.schemas import ChatResponse, HelpLink

        help = HelpLink.configured(settings)
        print(ChatResponse.of(result, "cli", help).model_dump_json(indent=2))
        return
    print(result.answer)
    if result.retrieval_query != query.message:
        print(f"  (retrieved with: {result.retrieval_query})")
    for rank, source in enumerate(result.sources, 1):
        mark = "*" if rank in result.cited else " "
        print(f" {mark}[{rank}] {source.score:.3f} {source.metadata.get('source', '')}")


async def _repl(settings: Settings) -> None:
    engine = await BookAssistant.open(settings)
    engine.calibrate_in_background()  # while the reader types the first question
    try:
        await run_repl(engine, settings.engine.repl_history)
    finally:
        await engine.aclose()


async def _feedback_rows(settings: Settings, everything: bool) -> list[FeedbackRow]:
    async with Database.open(settings.service.feedback_db.get_secret_value()) as database:
        return await FeedbackStore(database).rows(None if everything else "down")


async def _upgrade_database(settings: Settings) -> str:
    """`bookchat db upgrade`: the database's schema to the newest revision."""
    async with Database.open(settings.service.feedback_db.get_secret_value()) as database:
        before = await database.revision()
        after = await database.upgrade()
    if before == after:
        return f"database already at revision {after}"
    return f"database upgraded from revision {before or '(none)'} to {after}"


def _report(settings: Settings, args: argparse.Namespace) -> str:
    """`bookchat report`: the JSON and the page."""
    from cli.report import build_report, write_report

    if args.html is None and args.json is None:
        raise ConfigurationError("give --html FILE, --json FILE or both")
    if not 1 <= args.since <= 3650:
        raise ConfigurationError("--since must be between 1 and 3650 days")
    report = asyncio.run(build_report(settings, args.since))
    write_report(report, args.since, args.html, args.json)
    written = " and ".join(str(f) for f in (args.html, args.json) if f is not None)
    return (
        f"{report['questions']} questions in the last {args.since} days, "
        f"{len(report['gaps'])} gaps: wrote {written}"
    )


async def _forget(settings: Settings, before: datetime) -> tuple[int, int]:
    async with Database.open(settings.service.feedback_db.get_secret_value()) as database:
        return await QuestionLog(database, settings.service.retention_days).forget(before)


def _forget_before(settings: Settings, day: str) -> str:
    """`bookchat forget --before DATE`."""
    try:
        before = datetime.combine(date.fromisoformat(day), time.min, UTC)
    except ValueError:
        raise ConfigurationError(f"--before {day!r}: expected a date such as 2026-12-01") from None
    answers, ratings = asyncio.run(_forget(settings, before))
    return f"deleted {answers} logged questions and {ratings} ratings made before {day}"


def _export_feedback(settings: Settings, out: Path, everything: bool) -> str:
    cases = evaluation_cases(asyncio.run(_feedback_rows(settings, everything)))
    try:
        out.write_text(
            "".join(json.dumps(case, ensure_ascii=False) + "\n" for case in cases),
            encoding="utf-8",
        )
    except OSError as exc:
        raise ConfigurationError(f"cannot write {out}: {exc.strerror}") from None
    kind = "rated" if everything else "down-voted"
    return (
        f"wrote {len(cases)} {kind} answers to {out}: mark each line's `expected` "
        "(the pages shown are its first guess; [] when the book does not cover it)"
    )


def _ingest_options(args: argparse.Namespace) -> IngestOptions:
    return IngestOptions(
        folder=args.folder,
        chunk_size=args.chunk_size,
        chunk_overlap=args.chunk_overlap,
        batch_size=args.batch_size,
        concurrency=args.concurrency,
        prune=args.prune,
        base_url=args.base_url,
        if_empty=args.if_empty,
        dry_run=args.dry_run,
        trailing_slash=args.trailing_slash,
    )


def _check_ingest_args(args: argparse.Namespace) -> None:
    if not args.folder.is_dir():
        raise ConfigurationError(f"{args.folder} is not a folder")
    if not 32 <= args.chunk_size <= 8192:
        raise ConfigurationError("--chunk-size must be between 32 and 8192")
    if not 0 <= args.chunk_overlap < args.chunk_size // 2:
        raise ConfigurationError("--chunk-overlap must be under half the chunk size")
    if not 1 <= args.batch_size <= 100:
        raise ConfigurationError("--batch-size must be between 1 and 100")
    if args.concurrency is not None and not 1 <= args.concurrency <= 16:
        raise ConfigurationError("--concurrency must be between 1 and 16")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["eval"] and argv[1:2] and argv[1].startswith("--") and argv[1] != "--help":
        # REMAINDER takes no leading option (`eval --grounding FILE`): parsed by eval itself.
        args = argparse.Namespace(command="eval", rest=argv[1:])
    else:
        args = _parser().parse_args(argv)
    try:
        settings = Settings.load()
    except SettingsError as exc:
        print(f"bookchat: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.service.log_level, settings.service.log_format)
    try:
        if args.command == "serve":
            if args.ingest_if_empty is not None and not args.ingest_if_empty.is_dir():
                raise ConfigurationError(f"{args.ingest_if_empty} is not a folder")
            if not 1 <= args.workers <= MAX_WORKERS:
                raise ConfigurationError(f"--workers must be between 1 and {MAX_WORKERS}")
            if args.workers > 1:
                _serve_workers(settings, args)
                return 0
            # `uvicorn.Server.serve` runs on the caller's loop: pick it here.
            with asyncio.Runner(loop_factory=serving_loop()) as runner:
                runner.run(_serve(settings, args.host, args.port, args.ingest_if_empty))
        elif args.command == "ingest":
            _check_ingest_args(args)
            report = asyncio.run(ingest(settings, _ingest_options(args), TerminalProgress))
            print(report.summary())
        elif args.command == "ask":
            check_top_k(args.k, "--k")
            asyncio.run(_ask(settings, args))
        elif args.command == "repl":
            asyncio.run(_repl(settings))
        elif args.command == "doctor":
            return run_doctor(settings)
        elif args.command == "feedback":
            print(_export_feedback(settings, args.out, args.all))
        elif args.command == "report":
            print(_report(settings, args))
        elif args.command == "forget":
            print(_forget_before(settings, args.before))
        elif args.command == "db":
            print(asyncio.run(_upgrade_database(settings)))
        elif args.command == "eval":
            return run_eval_command(settings, args.rest)
    except (ConfigurationError, CollectionInvalid) as exc:
        # A collection that does not fit the settings (missing text key, wrong vector
        # name) is fixed in the configuration, like a wrong setting.
        print(f"bookchat: {exc.message}", file=sys.stderr)
        return 2
    except StorageUnavailable as exc:
        print(f"bookchat: {exc.message}: {exc.detail}", file=sys.stderr)
        return 1
    except BookChatError as exc:
        print(f"bookchat: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
