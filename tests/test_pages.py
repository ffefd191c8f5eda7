"""Reading a Docusaurus folder: front matter, MDX, sections, chunks, payloads."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from engine.ingestion.docusaurus import (
    Page,
    chunk_page,
    clean_mdx,
    first_heading,
    page_url,
    read_folder,
    split_front_matter,
    split_sections,
)

DOCS = Path(__file__).parent / "fixtures" / "docs"
BASE = "https://book.example/docs"


@pytest.fixture(scope="module")
def pages() -> dict[str, Page]:
    return {page.source: page for page in read_folder(DOCS, BASE)}


def test_reads_md_and_mdx_pages_only(pages: dict[str, Page]) -> None:
    assert sorted(pages) == [
        "control/advanced/mpc.md",
        "intro.md",
        "safety/estop.md",
        "sensors/imu.md",
        "sensors/lidar.mdx",
    ]


def test_title_from_front_matter_else_first_heading(pages: dict[str, Page]) -> None:
    assert pages["sensors/imu.md"].title == "Inertial measurement units"
    assert pages["control/advanced/mpc.md"].title == "Model predictive control"


def test_chapter_from_category_labels_nested(pages: dict[str, Page]) -> None:
    assert pages["sensors/imu.md"].chapter == "Sensors and Perception"
    assert pages["control/advanced/mpc.md"].chapter == "Control / Advanced Control"
    assert pages["safety/estop.md"].chapter == "Safety"
    assert pages["intro.md"].chapter is None


def test_urls_from_slug_id_or_path(pages: dict[str, Page]) -> None:
    assert pages["intro.md"].url == BASE
    assert pages["sensors/lidar.mdx"].url == f"{BASE}/sensors/laser-scanners"
    assert pages["control/advanced/mpc.md"].url == f"{BASE}/control/advanced/mpc-intro"
    assert pages["safety/estop.md"].url == f"{BASE}/safety/estop"


def test_no_url_without_base_url() -> None:
    assert page_url(None, "a/b.md", {}) is None
    assert page_url(BASE, "guide/index.md", {}) == f"{BASE}/guide"
    assert page_url(BASE, "01-guide/02-setup.md", {}) == f"{BASE}/guide/setup"


def test_sections_follow_headings(pages: dict[str, Page]) -> None:
    headings = [s.heading for s in pages["sensors/imu.md"].sections]

    assert headings == ["Inertial measurement units", "Accelerometers", "Gyroscopes"]


def test_code_block_comment_is_not_a_heading(pages: dict[str, Page]) -> None:
    gyro = pages["sensors/imu.md"].sections[-1]

    assert "# fuse the gyroscope and the accelerometer" in gyro.text
    assert "```python" in gyro.text


def test_admonition_kept_as_text(pages: dict[str, Page]) -> None:
    accel = pages["sensors/imu.md"].sections[1].text

    assert "Tip: Calibrate first" in accel
    assert "Calibrate the accelerometer bias" in accel
    assert ":::" not in accel


def test_mdx_imports_exports_jsx_and_comments_dropped(pages: dict[str, Page]) -> None:
    text = "\n".join(s.text for s in pages["sensors/lidar.mdx"].sections)

    assert "import" not in text
    assert "export" not in text
    assert "30 m" not in text
    assert "<Tabs>" not in text
    assert "TabItem" not in text
    assert "must not be indexed" not in text
    assert "A 2D scanner sweeps one plane" in text
    assert "A 3D scanner sees stairs" in text


def test_title_ignores_comments_in_code_blocks() -> None:
    assert first_heading("x\n```bash\n# install the driver\n```\n## H") is None
    assert first_heading("```\n# not me\n```\n# Real title") == "Real title"


def test_front_matter_split() -> None:
    front, body = split_front_matter("---\ntitle: T\nslug: /x\n---\n# Body\n")

    assert front == {"title": "T", "slug": "/x"}
    assert body == "# Body\n"


def test_no_front_matter_leaves_body() -> None:
    assert split_front_matter("# Only body\n") == ({}, "# Only body\n")


def test_clean_mdx_keeps_jsx_like_text_in_code() -> None:
    text = "```jsx\nimport X from 'y';\n<Tabs>\n```\n<Tabs>\nkept\n</Tabs>"

    assert clean_mdx(text) == "```jsx\nimport X from 'y';\n<Tabs>\n```\nkept"


def test_split_sections_text_before_heading() -> None:
    sections = split_sections("intro\n## A\none\n## B\ntwo", default_heading="Page")

    assert [(s.heading, s.text) for s in sections] == [
        ("Page", "intro"),
        ("A", "one"),
        ("B", "two"),
    ]


def test_chunks_carry_the_payload(pages: dict[str, Page]) -> None:
    chunks = chunk_page(pages["sensors/imu.md"], chunk_size=512, chunk_overlap=32)

    assert [c.metadata["heading"] for c in chunks] == [
        "Inertial measurement units",
        "Accelerometers",
        "Gyroscopes",
    ]
    first = chunks[0].metadata
    assert first["source"] == "sensors/imu.md"
    assert first["title"] == "Inertial measurement units"
    assert first["chapter"] == "Sensors and Perception"
    assert first["url"] == f"{BASE}/sensors/imu"
    assert first["chunk_count"] == 3
    assert len({c.id_key for c in chunks}) == 3


def test_long_section_is_split_with_overlap_and_never_spans_sections() -> None:
    words = " ".join(f"word{i}." for i in range(600))
    page = read_folder_page(f"## One\n{words}\n## Two\nshort text")

    chunks = chunk_page(page, chunk_size=128, chunk_overlap=16)
    one = [c for c in chunks if c.metadata["heading"] == "One"]

    assert len(one) > 3
    assert [c.text for c in chunks if c.metadata["heading"] == "Two"] == ["short text"]
    assert one[0].text.split()[-1] in one[1].text  # overlap
    assert all("short text" not in c.text for c in one)


def read_folder_page(body: str) -> Page:
    from engine.ingestion.docusaurus import Section

    sections = tuple(split_sections(body, default_heading="T"))
    assert all(isinstance(s, Section) for s in sections)
    return Page(
        source="x.md", title="T", chapter=None, url=None, sections=sections, content_hash="h"
    )


# ------------------------------------------------------------------ heading anchors
@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Torque comes from current", "torque-comes-from-current"),
        ("Backlash, stiffness and reflected inertia", "backlash-stiffness-and-reflected-inertia"),
        ("The capture point: where to step", "the-capture-point-where-to-step"),
        ("ROS 2 nodes & topics (DDS)", "ros-2-nodes--topics-dds"),
        ("What does `ROS_DOMAIN_ID` do?", "what-does-ros_domain_id-do"),
        ("Step 3: tune **Kp** first", "step-3-tune-kp-first"),
        ("A [linked](https://x.example) heading", "a-linked-heading"),
        ("9.81 m/s² at rest", "981-ms-at-rest"),
        ("Über die Sicherheit", "über-die-sicherheit"),
        ("Custom target {#my-id}", "my-id"),
    ],
)
def test_anchor_follows_docusaurus_slugger(heading: str, anchor: str) -> None:
    from engine.ingestion.anchors import Slugger

    assert Slugger().anchor(heading)[1] == anchor


def test_duplicate_headings_get_numbered_anchors() -> None:
    from engine.ingestion.anchors import Slugger

    slugger = Slugger()
    anchors = [slugger.anchor(h)[1] for h in ("Setup", "Setup", "Setup {#setup}", "Setup")]

    assert anchors == ["setup", "setup-1", "setup", "setup-2"]


def test_explicit_id_is_not_in_the_heading_text() -> None:
    from engine.ingestion.anchors import Slugger

    assert Slugger().anchor("Custom target {#my-id}") == ("Custom target", "my-id")


def test_chunks_link_to_their_section() -> None:
    page = replace(
        read_folder_page(
            "# Motors\n\nIntro text.\n\n## Heat, the real limit\n\nCopper loss.\n\n"
            "## Heat, the real limit\n\nAgain.\n\n### Cooling {#cooling-tips}\n\nFans.\n"
        ),
        url="https://book.example/page",
    )
    chunks = chunk_page(page, 512, 64)

    rows = [(c.metadata["heading"], c.metadata.get("anchor"), c.metadata["url"]) for c in chunks]
    assert rows == [
        ("Motors", None, "https://book.example/page"),
        (
            "Heat, the real limit",
            "heat-the-real-limit",
            "https://book.example/page#heat-the-real-limit",
        ),
        (
            "Heat, the real limit",
            "heat-the-real-limit-1",
            "https://book.example/page#heat-the-real-limit-1",
        ),
        ("Cooling", "cooling-tips", "https://book.example/page#cooling-tips"),
    ]


# ------------------------------------------------------------------ Docusaurus's own rules
def sections_of(markdown: str) -> list[tuple[str, str | None]]:
    return [(s.heading, s.anchor) for s in split_sections(clean_mdx(markdown), "Page")]


@pytest.mark.parametrize(
    ("heading", "label", "anchor"),
    [
        ("## Headings {/* #my-heading-id */}", "Headings", "my-heading-id"),
        ("## Headings {/* #my-id with words */}", "Headings", "my-id"),
        ("## Title \\{#escaped}", "Title", "escaped"),
        ("## Title {#classic}", "Title", "classic"),
        ("## Title <!-- #html-comment -->", "Title", "html-comment"),
        ("## Title {/* not an id */}", "Title", "title"),
    ],
)
def test_explicit_heading_ids_in_every_form(heading: str, label: str, anchor: str) -> None:
    assert sections_of(f"{heading}\n\ntext") == [(label, anchor)]


def test_a_fence_holds_shorter_fences_and_closes_with_its_own() -> None:
    markdown = (
        "## Before\n\n````md\n# not a heading\n  ```\n## still code\n````\n\n## After\n\nprose"
    )

    assert sections_of(markdown) == [("Before", "before"), ("After", "after")]


def test_a_tilde_fence_closes_only_with_tildes() -> None:
    markdown = "## A\n\n~~~python\n```\n# comment\n```\n~~~\n\n## B\n\ntext"

    assert sections_of(markdown) == [("A", "a"), ("B", "b")]


def test_a_fence_keeps_its_language_only() -> None:
    text = clean_mdx('```bash title="run.sh" showLineNumbers\necho hi\n```')

    assert text == "```bash\necho hi\n```"


def test_inline_code_is_kept_in_a_heading_label() -> None:
    assert sections_of("## `<BrowserOnly>`\n\ntext") == [("<BrowserOnly>", "browseronly")]


def test_html_comments_and_jsx_are_not_text_but_stay_in_code() -> None:
    markdown = (
        "Intro <!-- a note -->\n\n<!--\nseveral\nlines\n-->\n\n"
        '<div className="note">\n  Kept text.\n</div>\n\n{/* gone */}\n\n'
        "```html\n<!-- shown -->\n<div>{/* shown */}</div>\n```"
    )

    assert clean_mdx(markdown) == (
        "Intro\n\n  Kept text.\n\n```html\n<!-- shown -->\n<div>{/* shown */}</div>\n```"
    )


@pytest.mark.parametrize(
    ("name", "stripped"),
    [
        ("02.Second Part", "Second Part"),
        ("03 - End", "End"),
        ("01-intro", "intro"),
        ("1_setup", "setup"),
        ("0 --- Client API", "Client API"),
        ("2024-01-15-notes", "2024-01-15-notes"),  # date-like: kept
        ("7.0-foo", "7.0-foo"),  # version-like: kept
        ("10", "10"),
        ("intro", "intro"),
    ],
)
def test_number_prefix_as_docusaurus_strips_it(name: str, stripped: str) -> None:
    from engine.ingestion.docusaurus import strip_number_prefix

    assert strip_number_prefix(name) == stripped


def test_urls_strip_number_prefixes_from_every_segment() -> None:
    assert page_url(BASE, "01-intro/02.Second Part.md", {}) == f"{BASE}/intro/Second%20Part"
    assert page_url(BASE, "01-intro/03 - End.md", {}) == f"{BASE}/intro/End"
    assert page_url(BASE, "2024-01-15-notes.md", {}) == f"{BASE}/2024-01-15-notes"
    assert page_url(BASE, "guides/guides.md", {}) == f"{BASE}/guides"


def test_urls_end_with_a_slash_for_a_trailing_slash_site() -> None:
    assert page_url(BASE, "a/b.md", {}, trailing_slash=True) == f"{BASE}/a/b/"
    assert page_url(BASE, "index.md", {}, trailing_slash=True) == f"{BASE}/"


def test_partials_drafts_and_unlisted_pages_are_not_pages(tmp_path: Path) -> None:
    (tmp_path / "_shared").mkdir()
    (tmp_path / "_shared" / "steps.md").write_text("# Steps\n\nshared")
    (tmp_path / "_partial.mdx").write_text("partial text")
    (tmp_path / "draft.md").write_text("---\ndraft: true\n---\n# Draft\n\ntext")
    (tmp_path / "unlisted.md").write_text("---\nunlisted: true\n---\n# Unlisted\n\ntext")
    (tmp_path / "page.mdx").write_text("import P from './_partial.mdx';\n\n# Page\n\n<P />\n\ntext")

    assert [page.source for page in read_folder(tmp_path, BASE)] == ["page.mdx"]


def test_an_imported_partial_is_read_where_it_is_used(tmp_path: Path) -> None:
    (tmp_path / "_steps.mdx").write_text("---\nx: 1\n---\nRegister the key.\n")
    (tmp_path / "page.mdx").write_text(
        "import Steps from './_steps.mdx';\n\n# Page\n\n## Setup\n\n<Steps />\n\nThen run."
    )
    before = read_folder(tmp_path)[0]
    (tmp_path / "_steps.mdx").write_text("Register the new key.\n")
    after = read_folder(tmp_path)[0]

    assert [(s.anchor, s.text) for s in before.sections] == [
        ("setup", "Register the key.\n\nThen run.")
    ]
    assert before.content_hash != after.content_hash  # a changed partial re-embeds the page


def test_a_partials_headings_keep_the_ids_of_their_own_file(tmp_path: Path) -> None:
    (tmp_path / "_more.md").write_text("## Setup\n\nPartial setup.\n")
    (tmp_path / "page.mdx").write_text(
        "import More from './_more.md';\n\n## Setup\n\nPage setup.\n\n<More />\n"
    )

    [page] = read_folder(tmp_path)

    assert [(s.heading, s.anchor) for s in page.sections] == [("Setup", "setup")] * 2
