"""Reading a Docusaurus build (`bookchat ingest build/`) into pages with the built anchors.

The build is the truth about a site: each page's canonical URL (`og:url`), the text MDX
rendered (imports, components, every tab panel, admonitions), the heading ids exactly as
built, its breadcrumb, version and locale. This reader takes them from the HTML with lxml
and gives the same `Page`s as the sources reader, so chunking and writing are shared.

Kept: docs pages (`docs-doc-page` on `<html>`) and blog posts (`blog-post-page`). Left out:
pages marked noindex (unlisted), 404, search, tag, archive and pagination pages, which have
neither class. `source` is the page's URL path (`/fr/docs/1.0/intro/`), unique across
versions and locales and unchanged by a new origin.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import lxml.html
from lxml.etree import ParserError
from lxml.html import HtmlElement

from engine.ingestion.docusaurus import URL_PATH_SAFE, Page, Section

logger = logging.getLogger(__name__)

KEPT_PAGE_CLASSES = ("docs-doc-page", "blog-post-page")
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip


# The theme's chrome inside <article>: breadcrumbs, version badge, the mobile table of
# contents, a blog post's date/author header and tag footer, the heading's `#` link, buttons.
# The theme's chrome inside <article>: breadcrumbs, version badge, the mobile table of
# contents, a blog post's date/author header and tag footer, the heading's `#` link, buttons.
def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


CHROME = " | ".join(
    [
        *(
            f".//*[{_has_class(name)}]"
            for name in (
                "theme-doc-breadcrumbs",
                "theme-doc-version-badge",
                "theme-doc-toc-mobile",
                "theme-doc-footer",
                "hash-link",
            )
        ),
        ".//button | .//script | .//style | .//svg | ./header | ./footer",
    ]
)


# The payload keys the build's meta tags give (contract: `version`, `locale`, `docs_tag`).
META_FIELDS = (
    ("docusaurus_version", "version"),
    ("docusaurus_locale", "locale"),
    ("docusaurus_tag", "docs_tag"),
)
ZERO_WIDTH = "\u200b"


def _generator(path: Path) -> str | None:
    try:
        root = lxml.html.fromstring(path.read_bytes())
    except (OSError, ParserError):
        return None
    found = root.xpath("//meta[@name='generator']/@content")
    return str(found[0]) if found else None


def is_docusaurus_build(folder: Path) -> bool:
    """A folder holding a Docusaurus build: its `index.html` or `404.html` (or else its
    first HTML page) names Docusaurus as its generator."""
    candidates = [folder / "index.html", folder / "404.html"]
    first = next(iter(sorted(folder.rglob("*.html"))), None)
    for path in [*candidates, *([first] if first else [])]:
        if path.is_file():
            generator = _generator(path)
            if generator is not None:
                return generator.startswith("Docusaurus")
    return False


@dataclass
class _Sections:
    """Sections being built, in document order: the page top, then one per heading."""

    title: str
    done: list[Section] = field(default_factory=list)
    heading: str = ""
    anchor: str | None = None
    blocks: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.heading = self.title

    def start(self, heading: str, anchor: str) -> None:
        self.close()
        self.heading, self.anchor, self.blocks = heading, anchor, []

    def add(self, text: str) -> None:
        text = text.replace(ZERO_WIDTH, "").strip()
        if text:
            self.blocks.append(text)

    def close(self) -> list[Section]:
        if self.blocks:
            self.done.append(
                Section(heading=self.heading, text="\n\n".join(self.blocks), anchor=self.anchor)
            )
            self.blocks = []
        return self.done


def _classes(element: HtmlElement) -> list[str]:
    return str(element.get("class") or "").split()


LINE_BREAK = "\x00"  # a `<br>`, kept through the whitespace collapsing


def _inline_parts(element: HtmlElement) -> list[str]:
    parts: list[str] = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            parts.append(child.tail or "")
            continue
        if child.tag == "br":
            parts.append(LINE_BREAK)
        elif child.tag == "code":
            parts.append(f"`{child.text_content()}`")
        elif child.tag == "img":
            parts.append(str(child.get("alt") or ""))
        else:
            parts.extend(_inline_parts(child))
        parts.append(child.tail or "")
    return parts


def _inline(element: HtmlElement) -> str:
    """An element's text as one paragraph, white space collapsed as a browser shows it:
    inline code in backticks, `<br>` a newline, an image its `alt`."""
    text = " ".join("".join(_inline_parts(element)).replace(ZERO_WIDTH, "").split())
    return (
        text.replace(f" {LINE_BREAK}", LINE_BREAK)
        .replace(f"{LINE_BREAK} ", LINE_BREAK)
        .replace(LINE_BREAK, "\n")
        .strip()
    )


def _code_block(element: HtmlElement) -> str:
    """A code block as fenced Markdown with its language (`language-xxx`), one line per
    rendered line (line numbers are CSS counters, not text)."""
    language = ""
    for node in [element, *element.iter("pre")]:
        for name in _classes(node):
            if name.startswith("language-"):
                language = name.removeprefix("language-")
                break
        if language:
            break
    lines = [line.text_content() for line in element.find_class("token-line")]
    if not lines:
        code = element.find(".//pre")
        lines = (code if code is not None else element).text_content().split("\n")
    body = "\n".join(lines).strip("\n")
    fence = "```"
    while fence in body:
        fence += "`"
    return f"{fence}{language}\n{body}\n{fence}"


def _tabs(element: HtmlElement, sections: _Sections) -> None:
    """Every tab panel, hidden or not, under its tab's label."""
    labels = [_inline(tab) for tab in element.xpath(".//*[@role='tab']")]
    panels = element.xpath(".//*[@role='tabpanel']")
    for index, panel in enumerate(panels):
        label = labels[index] if index < len(labels) else ""
        # A panel with headings of its own is read under them (its label would land in
        # the previous panel's section).
        if label and not panel.xpath(" | ".join(f".//{h}" for h in HEADINGS)):
            sections.add(f"{label}:")
        _walk(panel, sections)


