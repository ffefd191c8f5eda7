"""Only http(s) and relative URLs leave the service as a passage's `url`: a collection
another tool wrote may hold any string there, and a client may render it as a link."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from engine.providers import build_models
from engine.retrieval import _dropped_scheme, safe_url
from tests.support.book import write_flat_collection
from tests.support.settings import ClientFactory, MakeSettings
from tests.support.sse import parse_events

EVIL = "javascript:alert(5)//"
IMU = "An IMU measures linear acceleration and angular velocity with accelerometers."


@pytest.mark.parametrize(
    "url",
    [
        EVIL,
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)",
        "java\tscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "http://[::1",
    ],
)
def test_a_url_of_another_scheme_is_dropped(url: str) -> None:
    assert safe_url(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://book.example/sensors/imu#axes",
        "http://book.example/x",
        "/docs/sensors/imu#axes",
        "sensors/imu.html",
        "//book.example/x",
        "#axes",
    ],
)
def test_http_and_relative_urls_are_kept(url: str) -> None:
    assert safe_url(url) == url


async def test_chat_and_stream_return_no_javascript_url_and_log_it_once(
    app_client: ClientFactory,
    make_settings: MakeSettings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = make_settings(qdrant={"path": tmp_path / "flat"})
    models = build_models(settings, with_llm=False)
    try:
        write_flat_collection(
            settings.qdrant.path,
            models.make_embedding(768),
            [
                {"text": IMU, "source": "evil.md", "title": "IMU", "url": EVIL},
                {
                    "text": IMU + " Gyroscopes too.",
                    "source": "imu.md",
                    "title": "IMU",
                    "url": "https://book.example/imu",
                },
            ],
        )
    finally:
        await models.aclose()
    _dropped_scheme.cache_clear()
    question = {"message": "What does an IMU measure?"}

    with caplog.at_level(logging.WARNING, logger="engine.retrieval"):
        async with app_client(settings) as client:
            chat = (await client.post("/chat", json=question)).json()
            stream = await client.post("/chat/stream", json=question)

    (sources,) = [
        data["source_nodes"] for name, data in parse_events(stream.text) if name == "sources"
    ]
    for nodes in (chat["source_nodes"], sources):
        urls = {node["metadata"]["source"]: node["metadata"].get("url") for node in nodes}
        assert urls == {"evil.md": None, "imu.md": "https://book.example/imu"}
    dropped = [r for r in caplog.records if "'javascript'" in r.getMessage()]
    assert len(dropped) == 1
