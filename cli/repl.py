"""`bookchat repl`: a multi-turn chat with the book in a terminal, on the service's engine.

On a terminal it uses prompt_toolkit (line editing, history kept across runs in
`BOOKCHAT_REPL_HISTORY`) and colour; with piped input it reads plain lines and prints
plain text, so it can be scripted. Answers stream token by token, then the sources are
listed. Ctrl-C stops the current answer (or clears the line), Ctrl-D or `:quit` leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from cli.options import Filters, parse_filter
from config.bounds import TOP_K_MAX, TOP_K_MIN
from engine import BookAssistant
from engine.errors import BookChatError, ConfigurationError
from engine.types import ChatQuery, Source, Turn

HELP = f"""\
Ask a question, or use a command:
  :sources           the sources of the last answer, in full
  :retrieve QUERY    retrieval only (no LLM), with scores
  :k N               passages per answer ({TOP_K_MIN}-{TOP_K_MAX})
  :filter KEY=VALUE  only passages whose metadata KEY is VALUE (VALUE1,VALUE2: any of them)
  :filter clear      drop every filter
  :select TEXT       ask the next questions about this passage (:select alone clears it)
  :reset             forget the conversation
  :config            provider, models, collection, top_k, filters
  :help              this text
  :quit              leave (Ctrl-D too); Ctrl-C stops an answer"""


@dataclass
class Colours:
    """ANSI colours on a terminal, nothing when piped."""

    enabled: bool

    def _wrap(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.enabled else text

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def error(self, text: str) -> str:
        return self._wrap("31", text)

    def accent(self, text: str) -> str:
        return self._wrap("36", text)


@dataclass
class Session:
    """The state of one REPL conversation."""

    top_k: int
    history: list[Turn] = field(default_factory=list)
    filters: Filters = field(default_factory=dict)
    selected: str | None = None
    last_sources: list[Source] = field(default_factory=list)
    last_retrieval_query: str = ""
    last_cited: list[int] = field(default_factory=list)

    def query(self, message: str) -> ChatQuery:
        return ChatQuery(
            message=message,
            history=list(self.history),
            selected_text=self.selected,
            filters=dict(self.filters),
            top_k=self.top_k,
        )


def first_line(text: str, width: int = 96) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


class Repl:
    """Reads lines, runs commands and questions, writes to `out`."""

    def __init__(
        self,
        engine: BookAssistant,
        read_line: Callable[[], Awaitable[str]],
        out: TextIO,
        colours: Colours,
    ) -> None:
        self.engine = engine
        self.read_line = read_line
        self.out = out
        self.c = colours
        self._answered = False  # a delta of the current answer was printed
        self.session = Session(top_k=engine.settings.engine.top_k)
        self.commands: dict[str, Callable[[str], Awaitable[None]]] = {
            "sources": self.cmd_sources,
            "retrieve": self.cmd_retrieve,
            "k": self.cmd_k,
            "filter": self.cmd_filter,
            "select": self.cmd_select,
            "reset": self.cmd_reset,
            "config": self.cmd_config,
            "help": self.cmd_help,
        }

    def say(self, text: str = "", end: str = "\n") -> None:
        self.out.write(text + end)
        self.out.flush()

    async def run(self) -> None:
        self.say(self.c.dim("bookchat: ask about the book; :help lists the commands."))
        while True:
            try:
                line = (await self.read_line()).strip()
            except EOFError:
                self.say()
                return
            except KeyboardInterrupt:
                continue
            if not line:
                continue
            if line in (":quit", ":q", ":exit"):
                return
            if line.startswith(":"):
                name, _, argument = line[1:].partition(" ")
                command = self.commands.get(name)
                if command is None:
                    self.say(self.c.error(f"unknown command :{name} (:help lists them)"))
                else:
                    await command(argument.strip())
                continue
            await self.ask(line)

    # ------------------------------------------------------------------ asking
    async def ask(self, question: str) -> None:
        """Stream one answer; Ctrl-C stops it, an upstream error is one line."""
        self._answered = False
        task = asyncio.ensure_future(self._stream_answer(question))
        loop = asyncio.get_running_loop()
        with _interrupts_cancel(loop, task):
            try:
                await task
            except asyncio.CancelledError:
                self.say()
                self.say(self.c.dim("(answer stopped)"))
            except BookChatError as exc:
                self.say()
                self.say(self.c.error(f"error: {exc.message}"))
                if self._answered:  # as the stream's `withdrawn`: the text above does not stand
                    self.say(self.c.error("(the partial answer above is withdrawn)"))

    async def _stream_answer(self, question: str) -> None:
        stream = await self.engine.stream(self.session.query(question))
        deltas: AsyncIterator[str] = stream.deltas
        try:
            async for delta in deltas:
                self._answered = True
                self.say(delta, end="")
        finally:
            await stream.aclose()
        self.say()
        self.session.last_sources = stream.sources
        self.session.last_retrieval_query = stream.retrieval_query
        self.session.last_cited = stream.cited
        self.session.history += [Turn("user", question), Turn("assistant", stream.answer)]
        if stream.retrieval_query != question:
            self.say(self.c.dim(f"(retrieved with: {stream.retrieval_query})"))
        if stream.outcome == "not_in_book":
            self.say(self.c.dim("(not in the book)"))
        self.print_sources(stream.sources, stream.cited)

    def print_sources(self, sources: list[Source], cited: list[int] | None = None) -> None:
        if not sources:
            self.say(self.c.dim("(no passages)"))
            return
        self.say(self.c.dim("sources:"))
        for rank, source in enumerate(sources, 1):
            meta = source.metadata
            where = " > ".join(str(x) for x in (meta.get("title"), meta.get("heading")) if x)
            mark = "*" if cited and rank in cited else " "
            score = self.c.accent(f"{source.score:.3f}")
            self.say(
                f" {mark}{rank}. {score}  {self.c.bold(where or '-')}"
                f"  {self.c.dim('(' + str(meta.get('source', '')) + ')')}"
            )
            self.say(f"     {self.c.dim(first_line(source.text))}")

    # ---------------------------------------------------------------- commands
    async def cmd_sources(self, _: str) -> None:
        if not self.session.last_sources:
            self.say(self.c.dim("(no answer yet)"))
        else:
            self.say(self.c.dim(f"retrieval query: {self.session.last_retrieval_query}"))
        for rank, source in enumerate(self.session.last_sources, 1):
            cited = "  cited" if rank in self.session.last_cited else ""
            self.say(
                self.c.bold(
                    f"[{rank}] {source.metadata.get('source', '')}  score {source.score:.3f}{cited}"
                )
            )
            for key, value in sorted(source.metadata.items()):
                self.say(self.c.dim(f"    {key}: {value}"))
            self.say(source.text)
            self.say()

    async def cmd_retrieve(self, query: str) -> None:
        if not query:
            self.say(self.c.error("usage: :retrieve QUERY"))
            return
        try:
            retrieved = await self.engine.retrieve(self.session.query(query))
        except BookChatError as exc:
            self.say(self.c.error(f"error: {exc.message}"))
            return
        self.print_sources(retrieved.sources)

    async def cmd_k(self, argument: str) -> None:
        if not argument.isdigit() or not TOP_K_MIN <= int(argument) <= TOP_K_MAX:
            self.say(self.c.error(f"usage: :k N, with N from {TOP_K_MIN} to {TOP_K_MAX}"))
            return
        self.session.top_k = int(argument)
        self.say(self.c.dim(f"top_k = {self.session.top_k}"))

    async def cmd_filter(self, argument: str) -> None:
        if argument == "clear":
            self.session.filters.clear()
            self.say(self.c.dim("filters cleared"))
            return
        try:
            parse_filter(argument, self.session.filters)
        except ConfigurationError:
            self.say(self.c.error("usage: :filter KEY=VALUE or :filter clear"))
            return
        self.say(self.c.dim(f"filters = {self.session.filters}"))

    async def cmd_select(self, argument: str) -> None:
        self.session.selected = argument or None
        if argument:
            self.say(self.c.dim(f"selected passage set ({len(argument)} characters)"))
        else:
            self.say(self.c.dim("selected passage cleared"))

    async def cmd_reset(self, _: str) -> None:
        self.session.history.clear()
        self.session.last_sources, self.session.last_cited = [], []
        self.say(self.c.dim("conversation forgotten"))

    async def cmd_config(self, _: str) -> None:
        engine, settings = self.engine, self.engine.settings
        rows = [
            ("provider", engine.models.provider),
            ("llm", engine.models.llm_model),
            ("embeddings", engine.models.embed_model),
            ("collection", f"{settings.qdrant.collection} at {settings.qdrant.location}"),
            ("top_k", str(self.session.top_k)),
            ("filters", str(self.session.filters or "none")),
            (
                "selected",
                f"{len(self.session.selected)} characters" if self.session.selected else "none",
            ),
            ("history", f"{len(self.session.history)} messages"),
        ]
        for name, value in rows:
            self.say(f"{self.c.dim(name + ':'):<24} {value}")

    async def cmd_help(self, _: str) -> None:
        self.say(HELP)


@contextlib.contextmanager
def _interrupts_cancel(
    loop: asyncio.AbstractEventLoop, task: asyncio.Future[None]
) -> Iterator[None]:
    """While an answer streams, Ctrl-C cancels it instead of ending the program."""
    try:
        loop.add_signal_handler(signal.SIGINT, task.cancel)
        installed = True
    except (NotImplementedError, RuntimeError, ValueError):
        installed = False
    try:
        yield
    finally:
        if installed:
            loop.remove_signal_handler(signal.SIGINT)


def line_reader(history_file: Path, colours: Colours) -> Callable[[], Awaitable[str]]:
    """prompt_toolkit on a terminal (editing, persistent history); plain lines when piped."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory

        history_file.parent.mkdir(parents=True, exist_ok=True)
        session: PromptSession[str] = PromptSession(history=FileHistory(str(history_file)))

        async def prompt() -> str:
            return await session.prompt_async("book> ")

        return prompt

    async def read() -> str:
        line: str = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            raise EOFError
        return line

    return read


async def run_repl(engine: BookAssistant, history_file: Path) -> None:
    colours = Colours(enabled=sys.stdout.isatty())
    repl = Repl(engine, line_reader(history_file, colours), sys.stdout, colours)
    await repl.run()
