"""Follow-up questions made standalone before retrieval.

"And how do I restart it?" retrieves poorly on its own. When a query has history with
at least one user turn, one LLM call rewrites the message into a standalone question
from the last few turns (bounded in characters and in time); retrieval then uses it.
Without history there is no extra call. A rewrite that fails or times out falls back to
the raw message (logged, not an error): an answer with weaker retrieval beats no answer.

Models that cannot follow the rewrite instruction (the offline ones) join the last
earlier question and the message instead: retrieval then sees what "it" refers to.
"""

from __future__ import annotations

import asyncio
import logging
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


def is_follow_up(query: ChatQuery) -> bool:
    return any(turn.role == "user" for turn in query.history)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rewrite_messages(history: Sequence[Turn], message: str, turns: int) -> list[ChatMessage]:
    """The rewrite prompt: the instruction, then the last `turns` turns and the follow-up."""
    lines = [f"{turn.role}: {_clip(turn.content, TURN_CHARS)}" for turn in history[-turns:]]
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
    query: ChatQuery, llm: LLM | None, *, turns: int, time_limit: float
) -> str:
    """The question retrieval should use for `query` (the message when it is not a
    follow-up). `llm=None`: join instead of asking a model."""
    if not is_follow_up(query):
        return query.message
    if llm is None:
        return joined_question(query)
    try:
        with upstream_errors("follow-up rewrite"):  # the time limit too: upstream_timeout
            async with asyncio.timeout(time_limit):
                with stage("condense"):
                    response = await chat_once(
                        llm, rewrite_messages(query.history, query.message, turns)
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
