"""Payload layouts: where a collection's points keep their text and their metadata.

bookchat answers from collections other tools wrote, each with its own payload layout:

- `bookchat ingest`: the text under `text`, flat metadata (`source`, `title`, `heading`,
  `url`...);
- LlamaIndex: the node as JSON under `_node_content`, its metadata flat beside it;
- LangChain's `QdrantVectorStore`: `page_content` and a nested `metadata` object;
- Haystack's `QdrantDocumentStore`: `content` and a nested `meta` object, plus `id`;
- hand-written indexers: `text`, `chunk` or `body`; `url`, `page_url` or `link`...

`detect_layout` reads a sample of points and finds the text field, the nested metadata
object and where a passage's `title`, `url`, `heading` and `source` come from, by their
common names, unless the settings name them (`QDRANT_TEXT_KEY`, `QDRANT_METADATA_KEY`,
`QDRANT_TITLE_KEY`...; dotted paths reach into nested objects). `PayloadLayout` then
reads every point the same way (`text_of`, `fields_of`), and says where a filter's key
lives in the payload (`filter_key`), so that `{"source": "x"}` filters a LangChain
collection on `metadata.source`.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from config import QdrantSettings
from engine.errors import CollectionInvalid

logger = logging.getLogger(__name__)

NODE_CONTENT = "_node_content"
"""LlamaIndex's JSON of the node, whose `text` is the chunk's text."""
LLAMA_INDEX_PAYLOAD_KEYS = frozenset(
    {NODE_CONTENT, "_node_type", "doc_id", "document_id", "ref_doc_id"}
)
"""Payload keys LlamaIndex writes next to the node's own metadata."""
HAYSTACK_PAYLOAD_KEYS = frozenset({"id", "embedding", "sparse_embedding", "dataframe", "blob"})
"""Haystack's document fields beside `content` and `meta` (hidden when `meta` is there)."""

TEXT_KEYS = (
    "text",
    "page_content",
    "content",
    "chunk",
    "chunk_text",
    "body",
    "document",
    "passage",
    NODE_CONTENT,
)
"""Where the tools above keep a chunk's text, in the order they are tried."""
METADATA_KEYS = ("metadata", "meta")
"""The nested metadata objects of LangChain and Haystack."""
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "page_title", "document_title", "doc_title"),
    "url": ("url", "page_url", "link", "href", "source_url"),
    "heading": ("heading", "section", "section_title", "header", "subheading"),
    "source": ("source", "path", "file_path", "file", "source_path", "file_name", "filename"),
}
"""A passage's public fields and the payload names each is read from, in that order."""
FIELD_SETTINGS = {
    "title": "QDRANT_TITLE_KEY",
    "url": "QDRANT_URL_KEY",
    "heading": "QDRANT_HEADING_KEY",
    "source": "QDRANT_SOURCE_KEY",
}
SAMPLE_POINTS = 64
"""Points read to detect a layout (at start-up and by `bookchat doctor`)."""
GUESSED_TEXT_MIN_LENGTH = 80
"""A field of another name is taken for the text when its strings average this long."""


def resolve(payload: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted `path` (`metadata.source`) of a payload, or None."""
    value: Any = payload
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def as_text(value: Any) -> str:
    """A field's value as a string ('' for none; a list, such as a heading path, joined
    with `>`)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " > ".join(str(item) for item in value if item is not None)
    return str(value)


def _is_web_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


