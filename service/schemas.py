"""Request and response bodies of the HTTP API (the shapes of docs/api.md, with bounds)."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    field_validator,
)

from config import Settings
from config.bounds import (
    MAX_FILTER_VALUES,
    MAX_HISTORY,
    MAX_MESSAGE,
    MAX_SELECTED,
    MAX_TURN,
    TOP_K_MAX,
    TOP_K_MIN,
)
from engine.answering import ChatStream
from engine.types import ChatQuery, ChatResult, Outcome, ReadyReport, Source, Turn

MAX_FILTERS = 10
MAX_PAGE = 2048
MAX_SCOPE = 100
"""The longest `version` or `locale` (Docusaurus version names and locale tags)."""

# A payload key or a dotted path to one (`a.b`): what Qdrant reads as a JSON path (a key
# like `a.` or `a..b` was a 500 from its path parser).
FilterKey = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]+)*$", max_length=64),
]


def _integral(value: object) -> object:
    """JSON Schema's `integer` admits `90.0` (a number with no fraction): so do we."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


# JSON's safe integers, ±(2**53 - 1), though Qdrant stores 64 bits: OpenAPI's models
# and JSON-schema validators hold bounds as floats and compare with them, so any bound
# past 2**53 admits integers a few hundred beyond it (schemathesis sent
# -9223372036854775999 against ±(2**63 - 1), and -9223372036854774999 against
# ±(2**63 - 1024): 422s for "valid" requests). Within 2**53 the float and integer
# comparisons agree, and a JavaScript client sends every such integer exactly. The bounds
# go before the validator: after it, pydantic published them as `ge`/`le`, which JSON
# Schema does not read.
FILTER_INT_BOUND = 2**53 - 1
FilterInt = Annotated[
    StrictInt, Field(ge=-FILTER_INT_BOUND, le=FILTER_INT_BOUND), BeforeValidator(_integral)
]
# Not blank, for the server (`str.isspace` counts \x1c-\x1f, \x85) and for a JavaScript
# client's JSON-schema validator (whose `\s` does not) alike.
NOT_BLANK = r"[^\s\x1c-\x1f\x85]"
# No float: Qdrant matches a string, an integer or a boolean exactly, never a float (a
# float filter value was a 500 from Qdrant's MatchValue).
Scalar = StrictStr | FilterInt | StrictBool
FilterValues = (
    Annotated[list[StrictStr], Field(min_length=1, max_length=MAX_FILTER_VALUES)]
    | Annotated[list[FilterInt], Field(min_length=1, max_length=MAX_FILTER_VALUES)]
)


class HistoryMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: str = Field(min_length=1, max_length=MAX_TURN)


class ChatRequest(BaseModel):
    """A reader's question, with what shapes its answer."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "message": "How do I set up the simulator?",
                    "history": [
                        {"role": "user", "content": "What is this book about?"},
                        {"role": "assistant", "content": "Humanoid robotics basics."},
                    ],
                    "filters": {"source": ["simulation/gazebo.md"]},
                    "top_k": 5,
                }
            ]
        },
    )

    message: str = Field(
        min_length=1,
        max_length=MAX_MESSAGE,
        description="The question (not blank).",
        json_schema_extra={"pattern": NOT_BLANK},  # what `_not_blank` checks, for clients
    )
    history: list[HistoryMessage] = Field(
        default_factory=list, max_length=MAX_HISTORY, description="Earlier turns, oldest first."
    )
    selected_text: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_SELECTED,
        description="A passage the reader highlighted; the answer is grounded in it.",
    )
    filters: dict[FilterKey, Scalar | FilterValues] = Field(
        default_factory=dict,
        max_length=MAX_FILTERS,
        description="Exact match on payload metadata; a list matches any of its values.",
        # The key pattern is the only admitted key (pydantic writes `patternProperties`
        # alone, which lets a generated client send any other key).
        json_schema_extra={"additionalProperties": False},
    )
    # Strict (after `_integral`): a JSON `true` is no count of passages (lax mode read it as 1).
    top_k: (
        Annotated[StrictInt, Field(ge=TOP_K_MIN, le=TOP_K_MAX), BeforeValidator(_integral)] | None
    ) = Field(default=None, description="Passages to retrieve.")
    page: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_PAGE,
        description="The reader's current page (its `source` path, site path or URL): its "
        "passages are preferred, and it sets the version and locale answered from.",
    )
    version: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_SCOPE,
        description="The docs version to answer from (a Docusaurus version name: `2.0`, "
        "`current`); default: the page's, else the site's latest. Ignored by a collection "
        "without versions; 422 for one the collection does not hold.",
    )
    locale: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_SCOPE,
        description="The locale to answer from and in (`fr`); default: the page's, else the "
        "site's default. Ignored by a collection without locales; 422 for one it does not "
        "hold.",
    )

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not re.search(NOT_BLANK, value):
            raise ValueError("message must not be blank")
        return value

    def to_query(self) -> ChatQuery:
        return ChatQuery(
            message=self.message,
            history=[Turn(role=turn.role, content=turn.content) for turn in self.history],
            selected_text=self.selected_text,
            filters=dict(self.filters),
            top_k=self.top_k,
            page=self.page,
            version=self.version,
            locale=self.locale,
        )


class SourceNode(BaseModel):
    id: str
    text: str
    score: float = Field(description="Cosine similarity to the retrieval query.")
    metadata: dict[str, Any] = Field(
        description="Payload metadata (a nested `metadata`/`meta` object lifted): always "
        "`source`, `title` and `heading`; `url` (page URL and `#anchor`), `anchor`, "
        "`version` and `locale` when known."
    )


def source_fields(source: Source) -> dict[str, Any]:
    """A passage as the API sends it: `SourceNode`'s fields, from the engine's one form
    (no model built and dumped a passage per request)."""
    return {
        "id": source.id,
        "text": source.text,
        "score": source.score,
        "metadata": source.metadata,
    }


class CitedSourceNode(SourceNode):
    cited: bool = Field(description="The answer cites this passage (`[n]`, n its rank).")


class HelpLink(BaseModel):
    """Where a reader goes when the book has no answer (`BOOKCHAT_HELP_URL`)."""

    url: str
    label: str

    @classmethod
    def configured(cls, settings: Settings) -> HelpLink | None:
        """The owner's link (`BOOKCHAT_HELP_URL`, `BOOKCHAT_HELP_LABEL`), if set."""
        service = settings.service
        if service.help_url is None:
            return None
        return cls(url=service.help_url, label=service.help_label)


