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
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import yaml
from llama_index.core.node_parser import SentenceSplitter

from engine.ingestion.anchors import Slugger, plain_text, split_explicit_id

logger = logging.getLogger(__name__)

PAGE_SUFFIXES = (".md", ".mdx")
# A fence opens with 3+ backticks or tildes (a backtick fence's info string holds none) and
# closes only with the same character, at least as many, and nothing after (CommonMark).
FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
MDX_IMPORT_EXPORT = re.compile(r"^\s*(import|export)\s")
# A JSX or HTML tag (`<Tabs>`, `<TabItem value="x">`, `<div className="note">`, `<br/>`);
# an autolink (`<https://...>`) is none.
JSX_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9.:-]*(?:\s+[^<>]*?)?\s*/?>")
COMMENT = re.compile(r"\{/\*.*?\*/\}|<!--.*?-->", re.S)
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
# A Markdown file imported as a component, and that component used on a line of its own.
PARTIAL_IMPORT = re.compile(
    r"^\s*import\s+(?P<name>[A-Z]\w*)\s+from\s+['\"](?P<path>\.{1,2}/[^'\"]+\.mdx?)['\"];?\s*$"
)
PARTIAL_USE = re.compile(r"^\s*<(?P<name>[A-Z]\w*)\s*/>\s*$")
ADMONITION_OPEN = re.compile(r"^\s*:::\s*(\w+)\s*(.*)$")
ADMONITION_CLOSE = re.compile(r"^\s*:::\s*$")
# Docusaurus's DefaultNumberPrefixParser (plugin-content-docs/src/numberPrefix.ts), on
# every path segment: `02.Second Part` -> `Second Part`, `03 - End` -> `End`; date- and
# version-like names (`2024-01-15-notes`, `7.0-foo`) are kept.
NUMBER_PREFIX = re.compile(r"^(?P<number>\d+)\s*[-_.]+\s*(?P<name>[^-_.\s].*)$")
NOT_A_NUMBER_PREFIX = re.compile(r"^\d+[-_.]\d+")
# What a URL path keeps as it is (a page may be `intro/Second Part`: the space is encoded).
URL_PATH_SAFE = "/:@!$&'()*+,;=~-._"


def strip_number_prefix(name: str) -> str:
    """A file or folder name without its ordering number, as Docusaurus strips it."""
    if NOT_A_NUMBER_PREFIX.match(name):
        return name
    match = NUMBER_PREFIX.match(name)
    return match.group("name") if match else name


class Fences:
    """Which lines belong to fenced code blocks, fed one line at a time."""

    def __init__(self) -> None:
        self.open: str | None = None

    def step(self, line: str) -> bool:
        """True when `line` is part of a code block (its fence lines included)."""
        match = FENCE.match(line)
        if self.open is None:
            if match is None or (match["fence"][0] == "`" and "`" in match["info"]):
                return False
            self.open = match["fence"]
            return True
        if (
            match is not None
            and match["fence"][0] == self.open[0]
            and len(match["fence"]) >= len(self.open)
            and not match["info"].strip()
        ):
            self.open = None
        return True


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
    fields: tuple[tuple[str, str | bool], ...] = ()
    """More payload for every chunk (a build's `version`, `locale`, `docs_tag`, `latest`,
    `default_locale`)."""


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


def _segments(body: str) -> list[tuple[bool, list[str]]]:
    """The body's lines in runs: (True, lines) for fenced code, (False, lines) for prose."""
    fences = Fences()
    runs: list[tuple[bool, list[str]]] = []
    for line in body.splitlines():
        code = fences.step(line)
        if runs and runs[-1][0] == code:
            runs[-1][1].append(line)
        else:
            runs.append((code, [line]))
    return runs


def _heading_with_plain_id(line: str) -> str:
    """A heading line with its explicit id in the one form `{#id}` (a comment id would go
    with the comments, `\\{#id}` would leave its backslash in the label)."""
    match = HEADING.match(line)
    if match is None:
        return line
    text, explicit = split_explicit_id(match.group(2).strip())
    if explicit is None:
        return line
    return f"{match.group(1)} {text} {{#{explicit}}}"