def _admonition(element: HtmlElement, sections: _Sections) -> None:
    """`Tip: Title` then the content, as the sources reader writes an admonition."""
    kind = next(
        (
            name.removeprefix("theme-admonition-")
            for name in _classes(element)
            if name.startswith("theme-admonition-")
        ),
        "note",
    )
    heading = next(
        (c for c in element if any(n.startswith("admonitionHeading") for n in _classes(c))),
        None,
    )
    title = _inline(heading) if heading is not None else ""
    sections.add(f"{kind.capitalize()}: {title}" if title else f"{kind.capitalize()}:")
    for child in element:
        if child is not heading:
            _walk(child, sections)


def _table(element: HtmlElement) -> str:
    rows = []
    for row in element.iter("tr"):
        cells = [_inline(cell) for cell in row if cell.tag in ("td", "th")]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _list(element: HtmlElement, sections: _Sections) -> None:
    for number, item in enumerate((c for c in element if c.tag == "li"), start=1):
        marker = f"{number}." if element.tag == "ol" else "-"
        nested = [c for c in item if c.tag in BLOCKS]
        if not nested:
            sections.add(f"{marker} {_inline(item)}")
            continue
        sections.add(f"{marker} {(item.text or '').strip()}".rstrip())
        _walk(item, sections, skip_text=True)


def _walk(element: HtmlElement, sections: _Sections, skip_text: bool = False) -> None:
    """The blocks under `element` in document order: headings start sections, runs of
    inline content become paragraphs."""
    inline: list[str] = [] if skip_text else [element.text or ""]

    def flush() -> None:
        text = " ".join("".join(inline).split()) if inline else ""
        sections.add(text)
        inline.clear()

    for child in element:
        if not isinstance(child.tag, str):
            inline.append(child.tail or "")
            continue
        if child.tag not in BLOCKS:
            inline.append(_inline(child) if child.tag != "code" else f"`{child.text_content()}`")
            inline.append(child.tail or "")
            continue
        flush()
        names = _classes(child)
        if child.tag in HEADINGS and child.get("id"):
            # The label as the heading reads (inline code as its text, like the sources).
            sections.start(" ".join(child.text_content().split()), str(child.get("id")))
        elif child.tag == "pre" or "theme-code-block" in names:
            sections.add(_code_block(child))
        elif "theme-admonition" in names:
            _admonition(child, sections)
        elif child.xpath("./*[@role='tablist']") or "tabs-container" in names:
            _tabs(child, sections)
        elif child.tag in ("ul", "ol"):
            _list(child, sections)
        elif child.tag == "table":
            sections.add(_table(child))
        elif child.tag in ("p", "dt", "dd", "summary", "figcaption", "h1") or not any(
            isinstance(c.tag, str) and c.tag in BLOCKS for c in child
        ):
            sections.add(_inline(child))
        else:
            _walk(child, sections)
        inline.append(child.tail or "")
    flush()


