"""`bookchat doctor`: on each payload layout and on another model's vectors, what it
says, the settings it prints, and its exit code."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from cli.doctor import run_doctor
from config import Settings
from engine import BookAssistant, ChatQuery
from engine.types import Retrieved
from tests.support.book import (
    other_model_embedding,
    write_foreign_collection,
    write_layout_collection,
)
from tests.support.fake_gemini import FakeGemini, embed_text
from tests.support.net import free_port
from tests.support.processes import bookchat, service_env
from tests.support.settings import MakeSettings

QUESTION = "What does an IMU measure with accelerometers and gyroscopes?"


def gemini_768(text: str) -> list[float]:
    return embed_text(text, 768)


def doctor(settings: Settings) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_doctor(settings, out, err)
    return code, out.getvalue(), err.getvalue()


def settings_lines(report: str) -> dict[str, str]:
    lines = report.split("GEMINI_API_KEY not shown):\n", 1)[1].splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and " " not in line)


@pytest.mark.parametrize(
    ("layout", "text_key"),
    [
        ("llamaindex", "_node_content"),
        ("langchain", "page_content"),
        ("haystack", "content"),
        ("flat", "chunk"),
    ],
)
def test_each_layout_passes_with_its_text_field_named(
    layout: str, text_key: str, tmp_path: Path, make_settings: MakeSettings
) -> None:
    path = write_layout_collection(tmp_path / layout, layout, gemini_768)

    code, report, _ = doctor(make_settings(qdrant={"path": path}))

    assert code == 0
    assert f"  text: '{text_key}'" in report
    assert settings_lines(report)["QDRANT_TEXT_KEY"] == text_key


def test_our_own_vectors_agree_with_the_configured_model(make_settings: MakeSettings) -> None:
    _, report, _ = doctor(make_settings())

    assert "embedding agreement: 1.00" in report


def test_a_suggested_min_score_sits_between_off_topic_and_book_scores(
    tmp_path: Path, make_settings: MakeSettings
) -> None:
    path = write_layout_collection(tmp_path / "flat", "flat", gemini_768)

    _, report, _ = doctor(make_settings(qdrant={"path": path}))

    suggested = float(settings_lines(report)["BOOKCHAT_MIN_SCORE"])
    assert 0.0 < suggested < 0.7


def test_another_models_vectors_fail_with_the_agreement(
    tmp_path: Path, make_settings: MakeSettings
) -> None:
    path = write_layout_collection(tmp_path / "other", "langchain", other_model_embedding)

    code, report, err = doctor(make_settings(qdrant={"path": path}))

    assert code == 1
    assert "NOT made by this model" in report
    assert err.strip().startswith(
        "bookchat doctor: the stored vectors were not made by gemini-embedding-001 at size 768"
    )


def test_a_vector_size_mismatch_fails_before_any_embedding(
    fake: FakeGemini, make_settings: MakeSettings
) -> None:
    code, _, err = doctor(make_settings(gemini={"embed_dim": 1536}))

    assert code == 2
    assert "has vectors of size 768 but the embedding model" in err
    assert fake.of_kind("embed") == []


def test_a_collection_without_text_fails_naming_the_setting(
    tmp_path: Path, make_settings: MakeSettings
) -> None:
    path = write_foreign_collection(tmp_path / "foreign")

    code, _, err = doctor(make_settings(qdrant={"path": path}))

    assert code == 2
    assert err.strip().endswith("keys seen: page, lang): set QDRANT_TEXT_KEY")


def test_a_missing_collection_fails(make_settings: MakeSettings) -> None:
    code, _, err = doctor(make_settings(qdrant={"collection": "absent"}))

    assert code == 1
    assert "collection 'absent' does not exist" in err


def test_an_unreachable_gemini_fails_with_one_line(make_settings: MakeSettings) -> None:
    settings = make_settings(gemini={"base_url": f"http://127.0.0.1:{free_port()}"})

    code, _, err = doctor(settings)

    assert code == 1
    assert len(err.strip().splitlines()) == 1


def test_the_printed_settings_attach_as_printed(
    tmp_path: Path, make_settings: MakeSettings, monkeypatch: pytest.MonkeyPatch, fake: FakeGemini
) -> None:
    """`serve` with the lines `doctor` printed (no detection left to do) lifts the same
    fields."""
    path = write_layout_collection(tmp_path / "haystack", "haystack", gemini_768)
    _, report, _ = doctor(make_settings(qdrant={"path": path}))
    for name, value in {**service_env(fake, path), **settings_lines(report)}.items():
        monkeypatch.setenv(name, value)
    settings = Settings.load(env_file=None)

    async def retrieve() -> Retrieved:
        engine = await BookAssistant.open(settings)
        try:
            return await engine.retrieve(ChatQuery(message=QUESTION))
        finally:
            await engine.aclose()

    found = asyncio.run(retrieve())

    assert found.sources[0].metadata["url"] == "https://book.example/sensors/imu"
    assert settings.qdrant.configured_text_key == "content"


@pytest.mark.e2e
def test_the_command_reads_the_environment_as_serve_does(
    fake: FakeGemini, qdrant_path: Path
) -> None:
    result = bookchat("doctor", env=service_env(fake, qdrant_path))

    assert result.returncode == 0
    assert f"collection 'book' at local:{qdrant_path}" in result.stdout


@pytest.mark.e2e
def test_the_command_fails_with_one_line_on_stderr(fake: FakeGemini, tmp_path: Path) -> None:
    env = service_env(fake, tmp_path / "q", QDRANT_COLLECTION="absent")

    result = bookchat("doctor", env=env)

    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("bookchat doctor: collection 'absent' does not exist")
    )