def _outside_inline_code(line: str, pattern: re.Pattern[str]) -> str:
    """`line` with `pattern` removed, except inside inline code (`` `<BrowserOnly>` ``)."""
    parts = INLINE_CODE.split(line)
    # re.split with two groups: text, fence, code, text, fence, code, ...
    out = []
    for index, part in enumerate(parts):
        if index % 3 == 0:
            out.append(pattern.sub("", part))
        elif index % 3 == 2:
            fence = parts[index - 1]
            out.append(f"{fence}{part}{fence}")
    return "".join(out)


def _clean_prose(lines: list[str]) -> list[str]:
    text = "\n".join(_heading_with_plain_id(line) for line in lines)
    text = COMMENT.sub("", text)
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if MDX_IMPORT_EXPORT.match(line):
            index = _drop_export_block(lines, index)
            continue
        opening = ADMONITION_OPEN.match(line)
        if opening:
            kind, title = opening.group(1).capitalize(), opening.group(2).strip()
            out.append(f"{kind}: {title}" if title else f"{kind}:")
        elif not ADMONITION_CLOSE.match(line):
            stripped = _outside_inline_code(line, JSX_TAG)
            if stripped.strip() or not line.strip():
                out.append(stripped.rstrip() if stripped.strip() else "")
        index += 1
    return out


def clean_mdx(body: str) -> str:
    """Markdown text with MDX syntax removed; code blocks and admonitions kept as text.

    - `import`/`export` statements go (even over several lines); JSX tags go but the
      text between them stays (and inline code keeps them); `{/* comments */}` and
      `<!-- comments -->` go, except a heading's id comment, kept as `{#id}`.
    - `:::tip Title` becomes `Tip: Title`, the closing `:::` goes.
    - Nothing inside a fenced code block is touched.
    """
    out: list[str] = []
    for code, lines in _segments(body):
        if code:
            # The opening fence keeps its language only (`title=...`, `showLineNumbers` go).
            opening = FENCE.match(lines[0])
            if opening is not None:
                language = (opening["info"].split() or [""])[0]
                lines = [f"{opening['fence']}{language}", *lines[1:]]
            out.extend(lines)
        else:
            out.extend(_clean_prose(lines))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def split_sections(body: str, default_heading: str) -> list[Section]:
    """Sections by Markdown heading (never inside code fences); text before any heading
    belongs to `default_heading`. Each heading below the first level gets its anchor."""
    sections: list[Section] = []
    heading, anchor = default_heading, None
    buffer: list[str] = []
    fences = Fences()
    slugger = Slugger()

    def flush() -> None:
        text = "\n".join(buffer).strip()
        if text:
            sections.append(Section(heading=heading, text=text, anchor=anchor))

    for line in body.splitlines():
        match = None if fences.step(line) else HEADING.match(line)
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
    fences = Fences()
    for line in body.splitlines():
        match = None if fences.step(line) else HEADING.match(line)
        if match and len(match.group(1)) == 1:
            return plain_text(split_explicit_id(match.group(2).strip())[0])
    return None


def page_url(
    base_url: str | None, source: str, front: dict[str, Any], trailing_slash: bool = False
) -> str | None:
    """The page's site URL: base URL plus the front-matter slug, else the doc's path.

    As Docusaurus computes a doc's slug: a slug starting with `/` is absolute (from the
    docs root), another is relative to the page's folder; without a slug the path takes
    the front-matter `id` or the file name, number prefixes stripped from every segment,
    and a folder's `index`, `README` or same-named file maps to the folder. The path is
    percent-encoded (`intro/Second%20Part`) and ends with `/` for a site built with
    `trailingSlash: true`.
    """
    if not base_url:
        return None
    base = base_url.rstrip("/")
    path = PurePosixPath(source)
    folder = [strip_number_prefix(part) for part in path.parent.parts]
    slug = front.get("slug")
    if isinstance(slug, str) and slug.strip():
        slug = slug.strip()
        if slug.startswith("/"):
            parts = [part for part in slug.split("/") if part]
        else:
            parts = [*folder, *(part for part in slug.split("/") if part)]
    else:
        name = str(front.get("id") or strip_number_prefix(path.stem))
        index_names = ("index", "readme", path.parent.name.lower())
        parts = folder if path.stem.lower() in index_names else [*folder, name]
    url_path = quote("".join(f"/{part}" for part in parts), safe=URL_PATH_SAFE)
    return base + url_path + ("/" if trailing_slash else "")


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
        label = labels.get(current) or strip_number_prefix(current.name).replace("-", " ").title()
        chain.append(label)
        current = current.parent
    return " / ".join(reversed(chain)) or None


