"""bookchat's engine: retrieval and answers over the book, with no HTTP in it.

Front ends (`service`, the HTTP API; `cli`, the terminal) call `BookAssistant`.
"""

from engine.answering import ChatStream
from engine.assistant import BookAssistant, open_engine
from engine.errors import BookChatError
from engine.types import ChatQuery, ChatResult, ReadyReport, Source, Turn

__all__ = [
    "BookAssistant",
    "BookChatError",
    "ChatQuery",
    "ChatResult",
    "ChatStream",
    "ReadyReport",
    "Source",
    "Turn",
    "open_engine",
]
