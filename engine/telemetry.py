"""What one request went through: stage times, tokens, upstream errors, outcome.

The engine records into the `Trace` of the current context, when a front end opened
one (`traced()`); with none open every call here is a no-op, so the REPL, `ask` and
evaluation runs pay nothing. The service turns a finished trace into metrics, the
`Server-Timing` header and its one log line per request; the engine imports none of it.

A context variable rather than an argument threaded through every call: the stages
happen deep inside LlamaIndex callbacks and SDK wrappers that take no extra argument.
Tasks and threads started inside the request copy the context, and they share the one
mutable `Trace` object it holds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from engine.types import ModelUsage, Usage

# The stages a request can go through, in the order they happen.
STAGES = ("condense", "embed", "search", "first_token", "generation", "grounding")


@dataclass
class Trace:
    """One request's record. Durations in seconds; a stage met twice adds up."""

    started: float = field(default_factory=time.perf_counter)
    stages: dict[str, float] = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)
    """Every model call's tokens (the answer's and the follow-up rewrite's)."""
    upstream_errors: list[str] = field(default_factory=list)
    outcome: str | None = None
    question: str | None = None
    sentences_checked: int = 0
    sentences_unsupported: int = 0
    """The reader's message: the service logs it only when a setting says so."""

    def add(self, stage: str, seconds: float) -> None:
        self.stages[stage] = self.stages.get(stage, 0.0) + seconds


_current: ContextVar[Trace | None] = ContextVar("bookchat_trace", default=None)
_usage: ContextVar[Usage | None] = ContextVar("bookchat_usage", default=None)


@contextmanager
def traced() -> Iterator[Trace]:
    """Open a trace for the code run inside (and the tasks it starts)."""
    trace = Trace()
    token = _current.set(trace)
    try:
        yield trace
    finally:
        _current.reset(token)


def current() -> Trace | None:
    return _current.get()


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Time the block as stage `name` of the current trace (if any)."""
    trace = _current.get()
    if trace is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        trace.add(name, time.perf_counter() - started)


def record_stage(name: str, seconds: float) -> None:
    if (trace := _current.get()) is not None:
        trace.add(name, seconds)


@contextmanager
def usage_scope(usage: Usage) -> Iterator[Usage]:
    """Add the tokens of the model calls made inside (a follow-up rewrite) to `usage`."""
    token = _usage.set(usage)
    try:
        yield usage
    finally:
        _usage.reset(token)


def record_tokens(call: ModelUsage) -> None:
    """The tokens of one model call, as the provider reported them: into the trace (and
    the usage scope) open, if any."""
    if (trace := _current.get()) is not None:
        trace.usage.add(call)
    if (usage := _usage.get()) is not None:
        usage.add(call)


def record_upstream_error(kind: str) -> None:
    """An upstream call failed; `kind` is the engine error's code (`upstream_timeout`...)."""
    if (trace := _current.get()) is not None:
        trace.upstream_errors.append(kind)


def record_question(message: str) -> None:
    if (trace := _current.get()) is not None:
        trace.question = message


def record_grounding(checked: int, unsupported: int) -> None:
    """An answer's sentences checked against its passages, and those found unsupported."""
    if (trace := _current.get()) is not None:
        trace.sentences_checked += checked
        trace.sentences_unsupported += unsupported


def record_outcome(outcome: str) -> None:
    if (trace := _current.get()) is not None:
        trace.outcome = outcome
