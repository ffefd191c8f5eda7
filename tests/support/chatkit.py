"""ChatKit requests and events as the `openai-chatkit` package defines them (the optional
extra `chatkit`): a user's message, a new thread's request, the events of a stream."""

from __future__ import annotations

from typing import Any

from chatkit.types import (
    InferenceOptions,
    ThreadCreateParams,
    ThreadsCreateReq,
    ThreadStreamEvent,
    UserMessageInput,
    UserMessageTextContent,
)
from pydantic import TypeAdapter

EVENT = TypeAdapter[Any](ThreadStreamEvent)


def user_input(text: str, quoted: str | None = None) -> UserMessageInput:
    return UserMessageInput(
        content=[UserMessageTextContent(text=text)],
        attachments=[],
        quoted_text=quoted,
        inference_options=InferenceOptions(),
    )


def threads_create(text: str, quoted: str | None = None) -> ThreadsCreateReq:
    """A `threads.create` request: a new thread opened with `text`."""
    return ThreadsCreateReq(params=ThreadCreateParams(input=user_input(text, quoted)))


def stream_events(body: str) -> list[Any]:
    """The events of a ChatKit stream's body (its `data:` lines), typed."""
    return [
        EVENT.validate_json(line[len("data: ") :])
        for line in body.splitlines()
        if line.startswith("data: ")
    ]
