"""Settings for tests, and the types of the app fixtures in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from config import (
    EngineSettings,
    GeminiSettings,
    LocalSettings,
    QdrantSettings,
    ServiceSettings,
    Settings,
)

TEST_KEY = "test-gemini-key-0123456789"

MakeSettings = Callable[..., Settings]
ClientFactory = Callable[[Settings], Any]


def settings_for(base_url: str, qdrant_path: Path, **groups: dict[str, Any]) -> Settings:
    """Settings for tests: fast failures, no .env, overrides per group."""
    gemini = {
        "api_key": TEST_KEY,
        "base_url": base_url,
        "retry_attempts": 1,
        "llm_timeout": 5.0,
        "embed_timeout": 5.0,
        **groups.get("gemini", {}),
    }
    qdrant = {"path": qdrant_path, **groups.get("qdrant", {})}
    return Settings(
        gemini=GeminiSettings(_env_file=None, **gemini),
        qdrant=QdrantSettings(_env_file=None, **qdrant),
        local=LocalSettings(_env_file=None, **groups.get("local", {})),
        engine=EngineSettings(_env_file=None, **groups.get("engine", {})),
        service=ServiceSettings(_env_file=None, **groups.get("service", {})),
    )
