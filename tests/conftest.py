"""Fixtures: the fake Gemini server, a temporary Qdrant holding the test book, apps."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from config import Settings
from service import create_app
from tests.support.book import write_book
from tests.support.fake_gemini import FakeGemini, running_fake_gemini
from tests.support.postgres import pg_server, pg_url  # noqa: F401 - fixtures for every test module
from tests.support.processes import Server, launch, service_env, stop
from tests.support.redis import (  # noqa: F401 - fixtures, as above
    redis_server,
    redis_tls_server,
    redis_url,
)
from tests.support.settings import ClientFactory, MakeSettings, settings_for
from tests.support.versioned import EMBED_DIM, ingest_build, versioned_build


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's keys or .env: each starts from a blank slate."""
    for name in list(os.environ):
        if name.startswith(("BOOKCHAT_", "QDRANT_", "GEMINI_", "GOOGLE_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeGemini]:
    with running_fake_gemini() as fake:
        yield fake


@pytest.fixture
def fake(fake_server: FakeGemini) -> FakeGemini:
    """The fake Gemini server, with default behaviour and an empty request log."""
    fake_server.reset()
    return fake_server


@pytest.fixture(scope="session")
def book_template(fake_server: FakeGemini, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded Qdrant folder with the test book, ingested once per session."""
    path = tmp_path_factory.mktemp("book-template") / "qdrant"
    write_book(settings_for(fake_server.base_url, path))
    return path


@pytest.fixture
def qdrant_path(book_template: Path, tmp_path: Path) -> Path:
    """A private copy of the test book's Qdrant folder."""
    path = tmp_path / "qdrant"
    shutil.copytree(book_template, path)
    return path


@pytest.fixture(scope="session")
def versioned_site() -> Path:
    """The versioned test site's build (site/versioned/build), built once per test run."""
    return versioned_build()


@pytest.fixture(scope="session")
def versioned_template(
    fake_server: FakeGemini, versioned_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """An embedded Qdrant folder with the versioned site's build, ingested once per session."""
    path = tmp_path_factory.mktemp("versioned-template") / "qdrant"
    ingest_build(
        settings_for(fake_server.base_url, path, gemini={"embed_dim": EMBED_DIM}), versioned_site
    )
    return path


@pytest.fixture
def make_settings(fake: FakeGemini, qdrant_path: Path) -> MakeSettings:
    def make(**groups: dict[str, Any]) -> Settings:
        return settings_for(fake.base_url, qdrant_path, **groups)

    return make


@pytest.fixture
def settings(make_settings: MakeSettings) -> Settings:
    return make_settings()


@pytest.fixture
def app_client() -> ClientFactory:
    """`async with app_client(settings) as client:` a fresh app with its lifespan run."""

    @asynccontextmanager
    async def open_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(settings)
        async with LifespanManager(app, startup_timeout=30) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                yield client

    return open_client


@pytest.fixture
async def client(app_client: ClientFactory, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(settings) as client:
        yield client


@pytest.fixture
def server(fake: FakeGemini, qdrant_path: Path, tmp_path: Path) -> Iterator[Server]:
    """`server(**env)` starts `bookchat serve` and returns its base URL."""
    processes: list[subprocess.Popen[str]] = []

    def start(**extra: str) -> str:
        process, url = launch((), service_env(fake, qdrant_path, **extra), tmp_path)
        processes.append(process)
        return url

    yield start
    stop(processes)