def _page_url(root: HtmlElement, relative: Path, base_url: str | None) -> str:
    """The canonical URL (`og:url`), its origin replaced by `base_url`'s when given; the
    path percent-encoded (a page may be `/docs/intro/Second Part/`)."""
    found = root.xpath("//meta[@property='og:url']/@content")
    if found:
        url = str(found[0])
    elif relative.name == "index.html":  # no `url` in the config: the file's place
        url = ("/" + relative.parent.as_posix().strip(".") + "/").replace("//", "/")
    else:  # built with trailingSlash: false
        url = "/" + relative.with_suffix("").as_posix()
    parts = urlsplit(url)
    scheme, netloc = parts.scheme, parts.netloc
    if base_url:
        base = urlsplit(base_url)
        scheme, netloc = base.scheme, base.netloc
    path = quote(unquote(parts.path), safe=URL_PATH_SAFE)
    return urlunsplit((scheme, netloc, path, "", ""))


@dataclass(frozen=True)
class SiteMarks:
    """What a built page says about the site beyond itself (`site_fields` reads them)."""

    latest_link: str | None = None
    """The path the version banner's "latest version" link points to: older versions and
    `next` carry the banner, the latest version does not (Docusaurus's defaults)."""
    x_default: str | None = None
    """The path of the page's `hreflang="x-default"` alternate: its default-locale twin."""


def _path_of(href: str) -> str:
    return quote(unquote(urlsplit(href).path), safe=URL_PATH_SAFE)


def _marks(root: HtmlElement) -> SiteMarks:
    links = root.xpath(
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' theme-doc-version-banner ')]"
        "//a/@href"
    )
    x_default = root.xpath("//link[@rel='alternate'][@hreflang='x-default']/@href")
    return SiteMarks(
        latest_link=_path_of(str(links[0])) if links else None,
        x_default=_path_of(str(x_default[0])) if x_default else None,
    )


def read_built_page(
    path: Path, folder: Path, base_url: str | None = None
) -> tuple[Page, SiteMarks] | None:
    """One built HTML page as a `Page` (and what it says of the site), or None when it is
    not a page to index."""
    try:
        root = lxml.html.fromstring(path.read_bytes())
    except (OSError, ParserError):
        logger.warning("unreadable HTML %s", path)
        return None
    page_classes = _classes(root)
    if not any(name in page_classes for name in KEPT_PAGE_CLASSES):
        return None
    robots = " ".join(str(v) for v in root.xpath("//meta[@name='robots']/@content"))
    if "noindex" in robots.lower():
        return None
    articles = root.xpath("//article")
    if not articles:
        return None
    article: HtmlElement = articles[0]
    crumbs = [_inline(c) for c in article.xpath(".//nav[contains(@class,'breadcrumbs')]//li")]
    h1 = article.xpath(".//h1")
    title = _inline(h1[0]) if h1 else ""
    if not title:
        og_title = root.xpath("//meta[@property='og:title']/@content")
        title = str(og_title[0]).split(" | ")[0] if og_title else path.parent.name
    for chrome in article.xpath(CHROME):
        chrome.drop_tree()
    for heading in article.xpath(".//h1"):
        heading.drop_tree()
    sections = _Sections(title=title)
    _walk(article, sections)
    url = _page_url(root, path.relative_to(folder), base_url)
    fields = []
    for meta, key in META_FIELDS:
        found = root.xpath(f"//meta[@name='{meta}']/@content")
        if found:
            fields.append((key, str(found[0])))
    done = tuple(sections.close())
    digest = hashlib.sha256()
    # The extracted text, not the HTML: a rebuild renames every asset in every page.
    for part in (url, title, *crumbs, *(f"{k}={v}" for k, v in fields)):
        digest.update(part.encode() + b"\0")
    for section in done:
        digest.update(f"{section.heading}\0{section.anchor}\0{section.text}\0".encode())
    page = Page(
        source=urlsplit(url).path,
        title=title,
        chapter=" / ".join(crumbs[:-1]) or None,
        url=url,
        sections=done,
        content_hash=digest.hexdigest()[:32],
        fields=tuple(fields),
    )
    return page, _marks(root)


def built_pages(folder: Path) -> Iterator[Path]:
    """Every HTML page of a build, sorted (assets and the 404 page's siblings included;
    `read_built_page` decides)."""
    yield from sorted(path for path in folder.rglob("*.html") if path.is_file())


def read_build(folder: Path, base_url: str | None = None) -> list[Page]:
    read = [read_built_page(path, folder, base_url) for path in built_pages(folder)]
    kept = [(page, marks) for page, marks in filter(None, read) if page.sections]
    return site_fields(kept)


def _plugin(fields: dict[str, str | bool]) -> str:
    """A docs page's plugin, from its tag `docs-<pluginId>-<version>`."""
    return str(fields.get("docs_tag", "")).removesuffix(f"-{fields.get('version', '')}")


