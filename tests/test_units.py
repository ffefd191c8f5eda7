"""Unit tests of the pieces that need no server: settings, error mapping, filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from google.genai import errors as genai_errors
from pydantic import AliasChoices
from qdrant_client.http import models as rest

from config import (
    EngineSettings,
    GeminiSettings,
    LocalSettings,
    QdrantSettings,
    ServiceSettings,
    Settings,
    SettingsError,
)
from engine.errors import (
    AnswerBlocked,
    CollectionNotFound,
    InvalidQuery,
    UpstreamError,
    UpstreamRateLimited,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from engine.retrieval import public_metadata, qdrant_filter
from engine.upstream import translate
from service.errors import status_of


def test_settings_defaults_follow_the_contract() -> None:
    settings = Settings.load(env_file=None)

    assert settings.gemini.embed_model == "gemini-embedding-001"
    assert settings.qdrant.collection == "book-local"  # no key: the offline models' index
    assert str(settings.qdrant.path) == ".data/qdrant"
    assert settings.qdrant.text_key == "text"
    assert settings.qdrant.vector_name is None
    assert settings.service.cors_origins == ["http://localhost:3000", "http://127.0.0.1:3000"]
    assert settings.service.api_keys == []
    assert settings.resolved_provider == "local"


def test_settings_read_comma_lists_and_key_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKCHAT_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("BOOKCHAT_API_KEYS", "k1,k2")
    monkeypatch.setenv("GOOGLE_API_KEY", "from-google-name")

    settings = Settings.load(env_file=None)

    assert settings.service.cors_origins == ["https://a.example", "https://b.example"]
    assert [k.get_secret_value() for k in settings.service.api_keys] == ["k1", "k2"]
    assert settings.gemini.api_key is not None
    assert settings.gemini.api_key.get_secret_value() == "from-google-name"
    assert settings.resolved_provider == "gemini"
    assert settings.qdrant.collection == "book"
    assert "from-google-name" not in repr(settings)


def test_settings_read_dotenv(tmp_path_factory: pytest.TempPathFactory) -> None:
    env_file = tmp_path_factory.mktemp("env") / ".env"
    env_file.write_text("QDRANT_COLLECTION=chapters\nBOOKCHAT_TOP_K=7\n")

    settings = Settings.load(env_file=env_file)

    assert settings.qdrant.collection == "chapters"
    assert settings.engine.top_k == 7


def test_settings_ignore_unrelated_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/usr/bin")
    monkeypatch.setenv("URL", "http://not-qdrant")

    settings = Settings.load(env_file=None)

    assert str(settings.qdrant.path) == ".data/qdrant"
    assert settings.qdrant.url is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOOKCHAT_TOP_K", "0"),
        ("BOOKCHAT_EMBED_DIM", "64"),
        ("BOOKCHAT_PROVIDER", "openai"),
        ("QDRANT_TIMEOUT", "-1"),
        ("BOOKCHAT_LLM_TIMEOUT", "soon"),
        ("BOOKCHAT_RATE_LIMIT", "lots"),
    ],
)
def test_bad_setting_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError) as caught:
        Settings.load(env_file=None)

    assert str(caught.value).startswith(f"invalid configuration: {name}: ")
    assert "\n" not in str(caught.value)


def gemini_error(code: int, status: str) -> genai_errors.APIError:
    body: dict[str, Any] = {"error": {"code": code, "status": status, "message": "x"}}
    if code == 429:
        body["error"]["details"] = [{"retryDelay": "12s"}]
    return genai_errors.APIError(code, body)


@pytest.mark.parametrize(
    ("exc", "kind", "status"),
    [
        (gemini_error(429, "RESOURCE_EXHAUSTED"), UpstreamRateLimited, 429),
        (gemini_error(500, "INTERNAL"), UpstreamError, 502),
        (gemini_error(503, "UNAVAILABLE"), UpstreamUnavailable, 503),
        (gemini_error(504, "DEADLINE_EXCEEDED"), UpstreamTimeout, 504),
        (TimeoutError(), UpstreamTimeout, 504),
        (ConnectionRefusedError(), UpstreamUnavailable, 503),
        (RuntimeError("Response was terminated early: RECITATION"), AnswerBlocked, 502),
        (ValueError("Collection book not found"), CollectionNotFound, 503),
    ],
)
def test_upstream_exceptions_map_to_typed_errors(
    exc: BaseException, kind: type, status: int
) -> None:
    mapped = translate(exc)

    assert isinstance(mapped, kind)
    assert mapped is not None
    assert status_of(mapped) == status


def test_retry_after_comes_from_retry_info() -> None:
    mapped = translate(gemini_error(429, "RESOURCE_EXHAUSTED"))

    assert isinstance(mapped, UpstreamRateLimited)
    assert mapped.retry_after == 12


@pytest.mark.parametrize(
    "exc", [RuntimeError("something else"), ValueError("bad value"), KeyError("x")]
)
def test_bugs_are_not_translated(exc: BaseException) -> None:
    assert translate(exc) is None


def test_filters_become_exact_and_any_matches() -> None:
    filters = qdrant_filter({"source": "a.md", "chapter": ["x", "y"], "n": 3, "draft": True})

    assert filters is not None
    assert filters.must == [
        rest.FieldCondition(key="source", match=rest.MatchValue(value="a.md")),
        rest.FieldCondition(key="chapter", match=rest.MatchAny(any=["x", "y"])),
        rest.FieldCondition(key="n", match=rest.MatchValue(value=3)),
        rest.FieldCondition(key="draft", match=rest.MatchValue(value=True)),
    ]


def test_mixed_filter_list_is_an_invalid_query() -> None:
    with pytest.raises(InvalidQuery):
        qdrant_filter({"source": ["a", 1]})


def test_public_metadata_hides_internals_and_text() -> None:
    shown = public_metadata(
        {"_node_content": "{}", "doc_id": "d", "content": "the text", "path": "a/b.md"},
        text_key="content",
    )

    assert shown == {"path": "a/b.md", "source": "a/b.md", "title": ""}


ROOT = Path(__file__).resolve().parent.parent


def test_env_example_lists_every_variable_and_loads() -> None:
    text = (ROOT / ".env.example").read_text()
    groups = (GeminiSettings, QdrantSettings, LocalSettings, EngineSettings, ServiceSettings)
    names: set[str] = set()
    for group in groups:
        for field in group.model_fields.values():
            alias = field.validation_alias
            choices = alias.choices if isinstance(alias, AliasChoices) else [alias]
            names |= {str(choice) for choice in choices}
    missing = sorted(name for name in names if f"{name}=" not in text)

    assert missing == []
    assert Settings.load(env_file=ROOT / ".env.example").engine.top_k == 5


def test_serve_runs_on_uvloop_with_start_up_objects_frozen() -> None:
    import gc

    import uvloop

    from cli.main import serving_loop
    from service.app import GC_THRESHOLDS, freeze_startup_objects

    assert serving_loop() is uvloop.new_event_loop
    before = gc.get_threshold()
    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
