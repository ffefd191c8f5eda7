"""The grounding threshold for whatever embedding model is loaded: `auto` calibrated on
the collection (`engine.grounding.calibrate`), its fall-back, and where it is reported
(`bookchat eval --grounding`, `bookchat doctor`)."""

from __future__ import annotations

import asyncio
import io
import math
import shutil
from pathlib import Path

import pytest

from cli.doctor import run_doctor
from config import EngineSettings, Settings, SettingsError
from engine import BookAssistant, ChatQuery
from engine.evaluation import book_pages
from engine.grounding import (
    CALIBRATION_TEXTS,
    Calibration,
    Grounder,
    GroundingThreshold,
    calibrate,
)
from engine.providers.gemini import DEFAULT_GROUNDING_THRESHOLD
from engine.types import Source
from tests.support.book import SAMPLE_BOOK, write_sample_book
from tests.support.fake_gemini import FakeGemini, embed_text
from tests.support.processes import bookchat, service_env
from tests.support.settings import ClientFactory, MakeSettings, settings_for

SENTENCE = "The gyroscope drifts with angular bias."
SHARED = 0.5
"""A direction every vector shares: each cosine c becomes SHARED + (1 - SHARED) c, as
unrelated texts score 0.5 and more with gemini-embedding-001."""


async def hashed(texts: list[str]) -> list[list[float]]:
    return [embed_text(text, 256) for text in texts]


async def with_shared_direction(texts: list[str]) -> list[list[float]]:
    return [
        [math.sqrt(1 - SHARED) * x for x in vector] + [math.sqrt(SHARED)]
        for vector in await hashed(texts)
    ]


