"""A way on for the reader: `BOOKCHAT_HELP_URL` (and its label) comes with every "not in
the book" answer, on `/chat`, in the stream's `done` event and in ChatKit's notice."""

from __future__ import annotations

import pytest
from chatkit.types import NoticeEvent

from config import Settings, SettingsError
from tests.support.chatkit import stream_events, threads_create
from tests.support.fake_gemini import FakeGemini
from tests.support.settings import ClientFactory, MakeSettings
from tests.support.sse import parse_events

HELP = {"help_url": "https://forum.example/c/book", "help_label": "Ask on the forum"}
QUESTION = {"message": "What is the capital of Peru?"}


async def test_not_in_book_on_chat_carries_the_help_link(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    fake.not_in_book = True
    async with app_client(make_settings(service=HELP)) as client:
        body = (await client.post("/chat", json=QUESTION)).json()

    assert body["outcome"] == "not_in_book"
    assert body["help"] == {"url": HELP["help_url"], "label": HELP["help_label"]}


async def test_an_answer_from_the_book_carries_no_help_link(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    async with app_client(make_settings(service=HELP)) as client:
        body = (await client.post("/chat", json={"message": "What does an IMU measure?"})).json()

    assert body["outcome"] == "answered"
    assert body["help"] is None


async def test_without_a_help_url_not_in_book_has_no_link(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    fake.not_in_book = True
    async with app_client(make_settings()) as client:
        body = (await client.post("/chat", json=QUESTION)).json()

    assert body["outcome"] == "not_in_book"
    assert body["help"] is None


async def test_the_streams_done_event_carries_the_help_link(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    fake.not_in_book = True
    async with app_client(make_settings(service=HELP)) as client:
        response = await client.post("/chat/stream", json=QUESTION)

    done = [data for name, data in parse_events(response.text) if name == "done"]
    assert done[0]["outcome"] == "not_in_book"
    assert done[0]["help"] == {"url": HELP["help_url"], "label": HELP["help_label"]}


async def test_chatkits_not_in_book_notice_links_the_help_page(
    app_client: ClientFactory, make_settings: MakeSettings, fake: FakeGemini
) -> None:
    fake.not_in_book = True
    request = threads_create(QUESTION["message"])
    async with app_client(make_settings(service={"chatkit": "on", **HELP})) as client:
        response = await client.post(
            "/chatkit",
            content=request.model_dump_json(),
            headers={"X-BookChat-User": "ana", "Content-Type": "application/json"},
        )

    events = stream_events(response.text)
    notices = [event for event in events if isinstance(event, NoticeEvent)]
    assert len(notices) == 1
    assert f"[{HELP['help_label']}]({HELP['help_url']})" in notices[0].message


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/x", "data:text/html,x"])
def test_a_help_url_must_be_http_or_a_site_path(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKCHAT_HELP_URL", url)

    with pytest.raises(SettingsError, match="BOOKCHAT_HELP_URL"):
        Settings.load()


def test_a_site_path_is_a_help_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKCHAT_HELP_URL", "/community")

    assert Settings.load().service.help_url == "/community"
