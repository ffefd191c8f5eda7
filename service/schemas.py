"""Request and response bodies of the HTTP API (the contract's shapes, with bounds)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    field_validator,
)

from config.bounds import MAX_FILTER_VALUES, TOP_K_MAX, TOP_K_MIN
from engine.types import ChatQuery, ChatResult, ReadyReport, Source, Turn

MAX_MESSAGE = 4000
MAX_HISTORY = 50
MAX_TURN = 8000
MAX_SELECTED = 8000
MAX_FILTERS = 10

FilterKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_.\-]*$", max_length=64)]
Scalar = StrictStr | StrictInt | StrictFloat | StrictBool
FilterValues = (
    Annotated[list[StrictStr], Field(min_length=1, max_length=MAX_FILTER_VALUES)]
    | Annotated[list[StrictInt], Field(min_length=1, max_length=MAX_FILTER_VALUES)]
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

    message: str = Field(min_length=1, max_length=MAX_MESSAGE, description="The question.")
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
    )
    top_k: int | None = Field(
        default=None, ge=TOP_K_MIN, le=TOP_K_MAX, description="Passages to retrieve."
    )

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("message must not be blank")
        return value

    def to_query(self) -> ChatQuery:
        return ChatQuery(
            message=self.message,
            history=[Turn(role=turn.role, content=turn.content) for turn in self.history],
            selected_text=self.selected_text,
            filters=dict(self.filters),
            top_k=self.top_k,
        )


class SourceNode(BaseModel):
    id: str
    text: str
    score: float
    metadata: dict[str, Any] = Field(
        description="Payload metadata: always `source` and `title`; `url`, `heading` when known."
    )

    @classmethod
    def of(cls, source: Source) -> SourceNode:
        return cls(id=source.id, text=source.text, score=source.score, metadata=source.metadata)


class ChatResponse(BaseModel):
    answer: str
    source_nodes: list[SourceNode]
    request_id: str

    @classmethod
    def of(cls, result: ChatResult, request_id: str) -> ChatResponse:
        return cls(
            answer=result.answer,
            source_nodes=[SourceNode.of(source) for source in result.sources],
            request_id=request_id,
        )


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
