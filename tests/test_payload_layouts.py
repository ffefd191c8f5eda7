"""Collections other tools wrote (LlamaIndex, LangChain, Haystack, hand-written) attach
with no mapping setting: the layout is found on a sample of points, and every passage
has `title`, `url`, `heading` and `source` at the top of its metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import QdrantSettings, Settings
from engine.errors import CollectionInvalid
from engine.payloads import PayloadLayout, detect_layout
from engine.retrieval import public_metadata
from tests.support.book import LAYOUTS, PAGES, layout_payload, write_layout_collection
from tests.support.fake_gemini import embed_text
from tests.support.settings import ClientFactory, MakeSettings
from tests.support.sse import parse_events

IMU = next(page for page in PAGES if page["source"] == "sensors/imu.md")
QUESTION = {"message": "What does an IMU measure with accelerometers and gyroscopes?"}
EXPECTED = {key: IMU[key] for key in ("title", "url", "heading", "source")}


def settings_of(layout: str, tmp_path: Path, make_settings: MakeSettings) -> Settings:
    path = write_layout_collection(tmp_path / layout, layout, lambda text: embed_text(text, 768))
    return make_settings(qdrant={"path": path})


def public_fields(metadata: dict[str, object]) -> dict[str, object]:
    return {key: metadata.get(key) for key in EXPECTED}


def unconfigured() -> QdrantSettings:
    return QdrantSettings(_env_file=None)


@pytest.mark.parametrize(
    ("layout", "text_key", "metadata_key", "fields"),
    [
        (
            "langchain",
            "page_content",
            "metadata",
            ("metadata.title", "metadata.url", "metadata.heading", "metadata.source"),
        ),
        (
            "haystack",
            "content",
            "meta",
            ("meta.title", "meta.link", "meta.section", "meta.file_path"),
        ),
        ("flat", "chunk", None, ("page_title", "page_url", "section", "path")),
    ],
)
def test_the_layout_is_detected_from_a_sample(
    layout: str, text_key: str, metadata_key: str | None, fields: tuple[str, ...]
) -> None:
    payloads = [layout_payload(layout, page) for page in PAGES]

    found = detect_layout(payloads, unconfigured(), "book").layout

    assert (found.text_key, found.metadata_key) == (text_key, metadata_key)
    assert tuple(found.fields[name] for name in ("title", "url", "heading", "source")) == fields


def test_a_web_source_is_also_the_url_when_there_is_no_url() -> None:
    payload = {"page_content": "Text.", "metadata": {"source": "https://book.example/a"}}

    layout = detect_layout([payload], unconfigured(), "book").layout
    shown = public_metadata(payload, layout)

    assert (shown["url"], shown["source"]) == ("https://book.example/a",) * 2


def test_a_mapping_setting_is_found_inside_the_metadata_object() -> None:
    payloads = [{"page_content": "Text.", "metadata": {"name": "IMU"}}]
    qdrant = QdrantSettings(_env_file=None, title_key="name")

    layout = detect_layout(payloads, qdrant, "book").layout

    assert layout.fields["title"] == "metadata.name"


def test_no_text_field_names_what_was_seen_and_the_setting() -> None:
    with pytest.raises(CollectionInvalid, match=r"keys seen: n, tags\): set QDRANT_TEXT_KEY"):
        detect_layout([{"n": 1, "tags": ["a"]}], unconfigured(), "book")


def test_filter_keys_go_where_the_layout_keeps_them() -> None:
    layout = PayloadLayout(
        "content",
        "meta",
        {"title": "meta.title", "url": None, "heading": None, "source": "meta.file_path"},
    )

    keys = [layout.filter_key(key) for key in ("source", "chapter", "meta.lang")]

    assert keys == ["meta.file_path", "meta.chapter", "meta.lang"]


@pytest.mark.parametrize("layout", LAYOUTS)
async def test_chat_sources_carry_title_url_heading_source(
    layout: str, tmp_path: Path, make_settings: MakeSettings, app_client: ClientFactory
) -> None:
    async with app_client(settings_of(layout, tmp_path, make_settings)) as client:
        response = await client.post("/chat", json=QUESTION)

    first = response.json()["source_nodes"][0]
    assert first["text"] == IMU["text"]
    assert public_fields(first["metadata"]) == EXPECTED


@pytest.mark.parametrize("layout", LAYOUTS)
async def test_stream_sources_carry_title_url_heading_source(
    layout: str, tmp_path: Path, make_settings: MakeSettings, app_client: ClientFactory
) -> None:
    async with app_client(settings_of(layout, tmp_path, make_settings)) as client:
        stream = await client.post("/chat/stream", json=QUESTION)

    (sources,) = [data for name, data in parse_events(stream.text) if name == "sources"]
    assert public_fields(sources["source_nodes"][0]["metadata"]) == EXPECTED


async def test_the_nested_metadata_is_lifted_without_its_object(
    tmp_path: Path, make_settings: MakeSettings, app_client: ClientFactory
) -> None:
    async with app_client(settings_of("haystack", tmp_path, make_settings)) as client:
        response = await client.post("/chat", json=QUESTION)

    metadata = response.json()["source_nodes"][0]["metadata"]
    assert metadata["file_path"] == IMU["source"]
    assert not {"meta", "content", "id", "blob"} & set(metadata)


@pytest.mark.parametrize("layout", ["langchain", "haystack", "flat"])
async def test_a_source_filter_reads_the_nested_or_renamed_key(
    layout: str, tmp_path: Path, make_settings: MakeSettings, app_client: ClientFactory
) -> None:
    """Both legs (dense and the in-process BM25) filter where the layout keeps `source`."""
    question = {**QUESTION, "filters": {"source": "sensors/lidar.md"}}

    async with app_client(settings_of(layout, tmp_path, make_settings)) as client:
        response = await client.post("/chat", json=question)

    sources = {node["metadata"]["source"] for node in response.json()["source_nodes"]}
    assert sources == {"sensors/lidar.md"}


@pytest.mark.parametrize("layout", ["langchain", "flat"])
async def test_the_readers_page_comes_first_in_a_foreign_layout(
    layout: str, tmp_path: Path, make_settings: MakeSettings, app_client: ClientFactory
) -> None:
    """The page is found by the layout's `url` and `source`, and its passages are looked
    up by id: integer ids here, as hand-written indexers give them."""
    question = {
        "message": "What measures angular velocity, acceleration or laser echoes?",
        "page": "https://book.example/sensors/lidar",
    }

    async with app_client(settings_of(layout, tmp_path, make_settings)) as client:
        response = await client.post("/chat", json=question)

    first = response.json()["source_nodes"][0]["metadata"]["source"]
    assert first == "sensors/lidar.md"  # without the page: sensors/imu.md


async def test_mapping_settings_name_fields_of_any_name(
    tmp_path: Path, make_settings: MakeSettings, app_client: ClientFactory
) -> None:
    from qdrant_client import QdrantClient
    from qdrant_client.http import models as rest

    path = tmp_path / "odd"
    client = QdrantClient(path=str(path))
    client.create_collection(
        "book", vectors_config=rest.VectorParams(size=768, distance=rest.Distance.COSINE)
    )
    payload = {"txt": IMU["text"], "info": {"pagetitle": "IMUs", "where": "imu.md"}}
    client.upsert(
        "book", [rest.PointStruct(id=1, vector=embed_text(IMU["text"], 768), payload=payload)]
    )
    client.close()
    settings = make_settings(
        qdrant={
            "path": path,
            "text_key": "txt",
            "metadata_key": "info",
            "title_key": "info.pagetitle",
            "source_key": "where",
        }
    )

    async with app_client(settings) as app:
        response = await app.post("/chat", json=QUESTION)

    metadata = response.json()["source_nodes"][0]["metadata"]
    assert public_fields(metadata) == {
        "title": "IMUs",
        "url": None,
        "heading": "",
        "source": "imu.md",
    }


async def test_a_renamed_url_leaves_only_as_a_safe_url(
    tmp_path: Path, make_settings: MakeSettings, app_client: ClientFactory
) -> None:
    from qdrant_client import QdrantClient
    from qdrant_client.http import models as rest

    path = tmp_path / "evil"
    client = QdrantClient(path=str(path))
    client.create_collection(
        "book", vectors_config=rest.VectorParams(size=768, distance=rest.Distance.COSINE)
    )
    payload = {"chunk": IMU["text"], "page_url": "javascript:alert(5)//", "path": "imu.md"}
    point = rest.PointStruct(id=1, vector=embed_text(IMU["text"], 768), payload=payload)
    client.upsert("book", [point])
    client.close()

    async with app_client(make_settings(qdrant={"path": path})) as app:
        response = await app.post("/chat", json=QUESTION)

    metadata = response.json()["source_nodes"][0]["metadata"]
    assert not {"url", "page_url"} & set(metadata)


@pytest.mark.parametrize("layout", ["langchain", "haystack", "flat"])
def test_chatkit_citations_link_a_foreign_passage(layout: str) -> None:
    from chatkit.types import URLSource
    from qdrant_client.http import models as rest

    from engine.retrieval import passage
    from service.chatkit.server import annotations_for

    payloads = [layout_payload(layout, page) for page in PAGES]
    found = detect_layout(payloads, unconfigured(), "book").layout
    record = rest.Record(id=2, payload=layout_payload(layout, IMU))

    (citation,) = annotations_for("See [1].", [passage(record, 0.9, found, None)], [1])

    assert isinstance(citation.source, URLSource)
    assert (citation.source.url, citation.source.title) == (IMU["url"], IMU["title"])
