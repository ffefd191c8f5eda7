"""Settings: defaults, the environment and .env, one-line errors, .env.example, secrets."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import AliasChoices

from config import (
    EngineSettings,
    GeminiSettings,
    LocalSettings,
    QdrantSettings,
    ServiceSettings,
    Settings,
    SettingsError,
)


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


def test_qdrant_url_credentials_never_show_in_the_location() -> None:
    qdrant = QdrantSettings(_env_file=None, url="http://user:s3cret@qdrant.example:6333/")

    assert "s3cret" not in qdrant.location
    assert "user" not in qdrant.location
    assert qdrant.location == "http://qdrant.example:6333/"
