"""`bookchat ingest` of a Docusaurus build, and exact links for both readers, measured on the
versioned test site (site/versioned: 1.0, 2.0 and next; English and French) as built.

The truth is the build's own HTML, read here with lxml independently of the readers: every
page's URL path, its heading ids and labels, and which sections hold text of their own.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from lxml.html import HtmlElement
from qdrant_client import QdrantClient

from config import Settings
from engine.ingestion import IngestOptions, ingest
from engine.ingestion.build import is_docusaurus_build, read_build
from engine.ingestion.docusaurus import Chunk, Page, chunk_page, read_folder
from tests.support.fake_gemini import FakeGemini
from tests.support.settings import settings_for

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site" / "versioned"
ORIGIN = "https://docs.example.org"
# The sources of each version, and where the build serves them (lastVersion is 2.0).
VERSION_FOLDERS = {
    "docs": "/docs/next",
    "versioned_docs/version-2.0": "/docs",
    "versioned_docs/version-1.0": "/docs/1.0",
}
# The building runs in the first test that needs the site (about 75 s on 2 cores).
pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def build(versioned_site: Path) -> Path:
    """site/versioned/build (the session's, tests/conftest.py)."""
    return versioned_site


# ---------------------------------------------------------------- the build, as truth
@dataclass
class BuiltPage:
    path: str
    docs: bool
    title: str = ""
    headings: dict[str, str] = field(default_factory=dict)
    """Heading id -> its label as shown."""
    text: dict[str | None, list[str]] = field(default_factory=dict)
    """Section (heading id; None for the page's top) -> its own text."""

    def texted(self) -> set[str | None]:
        return {key for key, parts in self.text.items() if "".join(parts).strip()}


def _classes(element: HtmlElement) -> set[str]:
    return set(str(element.get("class") or "").split())


CHROME = {"theme-doc-breadcrumbs", "theme-doc-version-badge", "theme-doc-toc-mobile"}


def _built_page(path: Path, build: Path) -> BuiltPage | None:
    root = lxml.html.fromstring(path.read_bytes())
    page_classes = _classes(root)
    if not page_classes & {"docs-doc-page", "blog-post-page"}:
        return None
    if any("noindex" in str(v) for v in root.xpath("//meta[@name='robots']/@content")):
        return None
    relative = path.relative_to(build)
    if relative.name == "index.html":  # trailingSlash: true
        url_path = ("/" + relative.parent.as_posix().strip(".") + "/").replace("//", "/")
    else:
        url_path = "/" + relative.with_suffix("").as_posix()
    page = BuiltPage(path=url_path, docs="docs-doc-page" in page_classes)
    article = root.xpath("//article")[0]
    current: str | None = None

    def add(text: str | None) -> None:
        page.text.setdefault(current, []).append(text or "")

    def walk(element: HtmlElement) -> None:
        nonlocal current
        if element.tag in ("h2", "h3", "h4", "h5", "h6") and element.get("id"):
            current = str(element.get("id"))
            label = element.text_content().replace("\u200b", "")
            page.headings[current] = " ".join(label.split())
            return
        if element.tag == "h1":
            page.title = " ".join(element.text_content().split())
            return
        if element.tag in ("nav", "footer", "button") or _classes(element) & CHROME:
            return
        if element.get("role") == "tablist":  # the tabs' labels: controls, not text
            return
        if element.tag == "header" and element.getparent() is article:  # a post's title, date
            page.title = " ".join(element.xpath("string(.//h1)").split())
            return
        add(element.text)
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            add(child.tail)

    walk(article)
    return page


def built_site(build: Path) -> dict[str, BuiltPage]:
    """Kept pages (docs pages and blog posts, not noindex) by their URL path."""
    pages = (_built_page(path, build) for path in sorted(build.rglob("*.html")))
    return {page.path: page for page in pages if page is not None}


# What the readers write for what the build shows as an icon or a control: an admonition's
# kind (`Tip:`), a code block's language (```` ```bash ````).
READERS_MARKS = re.compile(r"^(?:[A-Z][a-z]+:|`{3,}\w*|~{3,}\w*)", re.M)


def words(text: str) -> set[str]:
    return set(re.findall(r"\w{4,}", READERS_MARKS.sub("", text).lower()))


@dataclass
class Links:
    chunks: int
    exact: int
    wrong: list[str]
    sections: int
    unlinked: list[str]


def measure(chunks: Iterable[Chunk], site: dict[str, BuiltPage], pages: set[str]) -> Links:
    """How many chunks link exactly (their page exists, their anchor is a heading of it
    whose label is the chunk's heading, and the chunk's words are that section's), and which
    sections holding text of their own (of `pages`) no chunk links to."""
    chunk_list = list(chunks)
    wrong: list[str] = []
    linked: set[tuple[str, str | None]] = set()
    for chunk in chunk_list:
        url = urlsplit(str(chunk.metadata["url"]))
        path = unquote(url.path)
        page = site.get(path)
        anchor = url.fragment or None
        if page is None:
            wrong.append(f"no page {path}")
            continue
        label = page.headings.get(anchor) if anchor else page.title
        if label is None:
            wrong.append(f"no anchor {path}#{anchor}")
            continue
        if label != chunk.metadata["heading"]:
            wrong.append(f"{path}#{anchor}: label {label!r} != {chunk.metadata['heading']!r}")
            continue
        own = words(" ".join(page.text.get(anchor, [])))
        mine = words(chunk.text)
        if len(mine - own) > len(mine) // 10:
            wrong.append(f"{path}#{anchor}: words not there {sorted(mine - own)[:5]}")
            continue
        linked.add((page.path, anchor))
    sections = [(path, key) for path in pages for key in site[path].texted()]
    unlinked = sorted(f"{path}#{key}" for path, key in sections if (path, key) not in linked)
    return Links(len(chunk_list), len(chunk_list) - len(wrong), wrong, len(sections), unlinked)


def chunks_of(pages: Iterable[Page]) -> list[Chunk]:
    return [chunk for page in pages for chunk in chunk_page(page, 512, 64)]


# ---------------------------------------------------------------- the build reader
@pytest.fixture(scope="module")
def build_pages(build: Path) -> dict[str, Page]:
    return {page.source: page for page in read_build(build)}


@pytest.fixture(scope="module")
def site(build: Path) -> dict[str, BuiltPage]:
    return built_site(build)


def text_of(page: Page) -> str:
    return "\n\n".join(section.text for section in page.sections)


def test_a_build_is_recognised_by_its_generator_meta(build: Path) -> None:
    assert is_docusaurus_build(build)
    assert not is_docusaurus_build(ROOT / "sample_book")


def test_docs_pages_and_blog_posts_are_kept(build_pages: dict[str, Page]) -> None:
    assert {
        "/docs/intro/",
        "/docs/1.0/intro/",
        "/docs/next/intro/",
        "/fr/docs/intro/",
        "/docs/intro/Second%20Part/",
        "/docs/intro/End/",
        "/docs/2024-01-15-notes/",
        "/blog/2024/03/01/first-light/",
    } <= set(build_pages)


def test_unlisted_404_tag_archive_and_pagination_pages_are_not(
    build: Path, build_pages: dict[str, Page]
) -> None:
    assert (build / "docs" / "unlisted" / "index.html").is_file()  # built, marked noindex
    left_out = [
        s
        for s in build_pages
        if "unlisted" in s or "draft" in s or "/tags/" in s or "/page/" in s or "archive" in s
    ]
    assert left_out == []
    assert "/blog/" not in build_pages
    assert not any(s.endswith(".html") for s in build_pages)


def test_version_locale_and_tag_from_the_pages_meta(build_pages: dict[str, Page]) -> None:
    assert dict(build_pages["/docs/1.0/intro/"].fields) == {
        "version": "1.0",
        "locale": "en",
        "docs_tag": "docs-default-1.0",
        "latest": False,
        "default_locale": True,
    }
    assert dict(build_pages["/fr/docs/next/intro/"].fields)["version"] == "current"
    assert dict(build_pages["/fr/docs/next/intro/"].fields)["locale"] == "fr"
    assert "Bienvenue" in text_of(build_pages["/fr/docs/next/intro/"])
    # An untranslated page is served in English under the locale's URL.
    untranslated = build_pages["/fr/docs/fences/"]
    assert dict(untranslated.fields)["locale"] == "fr"
    assert "Orbit's configuration is shown" in text_of(untranslated)


def test_version_text_is_the_versions(build_pages: dict[str, Page]) -> None:
    assert "release 1.0" in text_of(build_pages["/docs/1.0/intro/"])
    assert "release 2.0" in text_of(build_pages["/docs/intro/"])
    assert "release next" in text_of(build_pages["/docs/next/intro/"])


def test_what_mdx_imports_is_read_tabs_partials_and_all(build_pages: dict[str, Page]) -> None:
    text = text_of(build_pages["/docs/components/"])

    assert "On Linux, install the orbit package" in text
    assert "On macOS, install Orbit with Homebrew" in text  # the hidden tab panel
    assert "register the station key" in text  # from _partial.mdx
    assert "Passes below ten degrees" in text  # inside JSX
    assert "import" not in text
    assert "comment the reader must not see" not in text


def test_admonitions_and_code_blocks_as_text(build_pages: dict[str, Page]) -> None:
    intro = text_of(build_pages["/docs/intro/"])
    fences = build_pages["/docs/fences/"]
    by_anchor = {s.anchor: s.text for s in fences.sections}

    assert "Tip: Keep it current\n\nUpgrade Orbit whenever" in intro
    assert by_anchor["a-fence-inside-a-fence"].startswith(
        "````md\nWrite the pass schedule like this:\n\n```toml\n[schedule]\nhorizon = 10\n```\n````"
    )
    assert by_anchor["tilde-fences"].startswith("```python\n# A comment that is not a heading\n")
    assert "```bash\norbit passes --station home\n" in by_anchor["code-with-a-language"]
    assert "HTML comment" not in intro


def test_no_theme_chrome_in_the_text(build_pages: dict[str, Page]) -> None:
    everything = "\n".join(text_of(page) for page in build_pages.values())

    for chrome in ("Direct link to", "\u200b", "Version: 2.0", "On this page", "Tags:", "Copy"):
        assert chrome not in everything


def test_heading_ids_and_labels_as_built(build_pages: dict[str, Page]) -> None:
    intro = [(s.heading, s.anchor) for s in build_pages["/docs/intro/"].sections]
    components = [(s.heading, s.anchor) for s in build_pages["/docs/components/"].sections]

    assert ("Heading with a comment id", "custom-id") in intro
    assert ("Heading with an escaped id", "escaped-id") in intro
    assert [a for _, a in intro].count("duplicate-1") == 1
    assert ("<BrowserOnly>", "browseronly") in components


def test_title_and_breadcrumb(build_pages: dict[str, Page]) -> None:
    page = build_pages["/docs/1.0/intro/Second%20Part/"]

    assert page.title == "Second part"
    assert page.chapter == "Introduction"
    assert page.url == f"{ORIGIN}/docs/1.0/intro/Second%20Part/"


def test_base_url_changes_the_origin_only(build: Path) -> None:
    pages = {p.source: p for p in read_build(build, "http://staging.example.com:8080/")}

    assert pages["/docs/1.0/intro/"].url == "http://staging.example.com:8080/docs/1.0/intro/"
    assert pages["/docs/1.0/intro/"].source == "/docs/1.0/intro/"  # the same points


def test_build_reader_links_are_exact(
    build_pages: dict[str, Page], site: dict[str, BuiltPage]
) -> None:
    docs = {path for path, page in site.items() if page.docs}
    links = measure(chunks_of(build_pages.values()), site, docs)

    assert links.wrong == []
    assert links.chunks > 150
    # At most 3 % of the built docs' sections holding text are linked by no chunk.
    assert len(links.unlinked) <= 0.03 * links.sections, links.unlinked


def test_every_page_source_is_unique_across_versions_and_locales(build: Path) -> None:
    sources = [page.source for page in read_build(build)]

    assert len(sources) == len(set(sources))


# ---------------------------------------------------------------- the sources reader
@pytest.fixture(scope="module")
def sources_pages(build: Path) -> list[Page]:
    return [
        page
        for folder, prefix in VERSION_FOLDERS.items()
        for page in read_folder(SITE / folder, ORIGIN + prefix, trailing_slash=True)
    ]


def test_sources_reader_links_are_exact_and_every_section_linked(
    sources_pages: list[Page], site: dict[str, BuiltPage]
) -> None:
    english_docs = {p for p, page in site.items() if page.docs and not p.startswith("/fr/")}
    links = measure(chunks_of(sources_pages), site, english_docs)

    assert links.wrong == []
    assert links.unlinked == []  # the partial's text too: the reader inlines `_partial.mdx`


def test_sources_reader_leaves_out_drafts_unlisted_pages_and_partials(
    sources_pages: list[Page],
) -> None:
    sources = {page.source for page in sources_pages}

    assert "draft.md" not in sources
    assert "unlisted.md" not in sources
    assert not any("_partial" in source for source in sources)


# ---------------------------------------------------------------- writing, dry runs
@pytest.fixture
def ingest_settings(fake: FakeGemini, tmp_path: Path) -> Settings:
    return settings_for(fake.base_url, tmp_path / "qdrant", gemini={"embed_dim": 768})


def stored_sources(settings: Settings) -> dict[str, dict[str, object]]:
    client = QdrantClient(path=str(settings.qdrant.path))
    try:
        records, _ = client.scroll(settings.qdrant.collection, limit=10_000, with_payload=True)
    finally:
        client.close()
    return {str(r.payload["source"]): dict(r.payload) for r in records if r.payload}


async def test_a_build_is_written_with_its_payload_and_rewritten_as_nothing(
    ingest_settings: Settings, build: Path, fake: FakeGemini
) -> None:
    first = await ingest(ingest_settings, IngestOptions(folder=build))
    fake.requests.clear()
    second = await ingest(ingest_settings, IngestOptions(folder=build))

    stored = stored_sources(ingest_settings)
    assert first.reader == "build"
    assert first.pages == first.pages_written == len(stored)
    assert stored["/fr/docs/1.0/intro/"]["version"] == "1.0"
    assert stored["/fr/docs/1.0/intro/"]["locale"] == "fr"
    assert stored["/docs/next/intro/"]["docs_tag"] == "docs-default-current"
    assert second.pages_skipped == first.pages
    assert fake.of_kind("embed") == []


async def test_dry_run_lists_added_changed_and_removed_pages_and_writes_nothing(
    ingest_settings: Settings, build: Path, tmp_path: Path, fake: FakeGemini
) -> None:
    copy = Path(shutil.copytree(build / "docs" / "1.0", tmp_path / "build" / "docs" / "1.0"))
    await ingest(ingest_settings, IngestOptions(folder=copy.parent.parent))
    before = stored_sources(ingest_settings)
    shutil.rmtree(copy / "fences")
    intro = copy / "intro" / "index.html"
    intro.write_text(intro.read_text().replace("release 1.0", "release 1.0.1"))
    shutil.copytree(build / "docs" / "guides" / "scheduling", copy / "guides" / "scheduling")
    fake.requests.clear()

    report = await ingest(
        ingest_settings, IngestOptions(folder=copy.parent.parent, dry_run=True, prune=True)
    )

    assert report.added == ["/docs/guides/scheduling/"]  # the page's own og:url
    assert report.changed == ["/docs/1.0/intro/"]
    assert report.removed == ["/docs/1.0/fences/"]
    assert stored_sources(ingest_settings) == before
    assert fake.of_kind("embed") == []
    assert "add /docs/guides/scheduling/" in report.summary()
    assert "remove /docs/1.0/fences/" in report.summary()


async def test_dry_run_on_an_empty_collection_creates_nothing(
    ingest_settings: Settings, tmp_path: Path
) -> None:
    docs = Path(shutil.copytree(ROOT / "tests" / "fixtures" / "docs", tmp_path / "docs"))

    report = await ingest(ingest_settings, IngestOptions(folder=docs, dry_run=True))

    assert report.reader == "sources"
    assert len(report.added) == 5
    client = QdrantClient(path=str(ingest_settings.qdrant.path))
    try:
        assert not client.collection_exists(ingest_settings.qdrant.collection)
    finally:
        client.close()


def test_cli_dry_run_prints_the_pages_and_writes_nothing(
    fake: FakeGemini, tmp_path: Path, build: Path
) -> None:
    from tests.support.processes import bookchat, service_env

    pages = Path(shutil.copytree(build / "docs" / "1.0" / "intro", tmp_path / "b" / "intro"))
    env = service_env(fake, tmp_path / "q", BOOKCHAT_EMBED_DIM="768")

    result = bookchat("ingest", str(pages.parent), "--dry-run", env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "add /docs/1.0/intro/End/",
        "add /docs/1.0/intro/Second%20Part/",
        "add /docs/1.0/intro/",
        "add /docs/1.0/intro/overview/",
        "dry run on 'book' (build): 4 pages read, 4 to add, 0 to change, 0 to remove, "
        "0 unchanged; nothing written",
    ]
    assert fake.of_kind("embed") == []


# ---------------------------------------------------------------- built pages by hand
def built_html(article: str, page_class: str = "docs-doc-page", head: str = "") -> str:
    return (
        f'<html class="docs-wrapper {page_class}"><head>'
        '<meta name="generator" content="Docusaurus v3.10.2">'
        f"{head}</head><body><article>{article}</article></body></html>"
    )


def test_lists_tables_and_line_breaks_as_text(tmp_path: Path) -> None:
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "index.html").write_text(
        built_html(
            "<header><h1>Guide</h1></header><p>One<br>two</p>"
            '<h2 id="steps">Steps<a class="hash-link" href="#steps">\u200b</a></h2>'
            "<ol><li>First <code>a</code></li><li>Second<ul><li>nested</li></ul></li></ol>"
            "<table><tr><th>Key</th><th>Value</th></tr><tr><td>x</td><td>1</td></tr></table>"
        )
    )

    [page] = read_build(tmp_path)

    assert page.url == "/guide/"  # no og:url: the file's place in the build
    assert [(s.heading, s.anchor, s.text) for s in page.sections] == [
        ("Guide", None, "One\ntwo"),
        (
            "Steps",
            "steps",
            "1. First `a`\n\n2. Second\n\n- nested\n\n| Key | Value |\n| x | 1 |",
        ),
    ]


