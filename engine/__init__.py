"""bookchat's engine: retrieval and answers over the book, with no HTTP in it."""

from engine.chat import BookChat, open_engine
from engine.errors import BookChatError
from engine.types import ChatQuery, ChatResult, ChatStream, ReadyReport, Source, Turn

__all__ = [
    "BookChat",
    "BookChatError",
    "ChatQuery",
    "ChatResult",
    "ChatStream",
    "ReadyReport",
    "Source",
    "Turn",
    "open_engine",
]