@dataclass(frozen=True)
class PayloadLayout:
    """How the points of one collection are read."""

    text_key: str = "text"
    """The text's path; `_node_content` = LlamaIndex's JSON of the node."""
    metadata_key: str | None = None
    """The nested metadata object (`metadata`, `meta`), or None for flat metadata."""
    fields: Mapping[str, str | None] = field(
        default_factory=lambda: {name: name for name in FIELDS}
    )
    """Each public field's path in the payload (None: the collection has none)."""
    configured: frozenset[str] = frozenset()
    """The parts that settings named rather than detection (`text`, `metadata`, fields)."""

    def text_of(self, payload: Mapping[str, Any]) -> str:
        """The chunk's text; '' when the point has none."""
        if self.text_key == NODE_CONTENT:
            return _node_text(payload.get(NODE_CONTENT))
        value = resolve(payload, self.text_key)
        if value is None and NODE_CONTENT in payload:  # a LlamaIndex node's own text
            return _node_text(payload[NODE_CONTENT])
        return "" if value is None or isinstance(value, (dict, list)) else str(value)

    def field_of(self, payload: Mapping[str, Any], name: str) -> Any:
        path = self.fields.get(name)
        return resolve(payload, path) if path else None

    def metadata_of(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """The payload's metadata, flat: the nested object's keys, then the other keys of
        the payload (not the text, nor a tool's internals)."""
        nested = resolve(payload, self.metadata_key) if self.metadata_key else None
        shown: dict[str, Any] = dict(nested) if isinstance(nested, Mapping) else {}
        hidden = LLAMA_INDEX_PAYLOAD_KEYS | {self.text_key.split(".")[0]}
        if self.metadata_key:
            hidden |= HAYSTACK_PAYLOAD_KEYS | {self.metadata_key.split(".")[0]}
        for key, value in payload.items():
            if key not in hidden and key not in shown:
                shown[key] = value
        return shown

    def filter_key(self, key: str) -> str:
        """Where a filter's key lives in the payload: a public field at its path, another
        key inside the nested metadata object (a dotted key is taken as a path)."""
        if "." in key:
            return key
        if key in self.fields:
            path = self.fields[key]
            if path:
                return path
        return f"{self.metadata_key}.{key}" if self.metadata_key else key

    @property
    def payload_paths(self) -> list[str]:
        """The top-level payload keys that hold the public fields (a scroll's selection)."""
        return sorted({path.split(".")[0] for path in self.fields.values() if path})

    def settings_lines(self) -> list[str]:
        """The settings that pin this layout (`bookchat doctor` prints them)."""
        lines = [f"QDRANT_TEXT_KEY={self.text_key}"]
        if self.metadata_key:
            lines.append(f"QDRANT_METADATA_KEY={self.metadata_key}")
        for name, setting in FIELD_SETTINGS.items():
            path = self.fields.get(name)
            if path and path != name:
                lines.append(f"{setting}={path}")
        return lines


def _node_text(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    try:
        node = json.loads(value)
    except ValueError:
        return value  # plain text written under the key (`bookchat ingest` with it set)
    return as_text(node.get("text")) if isinstance(node, dict) else ""


@dataclass(frozen=True)
class LayoutReport:
    """A detected layout and what the sample showed (for `bookchat doctor`)."""

    layout: PayloadLayout
    sampled: int
    without_text: int
    keys_seen: list[str]


def _keys_seen(payloads: Sequence[Mapping[str, Any]]) -> list[str]:
    counts: Counter[str] = Counter()
    for payload in payloads:
        for key, value in payload.items():
            counts[key] += 1
            if isinstance(value, Mapping):
                counts.update(f"{key}.{inner}" for inner in value)
    return [key for key, _ in counts.most_common(30)]


def _text_key(payloads: Sequence[Mapping[str, Any]]) -> str | None:
    """The text's path: the first common name most points hold a string under, else the
    top-level field of the longest strings (when they are long enough to be text)."""

    def holding(key: str) -> int:
        if key == NODE_CONTENT:
            return sum(1 for p in payloads if _node_text(p.get(key)))
        return sum(1 for p in payloads if isinstance(p.get(key), str) and p.get(key))

    counts = {key: holding(key) for key in TEXT_KEYS}
    best = max(counts.values())
    if best:
        return next(key for key in TEXT_KEYS if counts[key] == best)
    lengths: dict[str, list[int]] = {}
    for payload in payloads:
        for key, value in payload.items():
            if isinstance(value, str) and not _is_web_url(value):
                lengths.setdefault(key, []).append(len(value))
    if not lengths:
        return None
    key, found = max(lengths.items(), key=lambda item: sum(item[1]) / len(payloads))
    return key if sum(found) / len(payloads) >= GUESSED_TEXT_MIN_LENGTH else None


def _metadata_key(payloads: Sequence[Mapping[str, Any]]) -> str | None:
    for key in METADATA_KEYS:
        if sum(1 for p in payloads if isinstance(p.get(key), Mapping)) * 2 > len(payloads):
            return key
    return None


def _field_path(
    payloads: Sequence[Mapping[str, Any]], names: Sequence[str], metadata_key: str | None
) -> str | None:
    """The path most sampled points hold a value under, among the names (inside the
    metadata object first); ties go to the earlier name."""
    paths = [f"{metadata_key}.{name}" for name in names] if metadata_key else []
    paths += list(names)
    counts = [
        (sum(1 for p in payloads if resolve(p, path) not in (None, "", [])), -rank, path)
        for rank, path in enumerate(paths)
    ]
    count, _, path = max(counts)
    return path if count else None


def _configured_path(
    payloads: Sequence[Mapping[str, Any]], path: str, metadata_key: str | None
) -> str:
    """A configured path as given, or inside the metadata object when only it has it."""
    if metadata_key and not path.startswith(f"{metadata_key}.") and payloads:
        inside = f"{metadata_key}.{path}"
        if not any(resolve(p, path) is not None for p in payloads) and any(
            resolve(p, inside) is not None for p in payloads
        ):
            return inside
    return path


def detect_layout(
    payloads: Sequence[Mapping[str, Any]], qdrant: QdrantSettings, collection: str
) -> LayoutReport:
    """The layout of the sampled payloads, the settings' choices first.

    Raises `CollectionInvalid` (naming what was found and the setting to set) when no
    text field can be found. An empty sample gives the layout `bookchat ingest` writes.
    """
    configured: set[str] = set()
    text_key = qdrant.configured_text_key
    if text_key:
        configured.add("text")
    elif payloads:
        text_key = _text_key(payloads)
    if text_key is None:
        raise CollectionInvalid(
            f"points of collection '{collection}' have no text field (looked for "
            f"{', '.join(TEXT_KEYS)}; keys seen: {', '.join(_keys_seen(payloads)) or 'none'})"
            ": set QDRANT_TEXT_KEY"
        )
    metadata_key = qdrant.metadata_key
    if metadata_key:
        configured.add("metadata")
    elif payloads:
        metadata_key = _metadata_key(payloads)
    fields: dict[str, str | None] = {}
    for name, names in FIELDS.items():
        setting = getattr(qdrant, f"{name}_key")
        if setting:
            configured.add(name)
            fields[name] = _configured_path(payloads, setting, metadata_key)
        elif payloads:
            fields[name] = _field_path(payloads, names, metadata_key)
        else:
            fields[name] = name
    if fields["url"] is None and fields["source"]:
        # LangChain's web loaders put the page's URL in `source`.
        sources = [resolve(p, fields["source"]) for p in payloads]
        if sources and all(_is_web_url(value) for value in sources if value is not None):
            fields["url"] = fields["source"]
    layout = PayloadLayout(text_key, metadata_key, fields, frozenset(configured))
    without_text = sum(1 for p in payloads if not layout.text_of(p))
    if payloads and without_text == len(payloads):
        raise CollectionInvalid(
            f"no sampled point of collection '{collection}' has text under '{text_key}' "
            f"(keys seen: {', '.join(_keys_seen(payloads)) or 'none'}): set QDRANT_TEXT_KEY"
        )
    return LayoutReport(layout, len(payloads), without_text, _keys_seen(payloads))