def test_pages_that_are_not_docs_or_posts_or_are_noindex_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "tags.html").write_text(built_html("<p>tag list</p>", "blog-tags-list-page"))
    (tmp_path / "hidden.html").write_text(
        built_html("<p>hidden</p>", head='<meta name="robots" content="noindex, nofollow">')
    )
    (tmp_path / "kept.html").write_text(built_html("<h1>Kept</h1><p>kept text</p>"))

    assert [(p.source, p.title) for p in read_build(tmp_path)] == [("/kept", "Kept")]


def test_a_rebuild_that_renames_assets_changes_no_page_hash(tmp_path: Path) -> None:
    article = "<h1>Page</h1><p>Same text.</p>"
    (tmp_path / "a.html").write_text(built_html(article, head='<link href="/assets/m.1a.css">'))
    before = read_build(tmp_path)[0].content_hash
    (tmp_path / "a.html").write_text(built_html(article, head='<link href="/assets/m.2b.css">'))

    assert read_build(tmp_path)[0].content_hash == before


def test_both_readers_link_exactly_on_the_sample_site() -> None:
    build = ROOT / "site" / "build"  # `make site`: sample_book built with trailingSlash: false
    if not (build / "404.html").is_file():
        pytest.skip("no site/build: `make site` builds the sample site")
    site = built_site(build)
    docs = {path for path, page in site.items() if page.docs}
    origin = urlsplit(read_build(build)[0].url or "").netloc

    from_build = measure(chunks_of(read_build(build)), site, docs)
    from_sources = measure(
        chunks_of(read_folder(ROOT / "sample_book", f"http://{origin}/docs")), site, docs
    )

    assert (from_build.wrong, from_build.unlinked) == ([], [])
    assert (from_sources.wrong, from_sources.unlinked) == ([], [])
    assert from_build.chunks == from_sources.chunks
