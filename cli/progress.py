"""Progress of long jobs (ingestion, evaluation): a tqdm bar on a terminal, plain lines
otherwise, on stderr. An `engine.types.ProgressFactory`."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO


@dataclass
class TerminalProgress:
    """A progress bar on a terminal, plain lines otherwise (to stderr)."""

    total: int
    unit: str = "page"
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    _bar: Any = None
    _done: int = 0

    def __post_init__(self) -> None:
        if self.stream.isatty():
            from tqdm import tqdm

            try:
                size = os.get_terminal_size(self.stream.fileno())
            except OSError:
                size = os.terminal_size((0, 0))
            # A terminal that reports no size (a bare pty) would get no bar at all.
            self._bar = tqdm(
                total=self.total,
                unit=self.unit,
                file=self.stream,
                ncols=size.columns or 80,
                nrows=size.lines or 24,
            )

    def step(self, source: str, status: str) -> None:
        self._done += 1
        if self._bar is not None:
            self._bar.set_postfix_str(f"{status} {source}", refresh=False)
            self._bar.update(1)
        else:
            print(f"[{self._done}/{self.total}] {status} {source}", file=self.stream, flush=True)

    def note(self, message: str) -> None:
        """A wait (the Gemini quota, a retry): in the bar until the next step, or a line."""
        if self._bar is not None:
            self._bar.set_postfix_str(message, refresh=True)
        else:
            print(f"[{self._done}/{self.total}] {message}", file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
