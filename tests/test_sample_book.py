"""The sample book and its question set are well formed."""

from __future__ import annotations

import json
from pathlib import Path

from engine.ingestion.docusaurus import read_folder

BOOK = Path(__file__).resolve().parent.parent / "sample_book"


def test_sample_book_has_enough_pages_and_categories() -> None:
    pages = read_folder(BOOK)

    assert len(pages) >= 15
    assert len({page.chapter for page in pages if page.chapter}) >= 3
    assert sum(page.source.endswith(".mdx") for page in pages) >= 1
    assert all(page.title for page in pages)


def test_question_set_points_at_real_pages() -> None:
    rows = [json.loads(line) for line in (BOOK / "eval.jsonl").read_text().splitlines() if line]
    sources = {page.source for page in read_folder(BOOK)}

    assert len(rows) >= 30
    for row in rows:
        assert set(row) <= {"question", "expected", "history", "page", "facts"}
        assert row["question"].strip()
        assert set(row["expected"]) <= sources
    assert sum(bool(row.get("history")) for row in rows) >= 10
    assert sum(row["expected"] == [] for row in rows) >= 10
