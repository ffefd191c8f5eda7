"""Option parsing shared by the sub-commands and the REPL: one rule a thing."""

from __future__ import annotations

from collections.abc import Sequence

from config.bounds import TOP_K_MAX, TOP_K_MIN
from engine.errors import ConfigurationError
from engine.types import FilterValue

Filters = dict[str, FilterValue | list[FilterValue]]


def parse_filter_value(raw: str) -> FilterValue | list[FilterValue]:
    """`a` → "a", `3` → 3, `a,b` → ["a", "b"] (a list matches any of its values)."""

    def one(text: str) -> FilterValue:
        text = text.strip()
        return int(text) if text.lstrip("-").isdigit() else text

    parts = [part for part in raw.split(",") if part.strip()]
    if len(parts) > 1:
        return [one(part) for part in parts]
    return one(raw)


def parse_filter(item: str, into: Filters) -> None:
    """Add one `KEY=VALUE` to `into`; a bad one is a one-line `ConfigurationError`."""
    key, sep, value = item.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise ConfigurationError(f"--filter expects KEY=VALUE, not {item!r}")
    into[key.strip()] = parse_filter_value(value)


def parse_filters(raw: Sequence[str]) -> Filters:
    """`KEY=VALUE` options (`--filter`, repeatable) as engine filters."""
    filters: Filters = {}
    for item in raw:
        parse_filter(item, filters)
    return filters


TOP_K_RANGE = f"{TOP_K_MIN}-{TOP_K_MAX}"
"""For help texts."""


def check_top_k(value: int | None, name: str) -> None:
    """`--k`/`:k` within the bound every layer shares; else a one-line error."""
    if value is not None and not TOP_K_MIN <= value <= TOP_K_MAX:
        raise ConfigurationError(f"{name} must be between {TOP_K_MIN} and {TOP_K_MAX}")
