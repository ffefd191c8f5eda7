"""The versioned test site (site/versioned: versions 1.0, 2.0 and next; English and French),
built once per test run, and its collection, ingested once per session (tests/conftest.py)."""

from __future__ import annotations

import asyncio
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from config import Settings
from engine.ingestion import IngestOptions, IngestReport, ingest

ROOT = Path(__file__).resolve().parent.parent.parent
SITE = ROOT / "site" / "versioned"
ORIGIN = "https://docs.example.org"
EMBED_DIM = 768
"""The versioned collection's vector size (smaller than the default: faster, same ranks)."""


def versioned_build() -> Path:
    """site/versioned/build, built by `make versioned-site` unless it is current (about 75 s
    on 2 cores); the test is skipped without site/node_modules and without a build."""
    if (ROOT / "site" / "node_modules").is_dir():
        done = subprocess.run(
            ["make", "-s", "versioned-site"], cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
    elif not (SITE / "build" / ".built").is_file():
        pytest.skip("no site/node_modules: `make site` installs Docusaurus")
    return SITE / "build"


def ingest_build(settings: Settings, build: Path) -> IngestReport:
    """`bookchat ingest build` into the collection `settings` name, from any thread (the
    caller may be inside a running event loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, ingest(settings, IngestOptions(folder=build))).result()
