"""Follow-up questions made standalone before retrieval.

"And how do I restart it?" retrieves poorly on its own. When a query has history with
at least one user turn, one LLM call rewrites the message into a standalone question
from the last few turns (bounded in characters and in time); retrieval then uses it.
Without history there is no extra call. A rewrite that fails or times out falls back to
the raw message (logged, not an error): an answer with weaker retrieval beats no answer.

Models that cannot follow the rewrite instruction (the offline ones) join the last
earlier question and the message instead: retrieval then sees what "it" refers to.

The reader's page is context too: a message asked from a page, with no history, that
leans on its context is made standalone with the page's title and section, the same way.

Only a message that leans on its context is rewritten (`leans_on_context`, a
deterministic rule, no call): one of two words or fewer ("Why?", "Any example?"); one
that opens as a continuation ("And…", "But…", "What about…"); or one with a pronoun or
deictic that points outside it ("it", "this", "they", "here", "the first one", "does
that").
A self-contained question ("What does a gyroscope measure?") is retrieved as it is,
with or without history: no extra call (`BOOKCHAT_FOLLOWUP_DECIDE=false` rewrites
every follow-up, as before).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from config.bounds import MAX_MESSAGE
from engine.answering import chat_once
from engine.errors import BookChatError
from engine.telemetry import stage
from engine.types import ChatQuery, Turn
from engine.upstream import upstream_errors

logger = logging.getLogger(__name__)

REWRITE_INSTRUCTION = (
    "You rewrite a reader's follow-up message into a standalone question about a book. "
    "Use the conversation only to resolve what the follow-up refers to; keep its meaning, "
    "its language and every name, term or identifier it uses. Reply with the standalone "
    "question only, on one line, with no preamble."
)
TURN_CHARS = 600
"""Each earlier turn is cut to this many characters in the rewrite prompt."""
MAX_REWRITE_CHARS = 1000


_CONTINUATION = re.compile(
    r"^\s*(?:and|but|so|also|then|or|what about|how about|what if|same)\b", re.I
)
_POINTING = re.compile(
    r"\b(?:it|its|itself|this|these|those|they|them|their|here|ones|"
    r"(?:the|first|second|last|other|which|that|this)\s+one|"
    r"(?:does|did|is|was|do|about|of|with|for|to|avoid|prevent|fix|cause|causes)\s+that)\b",
    re.I,
)
SHORT_WORDS = 2


def leans_on_context(message: str) -> bool:
    """Whether `message` needs its context (history or page) to be understood."""
    words = re.findall(r"[\w'-]+", message)
    return (
        len(words) <= SHORT_WORDS
        or bool(_CONTINUATION.match(message))
        or bool(_POINTING.search(message))
    )


def is_follow_up(query: ChatQuery) -> bool:
    return any(turn.role == "user" for turn in query.history)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rewrite_messages(
    history: Sequence[Turn], message: str, turns: int, page: str | None = None
) -> list[ChatMessage]:
    """The rewrite prompt: the instruction, then the reader's page (when given), the last
    `turns` turns and the follow-up."""
    lines = [f"The reader is on the page: {_clip(page, TURN_CHARS)}"] if page else []
    lines += [f"{turn.role}: {_clip(turn.content, TURN_CHARS)}" for turn in history[-turns:]]
    conversation = "\n".join(["Conversation:", *lines, f"Follow-up: {_clip(message, MAX_MESSAGE)}"])
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=REWRITE_INSTRUCTION),
        ChatMessage(role=MessageRole.USER, content=conversation),
    ]


def joined_question(query: ChatQuery) -> str:
    """The last earlier user question and the message: a rewrite with no LLM."""
    earlier = [turn.content for turn in query.history if turn.role == "user"]
    return f"{_clip(earlier[-1], TURN_CHARS)} {query.message}" if earlier else query.message


async def standalone_question(
    query: ChatQuery,
    llm: LLM | None,
    *,
    turns: int,
    time_limit: float,
    page: str | None = None,
    decide: bool = True,
) -> str:
    """The question retrieval should use for `query`: the message when it is not a
    follow-up (nor asked from `page`, the reader's page's title and section) or, with
    `decide`, when it does not lean on its context. `llm=None`: join instead of asking
    a model."""
    follow_up = is_follow_up(query)
    if decide and not leans_on_context(query.message):
        return query.message
    if not follow_up and not (page and decide):
        return query.message
    if llm is None:
        return joined_question(query) if follow_up else f"{page}: {query.message}"
    try:
        with upstream_errors("follow-up rewrite"):  # the time limit too: upstream_timeout
            async with asyncio.timeout(time_limit):
                with stage("condense"):
                    response = await chat_once(
                        llm, rewrite_messages(query.history, query.message, turns, page)
                    )
    except BookChatError as exc:
        logger.warning("follow-up rewrite failed (%s); retrieving with the message", exc.code)
        return query.message
    lines = [line.strip() for line in str(response.message.content or "").splitlines()]
    rewritten = next((line for line in lines if line), "").strip("\"'“” ")
    if not rewritten or len(rewritten) > MAX_REWRITE_CHARS:
        logger.warning("follow-up rewrite unusable; retrieving with the message")
        return query.message
    return rewritten
