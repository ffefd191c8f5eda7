"""The built Docusaurus site and the backend agree on where things are: every page URL the
ingestion computes (`metadata.url`) is a page of the site, and `docusaurus_anchors.json`
(each page's heading text → the id Docusaurus gave it, for the backend's `#anchor` deep
links) is what the current build has."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import httpx
import pytest

from engine.ingestion.docusaurus import read_folder
from tests.support.browser import ROOT, SITE_BUILD

if not (SITE_BUILD / "docs.html").exists():
    pytest.skip("site/build is missing (make site)", allow_module_level=True)

ANCHORS = Path(__file__).resolve().parent / "docusaurus_anchors.json"
HEADING = re.compile(r'<h([2-6])[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
HASH_LINK = re.compile(r'<a [^>]*class="hash-link"[^>]*>.*?</a>', re.S)


def built_anchors() -> dict[str, list[list[str]]]:
    """Heading text and id of every h2 to h6 of every doc page in site/build."""
    pages = [*sorted(SITE_BUILD.glob("docs/**/*.html")), SITE_BUILD / "docs.html"]
    out: dict[str, list[list[str]]] = {}
    for page in pages:
        pairs = []
        for match in HEADING.finditer(page.read_text()):
            inner = HASH_LINK.sub("", match.group(3))
            text = html.unescape(re.sub(r"<[^>]+>", "", inner)).replace("\u200b", "").strip()
            pairs.append([text, match.group(2)])
        out["/" + str(page.relative_to(SITE_BUILD)).removesuffix(".html")] = pairs
    return out


def test_every_ingested_page_url_is_a_page_of_the_site(site_url: str) -> None:
    pages = read_folder(ROOT / "sample_book", f"{site_url}/docs")
    assert len(pages) >= 20
    for page in pages:
        assert page.url is not None
        response = httpx.get(page.url, timeout=5)
        assert response.status_code == 200, (page.source, page.url)
        assert "<article" in response.text, (page.source, page.url)


def test_the_anchor_list_matches_the_build() -> None:
    assert json.loads(ANCHORS.read_text()) == built_anchors(), (
        "sample_book headings changed: regenerate tests/browser/docusaurus_anchors.json"
    )