@pytest.fixture(scope="module")
def sample_book_template(fake_server: FakeGemini, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample book ingested with the fake's embeddings, once for the module."""
    path = tmp_path_factory.mktemp("sample-book") / "qdrant"
    write_sample_book(settings_for(fake_server.base_url, path))
    return path


@pytest.fixture
def sample_book_path(sample_book_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "sample-qdrant"
    shutil.copytree(sample_book_template, path)
    return path


async def test_a_shared_direction_in_the_vectors_moves_the_threshold_with_it() -> None:
    pages = book_pages(SAMPLE_BOOK)

    plain = await calibrate(pages, hashed)
    shifted = await calibrate(pages, with_shared_direction)

    assert shifted.threshold == pytest.approx(SHARED + (1 - SHARED) * plain.threshold, abs=1e-3)
    assert shifted.threshold > plain.threshold + 0.1


async def test_a_calibration_that_fails_during_a_check_leaves_the_fallback_and_a_verdict() -> None:
    async def broken() -> Calibration:
        raise RuntimeError("upstream down")

    async def embed(texts: list[str]) -> list[list[float]]:  # cosine 0.8 to its evidence
        return [[1.0, 0.0] if text == SENTENCE else [0.8, 0.6] for text in texts]

    threshold = GroundingThreshold(fallback=0.9, measure=broken, model="stub")
    passage = Source(
        id="1",
        text="The gyroscope measures angular velocity. It drifts with a small bias.",
        score=1.0,
        metadata={},
    )

    checked = await Grounder("embedding", embed, threshold=threshold).check(
        f"{SENTENCE} [1]", [passage]
    )

    assert [s.supported for s in checked] == [False]  # 0.8: under the fallback
    assert threshold.current == 0.9
    assert threshold.failure == "upstream down"


async def test_auto_calibrates_on_the_collection_in_one_embedding_call(
    make_settings: MakeSettings, fake: FakeGemini, sample_book_path: Path
) -> None:
    settings = make_settings(
        qdrant={"path": sample_book_path}, engine={"grounding_threshold": "auto"}
    )
    assistant = await BookAssistant.open(settings)
    try:
        assert assistant.grounder is not None
        value = await assistant.grounder.threshold.value()
        calibration = assistant.grounder.threshold.calibration
    finally:
        await assistant.aclose()

    calls = fake.of_kind("embed")
    assert len(calls) == 1
    texts = [r["content"]["parts"][0]["text"] for r in calls[0].body["requests"]]
    assert len(texts) == CALIBRATION_TEXTS
    assert len(set(texts)) == len(texts)
    assert calibration is not None
    assert value == calibration.threshold
    assert calibration.pages > 10


async def test_the_service_calibrates_at_start_up_before_any_question(
    app_client: ClientFactory,
    make_settings: MakeSettings,
    fake: FakeGemini,
    sample_book_path: Path,
) -> None:
    settings = make_settings(
        qdrant={"path": sample_book_path}, engine={"grounding_threshold": "auto"}
    )
    async with app_client(settings):
        for _ in range(1000):  # until the background calibration's call reaches the fake
            if fake.of_kind("embed"):
                break
            await asyncio.sleep(0.01)

    assert [len(call.body["requests"]) for call in fake.of_kind("embed")] == [CALIBRATION_TEXTS]


async def test_a_calibration_the_upstream_fails_falls_back_and_answers_stand(
    make_settings: MakeSettings, fake: FakeGemini, sample_book_path: Path
) -> None:
    settings = make_settings(
        qdrant={"path": sample_book_path}, engine={"grounding_threshold": "auto"}
    )
    fake.fail("embed", 503, times=1)  # the first embedding call: the calibration's
    assistant = await BookAssistant.open(settings)
    try:
        assert assistant.grounder is not None
        value = await assistant.grounder.threshold.value()
        fake.reply = "An IMU measures linear acceleration and angular velocity. [1]"
        result = await assistant.chat(ChatQuery("What does an IMU measure?"))
    finally:
        await assistant.aclose()

    assert value == DEFAULT_GROUNDING_THRESHOLD
    assert result.answer.startswith("An IMU measures")
    assert len(result.sentences) == 1


def test_the_threshold_setting_takes_auto_or_a_cosine_and_names_a_bad_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert EngineSettings(_env_file=None).grounding_threshold == "auto"
    monkeypatch.setenv("BOOKCHAT_GROUNDING_THRESHOLD", "0.75")
    assert EngineSettings(_env_file=None).grounding_threshold == 0.75
    monkeypatch.setenv("BOOKCHAT_GROUNDING_THRESHOLD", "1.5")

    with pytest.raises(SettingsError) as caught:
        Settings.load(env_file=None)

    assert str(caught.value).startswith("invalid configuration: BOOKCHAT_GROUNDING_THRESHOLD: ")
    assert "expected auto or" in str(caught.value)


def test_eval_grounding_prints_the_calibrated_threshold_and_a_sweep(
    fake: FakeGemini, qdrant_path: Path
) -> None:
    env = service_env(fake, qdrant_path, BOOKCHAT_GROUNDING_THRESHOLD="auto")

    result = bookchat("eval", "--grounding", str(SAMPLE_BOOK / "grounding.jsonl"), env=env)

    assert result.returncode == 0, result.stderr
    assert "grounding threshold: 0." in result.stdout
    assert "(auto: 96 sentences of 24 pages" in result.stdout
    sweep = result.stdout.split("threshold sweep", 1)[1].splitlines()
    assert sum("in use (auto)" in line for line in sweep) == 1
    assert len([line for line in sweep if line.strip()[:1] == "0"]) >= 5


def test_doctor_reports_the_calibrated_threshold(
    make_settings: MakeSettings, sample_book_path: Path
) -> None:
    settings = make_settings(
        qdrant={"path": sample_book_path}, engine={"grounding_threshold": "auto"}
    )
    out, err = io.StringIO(), io.StringIO()

    code = run_doctor(settings, out, err)

    assert code == 0, err.getvalue()
    lines = [line for line in out.getvalue().splitlines() if line.startswith("grounding")]
    assert len(lines) == 1
    assert "(auto: 96 sentences of" in lines[0]


def test_doctor_warns_when_the_collection_is_too_small_to_calibrate(
    make_settings: MakeSettings,
) -> None:
    out, err = io.StringIO(), io.StringIO()

    code = run_doctor(make_settings(engine={"grounding_threshold": "auto"}), out, err)

    assert code == 0, err.getvalue()
    assert f"grounding threshold: {DEFAULT_GROUNDING_THRESHOLD:g} (" in out.getvalue()
    assert "WARNING: the grounding threshold cannot be calibrated" in out.getvalue()
