"""Plain data passed in and out of the engine (no HTTP, no LlamaIndex types)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Role = Literal["user", "assistant"]
FilterValue = str | int | float | bool
Outcome = Literal["answered", "not_in_book"]


@dataclass(frozen=True)
class Turn:
    """One earlier message of the conversation."""

    role: Role
    content: str


@dataclass(frozen=True)
class ChatQuery:
    """What a reader asks: the message and everything that shapes its answer."""

    message: str
    history: Sequence[Turn] = ()
    selected_text: str | None = None
    filters: Mapping[str, FilterValue | Sequence[FilterValue]] = field(default_factory=dict)
    top_k: int | None = None
    page: str | None = None
    """The page the reader is on (its `source` path, site path or URL): its passages are
    preferred, and it sets the version and locale answered from."""
    version: str | None = None
    """The docs version to answer from (default: the page's, else the latest)."""
    locale: str | None = None
    """The locale to answer from and in (default: the page's, else the site's default)."""


@dataclass(frozen=True)
class Source:
    """A passage of the book: the one form it has from retrieval to the response (the
    service's schemas serialize it as it is)."""

    id: str
    text: str
    score: float
    metadata: dict[str, Any]


@dataclass(frozen=True)
class Retrieved:
    """What retrieval gives (an answer, or `bookchat eval` alone): the query it used and
    the passages that count, best first."""

    retrieval_query: str
    sources: list[Source]
    locale: str | None = None
    """The locale the passages were limited to (None: the collection has no locales)."""


@dataclass(frozen=True)
class ModelUsage:
    """The tokens of one model call, as the provider reported them (`usageMetadata`)."""

    model: str
    prompt: int = 0
    output: int = 0
    """The answer's tokens (`candidatesTokenCount`), thoughts not included."""
    thinking: int = 0
    """Thought tokens (`thoughtsTokenCount`): billed as output."""


@dataclass
class Usage:
    """What one answer spent: its model calls (the follow-up rewrite's, the answer's)."""

    calls: list[ModelUsage] = field(default_factory=list)

    def add(self, call: ModelUsage) -> None:
        self.calls.append(call)

    @property
    def prompt(self) -> int:
        return sum(call.prompt for call in self.calls)

    @property
    def output(self) -> int:
        return sum(call.output for call in self.calls)

    @property
    def thinking(self) -> int:
        return sum(call.thinking for call in self.calls)

    def cost(self, prices: Mapping[str, tuple[float, float]]) -> float | None:
        """Estimated USD from `prices` (per million tokens in and out, by model; thought
        tokens count as output); None when a call's model has no price."""
        total = 0.0
        for call in self.calls:
            price = prices.get(call.model)
            if price is None:
                return None
            total += (call.prompt * price[0] + (call.output + call.thinking) * price[1]) / 1e6
        return total


@dataclass(frozen=True)
class CheckedSentence:
    """One sentence of an answer (markers removed), the passages it cites (1-based) and
    whether they support it (`engine.grounding`)."""

    text: str
    cites: list[int]
    supported: bool


@dataclass(frozen=True)
class ChatResult:
    """A whole answer and the passages it was given."""

    answer: str
    sources: list[Source]
    retrieval_query: str
    """The standalone question retrieval used (the message, or its rewrite)."""
    outcome: Outcome = "answered"
    cited: list[int] = field(default_factory=list)
    """1-based numbers of the sources the answer cites (checked)."""
    usage: Usage = field(default_factory=Usage)
    """The tokens the answer's model calls spent (not part of the HTTP response)."""
    sentences: list[CheckedSentence] = field(default_factory=list)
    """The answer's sentences, each checked against its passages (empty: not checked)."""


@dataclass(frozen=True)
class ReadyReport:
    """What `/ready` says: whether the engine can answer, and why not."""

    ready: bool
    provider: str
    llm_model: str
    embed_model: str
    collection: str
    location: str
    vector_size: int | None = None
    points: int | None = None
    reason: str | None = None


class Progress(Protocol):
    """How long work reports its steps; a front end draws them (a bar, lines, nothing)."""

    def step(self, item: str, status: str) -> None: ...

    def note(self, message: str) -> None:
        """Say what the job is waiting for (a quota, a retry), between steps."""
        ...

    def close(self) -> None: ...


ProgressFactory = Callable[[int, str], Progress]
"""Makes the `Progress` of a job of `total` items of a `unit` (`page`, `question`)."""


class _Silent:
    def step(self, item: str, status: str) -> None:
        return None

    def note(self, message: str) -> None:
        return None

    def close(self) -> None:
        return None


def NO_PROGRESS(total: int, unit: str) -> Progress:  # noqa: N802 - used like a constant
    """The default: report nothing."""
    return _Silent()
