"""Reading a Docusaurus docs folder into sections and chunks with the payload of docs/ingestion.md.

Pure functions over text (no models, no Qdrant), so every rule is unit-testable:
front matter, MDX clean-up, heading-first splitting, then size-bounded chunks that never
span two sections, and the page URL from the site base URL plus slug or path.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from llama_index.core.node_parser import SentenceSplitter

from engine.ingestion.anchors import Slugger, plain_text, split_explicit_id

logger = logging.getLogger(__name__)

PAGE_SUFFIXES = (".md", ".mdx")
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
MDX_IMPORT_EXPORT = re.compile(r"^\s*(import|export)\s")
JSX_TAG = re.compile(r"</?[A-Z][A-Za-z0-9.]*(?:\s+[^<>]*?)?\s*/?>")
JSX_COMMENT = re.compile(r"\{/\*.*?\*/\}", re.S)
ADMONITION_OPEN = re.compile(r"^\s*:::\s*(\w+)\s*(.*)$")
ADMONITION_CLOSE = re.compile(r"^\s*:::\s*$")
NUMBER_PREFIX = re.compile(r"^\d+[-_]")


@dataclass(frozen=True)
class Section:
    heading: str
    text: str
    anchor: str | None = None
    """The heading's id on the page, as Docusaurus makes it (none for the page's top)."""


@dataclass(frozen=True)
class Page:
    """One page of the book, cleaned, with what its chunks' payload needs."""

    source: str
    title: str
    chapter: str | None
    url: str | None
    sections: tuple[Section, ...]
    content_hash: str


@dataclass(frozen=True)
class Chunk:
    """One piece of a section, as written to Qdrant."""

    id_key: str
    text: str
    metadata: dict[str, Any]


def split_front_matter(raw: str) -> tuple[dict[str, Any], str]:
    """YAML front matter between `---` lines at the very top, and the body after it."""
    if not raw.startswith("---"):
        return {}, raw
    match = re.match(r"^---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|$)", raw, re.S)
    if not match:
        return {}, raw
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        logger.warning("unreadable front matter; treated as text")
        return {}, raw
    return (data if isinstance(data, dict) else {}), raw[match.end() :]


def _drop_export_block(lines: list[str], start: int) -> int:
    """Index after an `export`/`import` statement that may span lines (balanced braces)."""
    depth = 0
    index = start
    while index < len(lines):
        depth += lines[index].count("{") + lines[index].count("(") + lines[index].count("[")
        depth -= lines[index].count("}") + lines[index].count(")") + lines[index].count("]")
        index += 1
        if depth <= 0:
            break
    return index


def clean_mdx(body: str) -> str:
    """Markdown text with MDX syntax removed; code blocks and admonitions kept as text.

    - `import`/`export` statements go (even over several lines); JSX tags go but the
      text between them stays; `{/* comments */}` go.
    - `:::tip Title` becomes `Tip: Title`, the closing `:::` goes.
    - Nothing inside a fenced code block is touched.
    """
    body = JSX_COMMENT.sub("", body)
    lines = body.splitlines()
    out: list[str] = []
    in_fence = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if FENCE.match(line):
            in_fence = not in_fence
            out.append(line)
            index += 1
            continue
        if in_fence:
            out.append(line)
            index += 1
            continue
        if MDX_IMPORT_EXPORT.match(line):
            index = _drop_export_block(lines, index)
            continue
        opening = ADMONITION_OPEN.match(line)
        if opening:
            kind, title = opening.group(1).capitalize(), opening.group(2).strip()
            out.append(f"{kind}: {title}" if title else f"{kind}:")
        elif not ADMONITION_CLOSE.match(line):
            stripped = JSX_TAG.sub("", line)
            if stripped.strip() or not line.strip():
                out.append(stripped.rstrip() if stripped.strip() else "")
        index += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def split_sections(body: str, default_heading: str) -> list[Section]:
    """Sections by Markdown heading (never inside code fences); text before any heading
    belongs to `default_heading`. Each heading below the first level gets its anchor."""
    sections: list[Section] = []
    heading, anchor = default_heading, None
    buffer: list[str] = []
    in_fence = False
    slugger = Slugger()

    def flush() -> None:
        text = "\n".join(buffer).strip()
        if text:
            sections.append(Section(heading=heading, text=text, anchor=anchor))

    for line in body.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line)
        if match:
            flush()
            buffer = []
            heading, slug_ = slugger.anchor(match.group(2).strip())
            anchor = slug_ if len(match.group(1)) > 1 else None
        else:
            buffer.append(line)
    flush()
    return sections


