"""`bookchat ingest` against the fake Gemini server and a temporary embedded Qdrant."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from qdrant_client import QdrantClient
from qdrant_client.http import models as rest

from config import Settings
from engine.errors import ConfigurationError, UpstreamError
from engine.ingestion import IngestOptions, IngestReport, ingest
from tests.support.fake_gemini import FakeGemini, embed_text
from tests.support.settings import ClientFactory, settings_for

DOCS = Path(__file__).parent / "fixtures" / "docs"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A private copy of the fixture book, free to change."""
    return Path(shutil.copytree(DOCS, tmp_path / "docs"))


@pytest.fixture
def ingest_settings(fake: FakeGemini, tmp_path: Path) -> Settings:
    return settings_for(fake.base_url, tmp_path / "qdrant", gemini={"embed_dim": 768})


async def run(settings: Settings, docs: Path, **options: object) -> IngestReport:
    return await ingest(settings, IngestOptions(folder=docs, **options))  # type: ignore[arg-type]


def points(settings: Settings) -> list[rest.Record]:
    client = QdrantClient(path=str(settings.qdrant.path))
    try:
        records, _ = client.scroll(settings.qdrant.collection, limit=1000, with_payload=True)
        return records
    finally:
        client.close()


def embedded_texts(fake: FakeGemini) -> list[str]:
    return [
        r["content"]["parts"][0]["text"]
        for call in fake.of_kind("embed")
        for r in call.body["requests"]
    ]


async def test_first_run_writes_every_chunk(
    ingest_settings: Settings, docs: Path, fake: FakeGemini
) -> None:
    report = await run(ingest_settings, docs, base_url="https://book.example/docs")

    stored = points(ingest_settings)
    assert report.created
    assert report.pages == 5
    assert report.pages_written == 5
    assert report.chunks_written == len(stored) == 11
    assert len(embedded_texts(fake)) == 11
    assert {r["taskType"] for c in fake.of_kind("embed") for r in c.body["requests"]} == {
        "RETRIEVAL_DOCUMENT"
    }
    payload = next(p.payload for p in stored if p.payload and p.payload["heading"] == "Gyroscopes")
    assert payload is not None
    assert payload["source"] == "sensors/imu.md"
    assert payload["title"] == "Inertial measurement units"
    assert payload["url"] == "https://book.example/docs/sensors/imu#gyroscopes"
    assert payload["anchor"] == "gyroscopes"
    assert payload["chapter"] == "Sensors and Perception"
    assert "Gyroscopes measure angular velocity" in payload["text"]
    assert "_node_content" not in payload


async def test_rerun_on_unchanged_folder_embeds_nothing(
    ingest_settings: Settings, docs: Path, fake: FakeGemini
) -> None:
    await run(ingest_settings, docs)
    fake.requests.clear()

    report = await run(ingest_settings, docs)

    assert fake.of_kind("embed") == []
    assert report.pages_skipped == 5
    assert report.chunks_written == 0
    assert len(points(ingest_settings)) == 11


async def test_changed_page_replaces_only_its_chunks(
    ingest_settings: Settings, docs: Path, fake: FakeGemini
) -> None:
    await run(ingest_settings, docs)
    fake.requests.clear()
    (docs / "safety" / "estop.md").write_text(
        "---\ntitle: Emergency stop\n---\n\nOne section now.\n"
    )

    report = await run(ingest_settings, docs)

    assert report.pages_written == 1
    assert embedded_texts(fake) == ["Emergency stop — Emergency stop\n\nOne section now."]
    estop = [
        p for p in points(ingest_settings) if p.payload and p.payload["source"] == "safety/estop.md"
    ]
    assert [p.payload["text"] for p in estop if p.payload] == ["One section now."]
    assert len(points(ingest_settings)) == 10


async def test_deleted_page_is_kept_without_prune_and_removed_with_it(
    ingest_settings: Settings, docs: Path
) -> None:
    await run(ingest_settings, docs)
    (docs / "sensors" / "lidar.mdx").unlink()

    kept = await run(ingest_settings, docs)
    sources_kept = {p.payload["source"] for p in points(ingest_settings) if p.payload}
    pruned = await run(ingest_settings, docs, prune=True)
    sources_pruned = {p.payload["source"] for p in points(ingest_settings) if p.payload}

    assert kept.chunks_removed == 0
    assert "sensors/lidar.mdx" in sources_kept
    assert pruned.chunks_removed == 2
    assert "sensors/lidar.mdx" not in sources_pruned


async def test_failure_part_way_is_finished_by_a_rerun(
    ingest_settings: Settings, docs: Path, fake: FakeGemini
) -> None:
    await run(ingest_settings, docs)
    for name in ("imu.md", "lidar.mdx"):
        path = docs / "sensors" / name
        path.write_text(path.read_text() + "\n\nOne more line.\n")
    fake.fail("embed", 400, times=1)
    fake.requests.clear()

    with pytest.raises(UpstreamError):
        await run(ingest_settings, docs)
    assert len(points(ingest_settings)) == 11  # the collection is still whole
    report = await run(ingest_settings, docs)

    assert report.pages_written == 2
    assert report.pages_skipped == 3


async def test_rate_limited_embeddings_are_retried(
    fake: FakeGemini, tmp_path: Path, docs: Path
) -> None:
    settings = settings_for(
        fake.base_url,
        tmp_path / "qdrant",
        gemini={"embed_dim": 768, "retry_attempts": 3, "retry_initial_delay": 0.05},
    )
    fake.retry_delay = "0.05s"
    fake.fail("embed", 429, times=2)

    report = await run(settings, docs, batch_size=4, concurrency=1)

    assert report.pages_written == 5
    assert len(fake.of_kind("embed")) == report.embed_calls + 2


