"""Configuration: one `Settings` object, read once at start-up and passed down."""

from config.settings import (
    EngineSettings,
    GeminiSettings,
    LocalSettings,
    QdrantSettings,
    ServiceSettings,
    Settings,
    SettingsError,
)

__all__ = [
    "EngineSettings",
    "GeminiSettings",
    "LocalSettings",
    "QdrantSettings",
    "ServiceSettings",
    "Settings",
    "SettingsError",
]
