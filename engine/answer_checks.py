"""What the server checks in an answer as it passes: citation markers and "not in the book".

Both work on a stream of text pieces (the model's deltas) and on a whole answer alike
(one piece, then `flush`), so `/chat` and `/chat/stream` give the same text.

- `CitationChecker`: passages reach the model numbered `[1]`, `[2]`, …; a marker whose
  number has no passage is removed (with the space before it), and the numbers cited are
  collected. Text that may still become a marker (`[`, `[1`, `[1, `) and trailing
  whitespace are held back until the next piece decides, so a bogus marker never reaches
  the reader.
- `NotInBookDetector`: the model is asked to answer exactly `NOT_IN_BOOK` when the
  passages do not hold the answer; the start of the reply is held until it is clear
  whether it is that sentinel.
"""

from __future__ import annotations

import re

MARKER = re.compile(r"(\s*)\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
# A `[` that the next piece may still close into a marker.
PARTIAL_MARKER = re.compile(r"\[\d{0,3}(?:\s*,\s*\d{0,3})*\s*$")
MAX_HELD = 32

NOT_IN_BOOK_SENTINEL = "NOT_IN_BOOK"
"""What the model is asked to reply when the passages do not hold the answer."""
NOT_IN_BOOK_ANSWER = (
    "I could not find any passage of the book about this, so I cannot answer it from the book."
)
"""The book's one wording for "not in the book", whichever layer decided it (no passage
found, the model's sentinel, the offline answerer): every front end shows this text."""
_SENTINEL_LETTERS = "NOTINBOOK"  # what is compared: letters only, any case or spacing


class CitationChecker:
    """Checks `[n]` markers against `passages` as the answer's text passes."""

    def __init__(self, passages: int) -> None:
        self.passages = passages
        self.cited: set[int] = set()
        self.removed = 0
        self._held = ""

    def _replace(self, match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.split(r"\s*,\s*", match.group(2))]
        valid = [n for n in dict.fromkeys(numbers) if 1 <= n <= self.passages]
        self.removed += len(numbers) - len(valid)
        self.cited.update(valid)
        if not valid:
            return ""
        return match.group(1) + "[" + ", ".join(str(n) for n in valid) + "]"

    def feed(self, text: str) -> str:
        """The part of the text so far that is safe to show."""
        buffer = self._held + text
        cut = len(buffer)
        start = buffer.rfind("[")
        if start >= 0 and len(buffer) - start <= MAX_HELD and PARTIAL_MARKER.match(buffer, start):
            cut = start
        body = MARKER.sub(self._replace, buffer[:cut])
        kept = body.rstrip()
        self._held = body[len(kept) :] + buffer[cut:]
        return kept

    def flush(self) -> str:
        """The rest, at the end of the answer (an unclosed `[3` is just text)."""
        held, self._held = self._held, ""
        return MARKER.sub(self._replace, held)


class NotInBookDetector:
    """Holds the start of a reply until it is clear whether it is the sentinel."""

    def __init__(self) -> None:
        self.not_in_book = False
        self._held = ""
        self._decided = False

    @staticmethod
    def _normal(text: str) -> str:
        return re.sub(r"[^A-Z]", "", text.upper())

    def feed(self, text: str) -> str:
        if self._decided:
            return "" if self.not_in_book else text
        self._held += text
        seen = self._normal(self._held)
        if seen.startswith(_SENTINEL_LETTERS):
            self.not_in_book = self._decided = True
            return ""
        if _SENTINEL_LETTERS.startswith(seen) and len(self._held) < 64:
            return ""  # could still be the sentinel
        self._decided = True
        held, self._held = self._held, ""
        return held

    def flush(self) -> str:
        held, self._held = self._held, ""
        self._decided = True
        return "" if self.not_in_book else held