@pytest.mark.parametrize("concurrency", [1, 3])
async def test_concurrency_bounds_embedding_calls_in_flight(
    fake: FakeGemini, ingest_settings: Settings, docs: Path, concurrency: int
) -> None:
    fake.embed_delay = 0.2

    report = await run(ingest_settings, docs, batch_size=2, concurrency=concurrency)

    assert report.chunks_written == 11
    assert fake.max_embeds_in_flight == concurrency


async def test_if_empty_skips_a_filled_collection(
    ingest_settings: Settings, docs: Path, fake: FakeGemini
) -> None:
    await run(ingest_settings, docs)
    fake.requests.clear()

    report = await run(ingest_settings, docs, if_empty=True)

    assert report.pages == 0
    assert report.summary() == "collection 'book' already holds points: nothing ingested"
    assert fake.requests == []


async def test_dimension_mismatch_with_existing_collection(
    ingest_settings: Settings, docs: Path, fake: FakeGemini
) -> None:
    await run(ingest_settings, docs)
    other = settings_for(fake.base_url, ingest_settings.qdrant.path, gemini={"embed_dim": 1536})

    with pytest.raises(ConfigurationError, match=r"768.*1536"):
        await run(other, docs)


async def test_ingested_book_answers_through_chat(
    ingest_settings: Settings, docs: Path, app_client: ClientFactory
) -> None:
    await run(ingest_settings, docs)

    async with app_client(ingest_settings) as client:
        response = await client.post("/chat", json={"message": "What do gyroscopes measure?"})

    assert response.status_code == 200
    first = response.json()["source_nodes"][0]
    assert first["metadata"]["source"] == "sensors/imu.md"
    assert first["metadata"]["heading"] == "Gyroscopes"
    assert "text" not in first["metadata"]
    assert "According to [1] sensors/imu.md" in response.json()["answer"]


async def test_foreign_collection_with_named_vector_and_text_key(
    fake: FakeGemini, tmp_path: Path, app_client: ClientFactory
) -> None:
    path = tmp_path / "foreign"
    client = QdrantClient(path=str(path))
    client.create_collection(
        "book",
        vectors_config={"dense": rest.VectorParams(size=768, distance=rest.Distance.COSINE)},
    )
    pages = {
        "docs/sensors/imu.md": "An IMU measures acceleration and angular velocity.",
        "docs/safety/estop.md": "The emergency stop cuts motor power.",
    }
    client.upsert(
        "book",
        [
            rest.PointStruct(
                id=i,
                vector={"dense": embed_text(text, 768)},
                payload={"content": text, "path": src},
            )
            for i, (src, text) in enumerate(pages.items(), 1)
        ],
    )
    client.close()
    settings = settings_for(
        fake.base_url, path, qdrant={"text_key": "content", "vector_name": "dense"}
    )

    async with app_client(settings) as client_:
        response = await client_.post("/chat", json={"message": "What does an IMU measure?"})

    assert response.status_code == 200
    first = response.json()["source_nodes"][0]
    assert first["text"] == pages["docs/sensors/imu.md"]
    assert first["metadata"] == {
        "path": "docs/sensors/imu.md",
        "source": "docs/sensors/imu.md",
        "title": "",
        "heading": "",
    }
    system = fake.of_kind("generate")[-1].body["systemInstruction"]["parts"][0]["text"]
    assert system.count("An IMU measures acceleration") == 1  # the text reaches the prompt once


def cli_env(fake: FakeGemini, qdrant_path: Path) -> dict[str, str]:
    from tests.support.processes import service_env

    return service_env(fake, qdrant_path, BOOKCHAT_EMBED_DIM="768")


def test_cli_prints_progress_lines_and_a_summary(
    fake: FakeGemini, tmp_path: Path, docs: Path
) -> None:
    from tests.support.processes import bookchat

    result = bookchat("ingest", str(docs), "--prune", env=cli_env(fake, tmp_path / "q"))

    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
    assert result.stdout.startswith("ingested into 'book': 5 pages read, 5 written (11 chunks)")
    assert "[5/5] written" in result.stderr


def test_cli_shows_a_progress_bar_on_a_terminal(
    fake: FakeGemini, tmp_path: Path, docs: Path
) -> None:
    import os
    import pty
    import subprocess
    import sys

    primary, secondary = pty.openpty()
    process = subprocess.run(
        [sys.executable, "-m", "cli", "ingest", str(docs)],
        env=cli_env(fake, tmp_path / "q"),
        stdout=subprocess.PIPE,
        stderr=secondary,
        timeout=120,
        check=False,
    )
    os.close(secondary)
    terminal = b""
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:
            break
        if not data:
            break
        terminal += data
    os.close(primary)

    assert process.returncode == 0
    assert b"5/5" in terminal
    assert b"page/s" in terminal or b"s/page" in terminal


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "/no/such/folder"], "is not a folder"),
        (["ingest", ".", "--chunk-size", "10"], "--chunk-size"),
        (["ingest", ".", "--chunk-overlap", "400"], "--chunk-overlap"),
        (["ingest", ".", "--concurrency", "0"], "--concurrency"),
    ],
)
def test_cli_bad_arguments_exit_2_with_one_line(
    fake: FakeGemini, tmp_path: Path, args: list[str], message: str
) -> None:
    from tests.support.processes import bookchat

    result = bookchat(*args, env=cli_env(fake, tmp_path / "q"))

    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
