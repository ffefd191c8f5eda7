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
    # A fixed grounding threshold: `auto` calibrates in the background at attach, an
    # embedding call at a moment no test controls (it would take a fault a test injects,
    # or count among a test's calls). The tests of `auto` ask for it.
    engine = {"grounding_threshold": 0.6, **groups.get("engine", {})}
    return Settings(
        gemini=GeminiSettings(_env_file=None, **gemini),
        qdrant=QdrantSettings(_env_file=None, **qdrant),
        local=LocalSettings(_env_file=None, **groups.get("local", {})),
        engine=EngineSettings(_env_file=None, **engine),
        service=ServiceSettings(_env_file=None, **groups.get("service", {})),
    )