MAX_PARTIAL_DEPTH = 5


def inline_partials(body: str, path: Path, read: list[str], depth: int = 0) -> str:
    """The body with each imported Markdown/MDX file (`import Steps from './_steps.mdx'`)
    in place of its `<Steps />`, as MDX renders it; `read` collects the partials' raw text
    (a changed partial changes the page's hash). A missing file is left to `clean_mdx`."""
    imports: dict[str, Path] = {}
    for code, lines in _segments(body):
        for line in [] if code else lines:
            match = PARTIAL_IMPORT.match(line)
            if match:
                imports[match["name"]] = (path.parent / match["path"]).resolve()
    if not imports or depth >= MAX_PARTIAL_DEPTH:
        return body
    out: list[str] = []
    for code, lines in _segments(body):
        for line in lines:
            use = None if code else PARTIAL_USE.match(line)
            partial = imports.get(use["name"]) if use else None
            if partial is None or not partial.is_file():
                out.append(line)
                continue
            raw = partial.read_text(encoding="utf-8")
            read.append(raw)
            inlined = inline_partials(split_front_matter(raw)[1], partial, read, depth + 1)
            out.append(_pin_heading_ids(inlined))
    return "\n".join(out)


def _pin_heading_ids(body: str) -> str:
    """A partial's headings with the ids its own page gives them: MDX compiles each file
    apart, so a partial's `## Setup` is `#setup` even under a page that has one."""
    fences = Fences()
    slugger = Slugger()
    out = []
    for line in body.splitlines():
        match = None if fences.step(line) else HEADING.match(line)
        if match and split_explicit_id(match.group(2).strip())[1] is None:
            _, anchor = slugger.anchor(match.group(2).strip())
            line = f"{match.group(1)} {match.group(2).strip()} {{#{anchor}}}"
        out.append(line)
    return "\n".join(out)


def read_page(
    path: Path,
    folder: Path,
    labels: dict[Path, str],
    base_url: str | None,
    trailing_slash: bool = False,
) -> Page | None:
    """One page, or None for a draft or unlisted page."""
    raw = path.read_text(encoding="utf-8")
    front, body = split_front_matter(raw)
    if not published(front):
        return None
    partials: list[str] = []
    body = clean_mdx(inline_partials(body, path, partials))
    source = path.relative_to(folder).as_posix()
    title = str(front.get("title") or first_heading(body) or path.stem)
    sections = tuple(split_sections(body, default_heading=title))
    return Page(
        source=source,
        title=title,
        chapter=chapter_of(path, folder, labels),
        url=page_url(base_url, source, front, trailing_slash),
        sections=sections,
        content_hash=hashlib.sha256("\0".join([raw, *partials]).encode()).hexdigest()[:32],
    )


def page_paths(folder: Path) -> list[Path]:
    """Markdown and MDX pages, sorted. Skipped as Docusaurus skips them: files and folders
    starting with `_` (partials, imported by pages) or `.`, tests (`*.test.*`,
    `__tests__`)."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.suffix in PAGE_SUFFIXES
        and path.is_file()
        and ".test." not in path.name
        and not any(part.startswith(("_", ".")) for part in path.relative_to(folder).parts)
    )


def published(front: dict[str, Any]) -> bool:
    """Whether a production build lists the page: `draft: true` pages are not built,
    `unlisted: true` ones are built but hidden from search (noindex) and the sitemap."""
    return front.get("draft") is not True and front.get("unlisted") is not True


def read_folder(
    folder: Path, base_url: str | None = None, trailing_slash: bool = False
) -> list[Page]:
    """The folder's published pages (drafts and unlisted pages left out)."""
    labels = category_labels(folder)
    pages = []
    for path in page_paths(folder):
        page = read_page(path, folder, labels, base_url, trailing_slash)
        if page is not None:
            pages.append(page)
    return pages


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
        metadata.update(page.fields)
        if section.anchor:
            metadata["anchor"] = section.anchor
        if page.url:
            metadata["url"] = f"{page.url}#{section.anchor}" if section.anchor else page.url
        chunks.append(Chunk(id_key=f"{page.source}#{index}", text=text, metadata=metadata))
    return chunks


def embedding_text(chunk: Chunk) -> str:
    """What is embedded: the chunk with its title and section, for context."""
    return f"{chunk.metadata['title']} — {chunk.metadata['heading']}\n\n{chunk.text}"
