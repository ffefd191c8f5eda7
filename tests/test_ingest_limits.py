"""Ingestion at Gemini's real limits: 100 texts and 4 MB a call, a per-minute quota that
counts texts (429 with a RetryInfo delay), transient faults, and texts over the
embedding model's input limit. Over the real SDK against the fake Gemini, which refuses
what Gemini refuses."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from google.genai import errors as genai_errors

from cli.progress import TerminalProgress
from config import Settings
from engine.errors import UpstreamError, UpstreamRateLimited, UpstreamUnavailable
from engine.ingestion import IngestOptions, IngestReport, ingest
from engine.ingestion.embedding import estimate_tokens, pack, split_to_fit
from engine.providers import GEMINI_INPUT_TOKENS, GEMINI_REQUEST_BYTES, build_models
from engine.types import Progress
from engine.upstream import translate
from tests.support.fake_gemini import FakeGemini
from tests.support.settings import settings_for

TOO_MANY = "* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch\n"


def write_book(folder: Path, pages: int, sections: int, words: int = 40) -> Path:
    """`pages` pages of `sections` short sections each: one chunk a section."""
    folder.mkdir(parents=True, exist_ok=True)
    for page in range(pages):
        body = "\n".join(
            f"## Part {section}\n\n"
            + " ".join(f"word{page}x{section}x{n}" for n in range(words))
            + ".\n"
            for section in range(sections)
        )
        (folder / f"page-{page:02d}.md").write_text(f"---\ntitle: Page {page}\n---\n\n{body}")
    return folder


def settings_with(fake: FakeGemini, tmp_path: Path, **gemini: Any) -> Settings:
    return settings_for(
        fake.base_url,
        tmp_path / "qdrant",
        gemini={"embed_dim": 768, "retry_initial_delay": 0.01, **gemini},
    )


async def run(
    settings: Settings, folder: Path, progress: Any = None, **options: Any
) -> IngestReport:
    if progress is None:
        return await ingest(settings, IngestOptions(folder=folder, **options))
    return await ingest(settings, IngestOptions(folder=folder, **options), progress)


def batch_sizes(fake: FakeGemini) -> list[int]:
    return [len(call.body["requests"]) for call in fake.of_kind("embed")]


async def test_a_call_carries_at_most_100_texts(fake: FakeGemini, tmp_path: Path) -> None:
    book = write_book(tmp_path / "book", pages=25, sections=10)

    report = await run(settings_with(fake, tmp_path), book, batch_size=500)

    assert report.chunks_written == 250
    assert batch_sizes(fake) == [100, 100, 50]


async def test_packed_calls_stay_under_4_mb(fake: FakeGemini, tmp_path: Path) -> None:
    texts = [f"text {n} " + "é" * 10_000 for n in range(100)]  # ~60 KB each as sent
    models = build_models(settings_with(fake, tmp_path), with_llm=False)
    try:
        model = models.embedding_for("book", 768)
        vectors = [
            vector
            for batch in pack(texts, 100, GEMINI_REQUEST_BYTES)
            for vector in await model.aget_text_embedding_batch(batch)
        ]
    finally:
        await models.aclose()

    assert len(vectors) == 100
    assert len(batch_sizes(fake)) == 2
    assert all(len(json.dumps(c.body)) <= GEMINI_REQUEST_BYTES for c in fake.of_kind("embed"))


async def test_a_refused_call_stops_with_gemini_s_reason(fake: FakeGemini, tmp_path: Path) -> None:
    book = write_book(tmp_path / "book", pages=3, sections=2)
    fake.fail("embed", 400, message=TOO_MANY)

    with pytest.raises(UpstreamError) as raised:
        await run(settings_with(fake, tmp_path), book, concurrency=1)

    assert raised.value.message == (
        "embedding stopped: Gemini answered 400 INVALID_ARGUMENT "
        "(BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch)"
    )
    assert len(fake.of_kind("embed")) == 1  # not retried


def test_cli_stops_on_a_refused_call_with_one_line(fake: FakeGemini, tmp_path: Path) -> None:
    from tests.support.processes import bookchat, service_env

    book = write_book(tmp_path / "book", pages=2, sections=2)
    fake.fail("embed", 400, message=TOO_MANY)
    env = service_env(fake, tmp_path / "q", BOOKCHAT_EMBED_DIM="768")

    result = bookchat("ingest", str(book), env=env)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1] == (
        "bookchat: embedding stopped: Gemini answered 400 INVALID_ARGUMENT "
        "(BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch)"
    )


async def test_quota_429_is_waited_out_and_retried(fake: FakeGemini, tmp_path: Path) -> None:
    book = write_book(tmp_path / "book", pages=3, sections=4)
    fake.embed_quota, fake.quota_window = 5, 0.3  # texts a window

    report = await run(settings_with(fake, tmp_path), book, batch_size=4, concurrency=1)

    assert report.chunks_written == 12
    assert fake.quota_refusals >= 1
    assert report.embed_retries == fake.quota_refusals
    assert report.embed_calls == 3


async def test_the_wait_is_the_retry_info_delay(fake: FakeGemini, tmp_path: Path) -> None:
    book = write_book(tmp_path / "book", pages=1, sections=2)
    fake.retry_delay = "0.25s"
    fake.fail("embed", 429, times=2)

    report = await run(settings_with(fake, tmp_path), book, concurrency=1)

    assert report.pages_written == 1
    assert report.embed_retries == report.quota_waits == 2
    assert report.quota_seconds == pytest.approx(0.5)
    assert len(fake.of_kind("embed")) == 3


def test_retry_after_header_gives_the_delay_without_retry_info() -> None:
    body = {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "quota"}}
    response = httpx.Response(429, headers={"Retry-After": "3"}, json=body)

    mapped = translate(genai_errors.ClientError(429, body, response))

    assert isinstance(mapped, UpstreamRateLimited)
    assert mapped.delay == 3.0


async def test_progress_shows_the_quota_wait(fake: FakeGemini, tmp_path: Path) -> None:
    book = write_book(tmp_path / "book", pages=1, sections=2)
    fake.retry_delay = "0.05s"
    fake.fail("embed", 429, times=1)
    out = io.StringIO()

    def progress(total: int, unit: str) -> Progress:
        return TerminalProgress(total, unit, stream=out)

    await run(settings_with(fake, tmp_path), book, progress)

    assert out.getvalue().splitlines() == [
        "[0/1] waiting 0.05 s for the Gemini quota",
        "[1/1] written page-00.md",
    ]


async def test_a_quota_wait_over_the_cap_stops(fake: FakeGemini, tmp_path: Path) -> None:
    book = write_book(tmp_path / "book", pages=1, sections=2)
    fake.retry_delay = "3600s"
    fake.fail("embed", 429)

    with pytest.raises(UpstreamRateLimited, match="BOOKCHAT_EMBED_MAX_WAIT"):
        await run(settings_with(fake, tmp_path, embed_max_wait=60), book)

    assert len(fake.of_kind("embed")) == 1


async def test_unavailable_is_retried_with_backoff(fake: FakeGemini, tmp_path: Path) -> None:
    book = write_book(tmp_path / "book", pages=1, sections=2)
    fake.fail("embed", 503, times=2)

    report = await run(settings_with(fake, tmp_path), book)

    assert report.pages_written == 1
    assert report.embed_retries == 2
    assert report.quota_waits == 0


async def test_retries_are_bounded(fake: FakeGemini, tmp_path: Path) -> None:
    book = write_book(tmp_path / "book", pages=1, sections=2)
    fake.fail("embed", 503)

    with pytest.raises(UpstreamUnavailable, match="after 2 retries"):
        await run(settings_with(fake, tmp_path, embed_retries=2), book)

    assert len(fake.of_kind("embed")) == 3


async def test_concurrency_setting_bounds_calls_in_flight(fake: FakeGemini, tmp_path: Path) -> None:
    book = write_book(tmp_path / "book", pages=4, sections=3)
    fake.embed_delay = 0.2

    await run(settings_with(fake, tmp_path, embed_concurrency=3), book, batch_size=2)

    assert fake.max_embeds_in_flight == 3


async def test_text_over_the_input_limit_is_split_with_a_warning(
    fake: FakeGemini, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    book = tmp_path / "book"
    book.mkdir()
    long = " ".join(f"Sentence {n} says something about gyroscopes." for n in range(700))
    (book / "long.md").write_text(f"---\ntitle: Long\n---\n\n## Drift\n\n{long}\n")

    with caplog.at_level(logging.WARNING, logger="engine.ingestion.embedding"):
        report = await run(settings_with(fake, tmp_path), book, chunk_size=8192)

    warnings = [r.getMessage() for r in caplog.records if r.name.endswith("embedding")]
    assert len(warnings) == 1
    assert warnings[0].startswith("page long.md, section 'Drift': a chunk of about ")
    assert "over gemini-embedding-001's input limit of 2048" in warnings[0]
    sent = [
        r["content"]["parts"][0]["text"] for c in fake.of_kind("embed") for r in c.body["requests"]
    ]
    assert report.chunks_written == len(sent) > 1
    assert all(estimate_tokens(text) <= GEMINI_INPUT_TOKENS for text in sent)
    assert " ".join(text.split("\n\n", 1)[1] for text in sent) == long


def test_non_latin_text_is_estimated_a_token_a_character() -> None:
    assert estimate_tokens("機械学習") == 4
    assert estimate_tokens("gyroscope") == 3


def test_split_pieces_fit_and_keep_every_word() -> None:
    text = " ".join(f"w{n}" for n in range(3000))

    pieces = split_to_fit(text, 500)

    assert all(estimate_tokens(piece) <= 500 for piece in pieces)
    assert " ".join(pieces) == text
