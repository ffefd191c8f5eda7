"""The documentation: the README stays short, and every relative link in every Markdown
file of the repository leads somewhere (a file, and a heading when it names one)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README_MAX_LINES = 300

FENCE = re.compile(r"^\s*(```|~~~).*?^\s*\1", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
# The target of an inline link or image, `](target)` or `](target "title")`, whatever the
# link text holds (alt texts may contain brackets, such as "[1]").
INLINE_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_TARGET = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$", re.M)
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)
HTML_ID = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, mailto:, ...


def markdown_files() -> list[Path]:
    """The repository's Markdown files: tracked, or new and not ignored."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return sorted({ROOT / name for name in listed if name.endswith(".md")})


def prose(text: str) -> str:
    """The text outside code blocks and code spans, where links are links."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def link_targets(text: str) -> list[str]:
    body = prose(text)
    return INLINE_TARGET.findall(body) + REFERENCE_TARGET.findall(body)


def slug(heading: str) -> str:
    """The anchor GitHub (github-slugger) gives a heading: its text lower-cased, without
    punctuation, each space a hyphen."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link: its text
    text = text.replace("`", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every anchor of a Markdown page: its headings' slugs (`-1`, `-2` for repeats) and
    explicit HTML ids."""
    found: set[str] = set(HTML_ID.findall(text))
    seen: dict[str, int] = {}
    for heading in HEADING.findall(FENCE.sub("", text)):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def broken_links(page: Path, text: str) -> tuple[list[str], int]:
    """The relative links of `page` that lead nowhere, and how many relative links it has."""
    broken, checked = [], 0
    for target in link_targets(text):
        if EXTERNAL.match(target):
            continue
        checked += 1
        path_part, _, fragment = target.partition("#")
        resolved = (page.parent / path_part).resolve() if path_part else page
        if not resolved.exists():
            broken.append(f"{target}: no such file")
        elif not resolved.is_relative_to(ROOT):
            broken.append(f"{target}: outside the repository")
        elif (
            fragment
            and resolved.suffix == ".md"
            and fragment not in anchors(resolved.read_text(encoding="utf-8"))
        ):
            broken.append(f"{target}: no heading #{fragment}")
    return broken, checked


def test_the_readme_is_at_most_300_lines() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES


def test_every_relative_link_of_every_markdown_file_resolves() -> None:
    pages = markdown_files()
    assert ROOT / "README.md" in pages
    assert ROOT / "docs" / "api.md" in pages
    broken: list[str] = []
    checked = 0
    for page in pages:
        page_broken, page_checked = broken_links(page, page.read_text(encoding="utf-8"))
        broken += [f"{page.relative_to(ROOT)}: {item}" for item in page_broken]
        checked += page_checked
    assert broken == []
    # The README alone links a dozen pages: a count this low means links went unseen.
    assert checked >= 30


def test_the_readme_links_every_page_of_docs() -> None:
    linked = {
        (ROOT / target.partition("#")[0]).resolve()
        for target in link_targets((ROOT / "README.md").read_text(encoding="utf-8"))
        if not EXTERNAL.match(target)
    }
    pages = set((ROOT / "docs").glob("*.md"))
    assert pages
    assert pages <= linked


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("See [the API](docs/nowhere.md).", "docs/nowhere.md: no such file"),
        ("See [errors](docs/api.md#no-such-heading).", "no heading #no-such-heading"),
        ("![a shot with [1] in its alt text](docs/missing.png)", "docs/missing.png: no such"),
        ("[ref]: docs/gone.md", "docs/gone.md: no such file"),
    ],
)
def test_a_broken_link_is_reported(text: str, problem: str) -> None:
    broken, checked = broken_links(ROOT / "README.md", text)
    assert checked == 1
    assert len(broken) == 1
    assert problem in broken[0]


def test_links_in_code_are_not_links() -> None:
    text = "```\n[x](docs/nowhere.md)\n```\n`[y](docs/nowhere.md)`\n[z](https://example.org)\n"
    assert broken_links(ROOT / "README.md", text) == ([], 0)


def test_heading_anchors_follow_github() -> None:
    text = '# `POST /chat/stream`\n## The reader\'s page\n## Errors\n## Errors\n<a id="x"></a>'
    assert anchors(text) == {"post-chatstream", "the-readers-page", "errors", "errors-1", "x"}