def site_fields(read: Sequence[tuple[Page, SiteMarks]]) -> list[Page]:
    """The pages with what only the whole build tells, for answering from the reader's
    version and language (docs/ingestion.md): `latest` (the page is in the version
    readers get at `/docs/...`, Docusaurus's `lastVersion`, or in no version at all, as a
    blog post) and `default_locale` (the page is in the site's default locale). Both go
    into the page's hash: changing them rewrites its points."""
    fields = [dict(page.fields) for page, _ in read]
    by_source = {page.source: i for i, (page, _) in enumerate(read)}
    locales = {str(f["locale"]) for f in fields if "locale" in f}
    default = _default_locale(read, fields, locales)
    latest = _latest_versions(read, fields, by_source)
    pages = []
    for (page, _), own in zip(read, fields, strict=True):
        if "locale" not in own:  # not a page Docusaurus marked (a hand-made build)
            pages.append(page)
            continue
        version = own.get("version")
        plugin_latest = latest.get(_plugin(own))
        flags: dict[str, str | bool] = {
            "latest": version is None or plugin_latest is None or version == plugin_latest,
            "default_locale": default is None or own["locale"] == default,
        }
        digest = hashlib.sha256(page.content_hash.encode())
        digest.update("".join(f"\0{key}={value}" for key, value in flags.items()).encode())
        pages.append(
            replace(
                page,
                fields=(*page.fields, *flags.items()),
                content_hash=digest.hexdigest()[:32],
            )
        )
    return pages


def _default_locale(
    read: Sequence[tuple[Page, SiteMarks]], fields: list[dict[str, str | bool]], locales: set[str]
) -> str | None:
    """The site's default locale: the one whose pages are their own `x-default` alternate
    ("" when pages name an `x-default` but none is here: a build of other locales only);
    else the only locale; else the only one that is no segment of its pages' paths (the
    default locale is served without its `/<locale>/` prefix); else None (unknown)."""
    votes = Counter(
        str(own["locale"])
        for (page, marks), own in zip(read, fields, strict=True)
        if marks.x_default == page.source and "locale" in own
    )
    if votes:
        return votes.most_common(1)[0][0]
    if any(marks.x_default for _, marks in read):
        return ""
    if len(locales) == 1:
        return next(iter(locales))
    unprefixed = locales - {
        str(own["locale"])
        for (page, _), own in zip(read, fields, strict=True)
        if str(own.get("locale")) in page.source.split("/")
    }
    if len(unprefixed) == 1:
        return unprefixed.pop()
    logger.warning("the build's default locale is unknown: every locale counts as default")
    return None


def _latest_versions(
    read: Sequence[tuple[Page, SiteMarks]],
    fields: list[dict[str, str | bool]],
    by_source: dict[str, int],
) -> dict[str, str]:
    """The latest version of each docs plugin: the one the version banners of the others
    link to as "latest version"; else the only one without a banner ("" when all have
    one: a build of older versions only); else the only one of those no page of which has
    the version's name (`next` for `current`) as a segment of its path (the latest is
    served at `/docs/...`). A plugin left out is unknown: all its versions count."""
    versions: dict[str, set[str]] = {}
    votes: dict[str, Counter[str]] = {}
    bannered: set[tuple[str, str]] = set()
    segment: set[tuple[str, str]] = set()
    for (page, marks), own in zip(read, fields, strict=True):
        if "version" not in own:
            continue
        plugin, version = _plugin(own), str(own["version"])
        versions.setdefault(plugin, set()).add(version)
        name = "next" if version == "current" else version
        if name in page.source.split("/"):
            segment.add((plugin, version))
        if marks.latest_link is None:
            continue
        bannered.add((plugin, version))
        target = by_source.get(marks.latest_link)
        if target is not None and _plugin(fields[target]) == plugin and "version" in fields[target]:
            votes.setdefault(plugin, Counter())[str(fields[target]["version"])] += 1
    latest: dict[str, str] = {}
    for plugin, names in versions.items():
        unbannered = {v for v in names if (plugin, v) not in bannered}
        unsegmented = {v for v in unbannered if (plugin, v) not in segment}
        if plugin in votes:
            latest[plugin] = votes[plugin].most_common(1)[0][0]
        elif not unbannered:  # a build of older versions only: none of them is the latest
            latest[plugin] = ""
        elif len(unbannered) == 1:
            latest[plugin] = unbannered.pop()
        elif len(unsegmented) == 1:
            latest[plugin] = unsegmented.pop()
        else:
            logger.warning(
                "the latest version of %s is unknown: every version counts as latest", plugin
            )
    return latest
