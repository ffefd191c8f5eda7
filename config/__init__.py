"""Configuration: one `Settings` object, read once at start-up and passed down."""

from config.settings import (
    EngineSettings,
    GeminiSettings,
    QdrantSettings,
    ServiceSettings,
    Settings,
    SettingsError,
)

__all__ = [
    "EngineSettings",
    "GeminiSettings",
    "QdrantSettings",
    "ServiceSettings",
    "Settings",
    "SettingsError",
]