def first_heading(body: str) -> str | None:
    """The first level-1 heading outside code fences."""
    in_fence = False
    for line in body.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        match = None if in_fence else HEADING.match(line)
        if match and len(match.group(1)) == 1:
            return plain_text(split_explicit_id(match.group(2).strip())[0])
    return None


def page_url(base_url: str | None, source: str, front: dict[str, Any]) -> str | None:
    """The page's site URL: base URL plus the front-matter slug, else the doc's path.

    A slug starting with `/` is absolute (from the docs root); another slug is relative to
    the page's folder. Without a slug the path drops the extension and number prefixes,
    takes the front-matter `id` for the file name, and `index`/`README` map to the folder.
    """
    if not base_url:
        return None
    base = base_url.rstrip("/")
    path = PurePosixPath(source)
    folder = [NUMBER_PREFIX.sub("", part) for part in path.parent.parts]
    slug = front.get("slug")
    if isinstance(slug, str) and slug.strip():
        slug = slug.strip()
        if slug.startswith("/"):
            return base + ("" if slug == "/" else slug.rstrip("/"))
        return "/".join([base, *folder, slug.strip("/")])
    name = str(front.get("id") or NUMBER_PREFIX.sub("", path.stem))
    parts = folder if path.stem.lower() in ("index", "readme") else [*folder, name]
    return "/".join([base, *parts])


def category_labels(folder: Path) -> dict[Path, str]:
    """The `label` of every `_category_.json` under `folder`, by directory."""
    labels: dict[Path, str] = {}
    for meta in folder.rglob("_category_.json"):
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            logger.warning("unreadable %s", meta)
            continue
        if isinstance(data, dict) and isinstance(data.get("label"), str):
            labels[meta.parent] = data["label"]
    return labels


def chapter_of(path: Path, folder: Path, labels: dict[Path, str]) -> str | None:
    """The labels of the categories a page sits in, outermost first (`Control / Advanced`)."""
    chain: list[str] = []
    current = path.parent
    while current != folder and folder in current.parents:
        label = labels.get(current) or NUMBER_PREFIX.sub("", current.name).replace("-", " ").title()
        chain.append(label)
        current = current.parent
    return " / ".join(reversed(chain)) or None


def read_page(path: Path, folder: Path, labels: dict[Path, str], base_url: str | None) -> Page:
    raw = path.read_text(encoding="utf-8")
    front, body = split_front_matter(raw)
    body = clean_mdx(body)
    source = path.relative_to(folder).as_posix()
    title = str(front.get("title") or first_heading(body) or path.stem)
    sections = tuple(split_sections(body, default_heading=title))
    return Page(
        source=source,
        title=title,
        chapter=chapter_of(path, folder, labels),
        url=page_url(base_url, source, front),
        sections=sections,
        content_hash=hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32],
    )


def page_paths(folder: Path) -> list[Path]:
    """Markdown and MDX pages, sorted; files and folders starting with `_` or `.` skipped."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.suffix in PAGE_SUFFIXES
        and path.is_file()
        and not any(part.startswith(("_", ".")) for part in path.relative_to(folder).parts)
    )


def read_folder(folder: Path, base_url: str | None = None) -> list[Page]:
    labels = category_labels(folder)
    return [read_page(path, folder, labels, base_url) for path in page_paths(folder)]


def chunk_page(page: Page, chunk_size: int, chunk_overlap: int) -> list[Chunk]:
    """Chunks of each section (heading first, then size with overlap)."""
    splitter = SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)
    pieces = [
        (section, text)
        for section in page.sections
        for text in splitter.split_text(section.text)
        if text.strip()
    ]
    chunks = []
    for index, (section, text) in enumerate(pieces):
        metadata: dict[str, Any] = {
            "source": page.source,
            "title": page.title,
            "heading": section.heading,
            "chunk_index": index,
            "chunk_count": len(pieces),
            "content_hash": page.content_hash,
        }
        if page.chapter:
            metadata["chapter"] = page.chapter
        if section.anchor:
            metadata["anchor"] = section.anchor
        if page.url:
            metadata["url"] = f"{page.url}#{section.anchor}" if section.anchor else page.url
        chunks.append(Chunk(id_key=f"{page.source}#{index}", text=text, metadata=metadata))
    return chunks


def embedding_text(chunk: Chunk) -> str:
    """What is embedded: the chunk with its title and section, for context."""
    return f"{chunk.metadata['title']} — {chunk.metadata['heading']}\n\n{chunk.text}"


def iter_batches(items: list[Chunk], size: int) -> Iterator[list[Chunk]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