HELP_DESCRIPTION = 'With a "not in the book" answer, when BOOKCHAT_HELP_URL is set.'
SENTENCES_DESCRIPTION = (
    "The answer's sentences, each checked against the passages it cites (or, citing none, "
    "all of them): empty when the answer is not_in_book or BOOKCHAT_GROUNDING=off."
)


class AnswerSentence(BaseModel):
    text: str = Field(description="The sentence, its [n] markers removed.")
    cites: list[int] = Field(description="The passages it cites, 1-based.")
    supported: bool = Field(
        description="Its numbers, names and meaning are found in the passages it cites."
    )


def answer_sentences(result: ChatResult | ChatStream) -> list[AnswerSentence]:
    """An answer's checked sentences as the API shows them."""
    return [AnswerSentence(**asdict(sentence)) for sentence in result.sentences]


class ChatResponse(BaseModel):
    answer: str = Field(description="Cites passages as [n], n = 1-based index in source_nodes.")
    outcome: Outcome
    retrieval_query: str = Field(
        description="The standalone question retrieval used: the message, or its rewrite "
        "when the history made it a follow-up."
    )
    source_nodes: list[CitedSourceNode]
    help: HelpLink | None = Field(default=None, description=HELP_DESCRIPTION)
    sentences: list[AnswerSentence] = Field(default=[], description=SENTENCES_DESCRIPTION)
    request_id: str

    @classmethod
    def of(cls, result: ChatResult, request_id: str, help: HelpLink | None) -> ChatResponse:
        cited = set(result.cited)  # the checked answer's citations
        return cls(
            answer=result.answer,
            outcome=result.outcome,
            retrieval_query=result.retrieval_query,
            source_nodes=[
                CitedSourceNode(**source_fields(source), cited=rank in cited)
                for rank, source in enumerate(result.sources, 1)
            ],
            help=help if result.outcome == "not_in_book" else None,
            sentences=answer_sentences(result),
            request_id=request_id,
        )


class StreamDone(BaseModel):
    """The data of a stream's `done` event."""

    answer: str
    request_id: str
    outcome: Outcome
    cited: list[int]
    retrieval_query: str
    help: HelpLink | None = Field(default=None, description=HELP_DESCRIPTION)
    sentences: list[AnswerSentence] = Field(default=[], description=SENTENCES_DESCRIPTION)


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    provider: str
    llm_model: str
    embed_model: str
    collection: str
    location: str
    vector_size: int | None = None
    points: int | None = None
    reason: str | None = None

    @classmethod
    def of(cls, report: ReadyReport) -> Readiness:
        fields = {key: value for key, value in asdict(report).items() if key != "ready"}
        return cls(status="ready" if report.ready else "not_ready", **fields)


class ShownPassage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=128)
    source: str = Field(default="", max_length=1024)


class FeedbackRequest(BaseModel):
    """A reader's rating of one answer. The service remembers its recent answers, so the
    `request_id` is enough; a client may send what the answer was about instead (the
    service's memory is per instance and bounded)."""

    model_config = ConfigDict(extra="forbid")

    request_id: str = Field(pattern=r"^[A-Za-z0-9._\-]{1,64}$")
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=2000)
    question: str | None = Field(default=None, min_length=1, max_length=MAX_MESSAGE)
    history: list[HistoryMessage] = Field(default_factory=list, max_length=MAX_HISTORY)
    retrieval_query: str | None = Field(default=None, max_length=MAX_MESSAGE)
    passages: list[ShownPassage] = Field(default_factory=list, max_length=TOP_K_MAX)


class FeedbackCreated(BaseModel):
    id: int
    request_id: str
