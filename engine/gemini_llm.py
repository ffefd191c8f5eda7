"""LlamaIndex's Gemini LLM with a lean path for the plain-text chats the engine sends.

`GoogleGenAI.achat`/`astream_chat` open an SDK chat session per call, convert every
message through the file-upload-aware converter, send the whole `GenerateContentConfig`
dump (every field, mostly None, checked one by one by the SDK's converter), and build
each streamed chunk as a full response with `model_dump()`s of the candidate and usage.
Profiled under load that costs ~0.5 ms a `/chat` and ~0.1 ms a streamed chunk of
event-loop CPU over the raw SDK call. This subclass keeps the LLM interface (callbacks,
instrumentation, metadata, `complete`, tools, files: the parent's) and sends text-only
chats as one `generate_content(_stream)` call with the configuration's set fields only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from google.genai import types
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    MessageRole,
    TextBlock,
)
from llama_index.core.bridge.pydantic import PrivateAttr
from llama_index.llms.google_genai import GoogleGenAI

from engine.errors import AnswerBlocked

GEMINI_ROLES = {MessageRole.USER: "user", MessageRole.ASSISTANT: "model"}


def finished_early(candidate: types.Candidate) -> AnswerBlocked | None:
    """The error for a candidate the model ended with another reason than STOP."""
    reason = candidate.finish_reason
    if reason is None or reason == types.FinishReason.STOP:
        return None
    return AnswerBlocked(f"the model stopped its answer early ({reason.name})")


def refused(response: types.GenerateContentResponse) -> AnswerBlocked:
    """The error for a reply with no candidate: the prompt itself was blocked."""
    feedback = response.prompt_feedback
    reason = feedback.block_reason if feedback is not None else None
    return AnswerBlocked(
        f"the model refused the prompt ({reason.name})"
        if reason is not None
        else "the model returned no candidate"
    )


def plain_contents(
    messages: Sequence[ChatMessage],
) -> tuple[str | None, list[types.Content]] | None:
    """(system instruction, contents) for a text-only chat; None when it is not one.

    Neighbouring messages of the same role are merged, as the parent does.
    """
    system: str | None = None
    contents: list[types.Content] = []
    for index, message in enumerate(messages):
        if not all(isinstance(block, TextBlock) for block in message.blocks):
            return None
        text = message.content or ""
        if message.role == MessageRole.SYSTEM and index == 0:
            system = text
            continue
        role = GEMINI_ROLES.get(message.role)
        if role is None:
            return None
        if contents and contents[-1].role == role and contents[-1].parts:
            contents[-1].parts.append(types.Part(text=text))
        else:
            contents.append(types.Content(role=role, parts=[types.Part(text=text)]))
    return system, contents


def _text(response: types.GenerateContentResponse) -> tuple[str, types.Candidate | None]:
    if not response.candidates:
        return "", None
    candidate = response.candidates[0]
    parts = candidate.content.parts if candidate.content and candidate.content.parts else []
    return "".join(p.text for p in parts if p.text and not p.thought), candidate


class GeminiLLM(GoogleGenAI):
    """`GoogleGenAI` whose text-only chats are one plain SDK call (see the module)."""

    _set_config: dict[str, Any] = PrivateAttr(default_factory=dict)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        config = self._generation_config or {}
        self._set_config = {key: value for key, value in config.items() if value is not None}

    @classmethod
    def class_name(cls) -> str:
        return "GeminiLLM"

    def _config(self, system: str | None) -> types.GenerateContentConfig:
        return types.GenerateContentConfig(**self._set_config, system_instruction=system)

    async def _achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        plain = None if kwargs else plain_contents(messages)
        if plain is None:
            return await super()._achat(messages, **kwargs)  # type: ignore[no-any-return]
        system, contents = plain
        response = await self._client.aio.models.generate_content(
            model=self.model, contents=contents, config=self._config(system)
        )
        text, candidate = _text(response)
        if candidate is None:
            raise refused(response)
        if (error := finished_early(candidate)) is not None:
            raise error
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    async def _astream_chat(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponseAsyncGen:
        plain = None if kwargs else plain_contents(messages)
        if plain is None:
            return await super()._astream_chat(messages, **kwargs)
        system, contents = plain
        chunks = await self._client.aio.models.generate_content_stream(
            model=self.model, contents=contents, config=self._config(system)
        )

        async def gen() -> ChatResponseAsyncGen:
            parts: list[str] = []
            try:
                async for chunk in chunks:
                    delta, candidate = _text(chunk)
                    if candidate is None and chunk.prompt_feedback is not None:
                        raise refused(chunk)
                    if candidate is not None and (error := finished_early(candidate)):
                        raise error
                    if delta:
                        parts.append(delta)
                        yield ChatResponse(
                            message=ChatMessage(role=MessageRole.ASSISTANT, content="".join(parts)),
                            delta=delta,
                        )
            finally:
                # Closes the upstream HTTP stream when the reader leaves early.
                close = getattr(chunks, "aclose", None)
                if close is not None:
                    await close()

        return gen()
