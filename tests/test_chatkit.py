"""ChatKit (`POST /chatkit`, BOOKCHAT_CHATKIT=on) end to end: the package's own request
types against a real `bookchat serve` (one per module) and the fake Gemini."""

from __future__ import annotations

import asyncio
import logging
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from chatkit.types import (
    AssistantMessageItem,
    ErrorEvent,
    ItemFeedbackParams,
    ItemsFeedbackReq,
    ItemsListParams,
    ItemsListReq,
    NoticeEvent,
    ThreadAddUserMessageParams,
    ThreadCreatedEvent,
    ThreadCreateParams,
    ThreadItemDoneEvent,
    ThreadListParams,
    ThreadsAddUserMessageReq,
    ThreadsCreateReq,
    ThreadsListReq,
    URLSource,
)
from pydantic import BaseModel
from sqlalchemy import select, text

from storage import Database, FeedbackStore
from storage.tables import questions
from tests.support.chatkit import stream_events, threads_create, user_input
from tests.support.fake_gemini import FakeGemini
from tests.support.net import free_port
from tests.support.processes import service_env
from tests.support.settings import ClientFactory, MakeSettings

pytestmark = pytest.mark.e2e


@dataclass
class Served:
    """A `bookchat serve` with ChatKit on, over a SQLite feedback/thread database."""

    fake: FakeGemini
    folder: Path
    url: str = ""
    process: subprocess.Popen[str] | None = None
    logs: list[Path] = field(default_factory=list)

    @property
    def db(self) -> str:
        return f"sqlite:///{self.folder / 'bookchat.db'}"

    def start(self) -> None:
        port = free_port()
        log = self.folder / f"server-{port}.log"
        self.logs.append(log)
        env = service_env(
            self.fake,
            self.folder / "qdrant",
            BOOKCHAT_CHATKIT="on",
            BOOKCHAT_FEEDBACK_DB=self.db,
            BOOKCHAT_DEMO_PAGE="false",
        )
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cli", "serve", "--port", str(port)],
                env=env,
                cwd=self.folder,
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
            )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(log.read_text())
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("bookchat serve did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(15)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(scope="module")
def served(
    fake_server: FakeGemini, book_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("chatkit")
    shutil.copytree(book_template, folder / "qdrant")
    fake_server.reset()
    server = Served(fake_server, folder)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def ck(served: Served, fake: FakeGemini) -> Served:
    """The module's server, with the fake Gemini reset for this test."""
    if served.process is None or served.process.poll() is not None:
        served.start()
    return served


def post(ck: Served, request: BaseModel, user: str = "alice", **kw: Any) -> httpx.Response:
    return httpx.post(
        f"{ck.url}/chatkit",
        content=request.model_dump_json(),
        headers={"X-BookChat-User": user, "Content-Type": "application/json"},
        timeout=30,
        **kw,
    )


def events_of(response: httpx.Response) -> list[Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    return stream_events(response.text)


def create(ck: Served, text: str, user: str = "alice", quoted: str | None = None) -> list[Any]:
    return events_of(post(ck, threads_create(text, quoted), user))


def answer_of(events: list[Any]) -> AssistantMessageItem:
    done = [
        e.item
        for e in events
        if isinstance(e, ThreadItemDoneEvent) and isinstance(e.item, AssistantMessageItem)
    ]
    assert len(done) == 1, events
    item: AssistantMessageItem = done[0]
    return item


def thread_id_of(events: list[Any]) -> str:
    created = events[0]
    assert isinstance(created, ThreadCreatedEvent)
    return created.thread.id


def test_threads_create_streams_the_answer_in_order(ck: Served) -> None:
    events = create(ck, "What does an IMU measure?")

    kinds = [e.type for e in events]
    updates = [e.update.type for e in events if e.type == "thread.item.updated"]
    assert kinds[:4] == ["thread.created", "thread.item.done", "stream_options", "progress_update"]
    assert kinds.index("thread.updated") < kinds.index("thread.item.added")
    # A notice may follow: the fake's answer is no sentence its passage states.
    assert [kind for kind in kinds if kind != "notice"][-1] == "thread.item.done"
    assert updates[0] == "assistant_message.content_part.added"
    assert updates[-1] == "assistant_message.content_part.done"
    assert "assistant_message.content_part.text_delta" in updates
    assert updates.index("assistant_message.content_part.annotation_added") > updates.index(
        "assistant_message.content_part.text_delta"
    )
    deltas = "".join(
        e.update.delta
        for e in events
        if e.type == "thread.item.updated" and e.update.type.endswith("text_delta")
    )
    answer = answer_of(events).content[0]
    assert answer.text == deltas
    assert "[1]" in answer.text
    assert "sensors/imu.md" in answer.text
    source = answer.annotations[0].source
    assert isinstance(source, URLSource)
    assert source.url == "https://book.example/sensors/imu"  # the passage's own page link
    assert source.title == "Inertial measurement units"
    title = next(e for e in events if e.type == "thread.updated").thread.title
    assert title == "What does an IMU measure?"


def test_a_follow_up_uses_the_thread_history(ck: Served, fake: FakeGemini) -> None:
    thread_id = thread_id_of(create(ck, "What does an IMU measure?"))
    assert fake.of_kind("condense") == []

    request = ThreadsAddUserMessageReq(
        params=ThreadAddUserMessageParams(thread_id=thread_id, input=user_input("And its drift?"))
    )
    events = events_of(post(ck, request))

    assert "earlier turns: 2" in answer_of(events).content[0].text
    assert len(fake.of_kind("condense")) == 1


def test_quoted_text_reaches_the_prompt(ck: Served) -> None:
    events = create(ck, "Explain this", quoted="gyroscopes measure angular velocity")

    assert "About the selected passage (gyroscopes measure" in answer_of(events).content[0].text


def test_threads_and_items_survive_a_restart_and_users_are_isolated(ck: Served) -> None:
    thread_id = thread_id_of(create(ck, "What is odometry?", user="carol"))

    ck.restart()

    listed = post(ck, ThreadsListReq(params=ThreadListParams()), user="carol").json()
    assert thread_id in [thread["id"] for thread in listed["data"]]
    items = post(
        ck, ItemsListReq(params=ItemsListParams(thread_id=thread_id, order="asc")), user="carol"
    ).json()
    assert [item["type"] for item in items["data"]] == ["user_message", "assistant_message"]

    others = post(ck, ThreadsListReq(params=ThreadListParams()), user="dave").json()
    assert thread_id not in [thread["id"] for thread in others["data"]]
    foreign = ThreadsAddUserMessageReq(
        params=ThreadAddUserMessageParams(thread_id=thread_id, input=user_input("hi"))
    )
    assert post(ck, foreign, user="dave").status_code == 404
    assert (
        post(ck, ItemsListReq(params=ItemsListParams(thread_id=thread_id)), "dave").json()["data"]
        == []
    )


@pytest.mark.parametrize(("status", "retry"), [(429, True), (502, False)])
def test_upstream_errors_become_error_events(
    ck: Served, fake: FakeGemini, status: int, retry: bool
) -> None:
    fake.fail("stream", status, times=1)

    events = create(ck, "What does an IMU measure?")

    error = events[-1]
    assert isinstance(error, ErrorEvent), events
    assert error.allow_retry is retry
    assert error.message
    assert not any(
        isinstance(e, ThreadItemDoneEvent) and isinstance(e.item, AssistantMessageItem)
        for e in events
    )


def test_not_in_book_is_a_notice(ck: Served, fake: FakeGemini) -> None:
    fake.not_in_book = True

    events = create(ck, "What is the capital of Peru?")

    notice = events[-1]
    assert isinstance(notice, NoticeEvent)
    assert notice.level == "info"
    assert answer_of(events).content[0].text


def test_a_disconnect_mid_answer_stops_the_upstream(ck: Served, fake: FakeGemini) -> None:
    fake.token_delay = 0.1
    fake.stream_chunks = 100
    request = threads_create("IMU")
    with httpx.stream(
        "POST",
        f"{ck.url}/chatkit",
        content=request.model_dump_json(),
        headers={"X-BookChat-User": "alice"},
        timeout=30,
    ) as response:
        for line in response.iter_lines():
            if "text_delta" in line:
                break

    fake.wait_for_abort()
    assert fake.streams_aborted == 1
    assert fake.streams_completed == 0
    assert fake.chunks_sent < 100


async def test_items_feedback_lands_in_the_feedback_store(ck: Served) -> None:
    events = create(ck, "What does an IMU measure?", user="erin")
    thread_id, item = thread_id_of(events), answer_of(events)
    user_item = events[1].item.id

    request = ItemsFeedbackReq(
        params=ItemFeedbackParams(
            thread_id=thread_id, item_ids=[item.id, user_item], kind="negative"
        )
    )
    response = post(ck, request, user="erin")
    assert response.status_code == 200
    assert post(ck, request, user="frank").status_code == 404

    async with Database.open(ck.db) as database:
        rows = [row for row in await FeedbackStore(database).rows() if row.request_id == item.id]
    assert len(rows) == 1
    row = rows[0]
    assert (row.rating, row.origin, row.user_id) == ("down", "chatkit", "erin")
    assert row.question == "What does an IMU measure?"
    assert row.passages
    assert row.retrieval_query


async def test_a_chatkit_answer_is_in_the_question_log(ck: Served) -> None:
    item = answer_of(create(ck, "What does a lidar measure?", user="quinn"))

    found: list[Any] = []
    deadline = time.monotonic() + 15  # written off the request path, within a moment
    while not found and time.monotonic() < deadline:
        async with Database.open(ck.db) as database, database.engine.connect() as conn:
            query = select(questions).where(questions.c.request_id == item.id)
            found = list((await conn.execute(query)).mappings())
        await asyncio.sleep(0.1)

    (row,) = found
    assert (row["origin"], row["question"]) == ("chatkit", "What does a lidar measure?")
    assert row["reader"] != "quinn"


def assert_error_body(response: httpx.Response, status: int, code: str) -> None:
    """The service's one error body, `{"error": {"code", "message"}}`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]


@pytest.mark.parametrize("limit", [-5, 0, 101, 10**30])
def test_a_page_limit_out_of_bounds_is_422(ck: Served, limit: int) -> None:
    threads = ThreadsListReq(params=ThreadListParams(limit=limit))
    items = ItemsListReq(params=ItemsListParams(thread_id="thr_x", limit=limit))

    assert_error_body(post(ck, threads), 422, "invalid_request")
    assert_error_body(post(ck, items), 422, "invalid_request")


def test_an_attachment_is_400_before_any_stream_and_stores_nothing(ck: Served) -> None:
    message = user_input("What does an IMU measure?").model_copy(update={"attachments": ["atc_1"]})
    request = ThreadsCreateReq(params=ThreadCreateParams(input=message))

    assert_error_body(post(ck, request, user="gina"), 400, "unsupported_request")
    listed = post(ck, ThreadsListReq(params=ThreadListParams()), user="gina").json()
    assert listed["data"] == []


async def test_an_unwritable_database_is_503_before_the_stream(
    app_client: ClientFactory, make_settings: MakeSettings, tmp_path: Path
) -> None:
    path = tmp_path / "bookchat.db"
    async with Database.open(f"sqlite:///{path}") as database:
        await database.upgrade()
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    settings = make_settings(service={"chatkit": "on", "feedback_db": read_only})
    request = threads_create("IMU")

    async with app_client(settings) as client:
        response = await client.post(
            "/chatkit", content=request.model_dump_json(), headers={"X-BookChat-User": "hana"}
        )

    assert_error_body(response, 503, "upstream_unavailable")


async def test_a_storage_failure_after_the_stream_started_is_an_error_event(
    app_client: ClientFactory, make_settings: MakeSettings, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'bookchat.db'}"
    async with Database.open(url) as database:
        await database.upgrade()
        async with database.engine.begin() as conn:  # the thread is stored, its items fail
            await conn.execute(text("DROP TABLE chatkit_items"))
    settings = make_settings(service={"chatkit": "on", "feedback_db": url})
    request = threads_create("IMU")

    async with app_client(settings) as client:
        response = await client.post(
            "/chatkit", content=request.model_dump_json(), headers={"X-BookChat-User": "ines"}
        )

    events = events_of(response)
    assert isinstance(events[0], ThreadCreatedEvent)
    error = events[-1]
    assert isinstance(error, ErrorEvent)
    assert error.allow_retry is True
    assert error.message == "the database is unavailable"


def test_the_user_header_is_required(ck: Served) -> None:
    request = ThreadsListReq(params=ThreadListParams())
    response = httpx.post(f"{ck.url}/chatkit", content=request.model_dump_json(), timeout=10)
    assert response.status_code == 400
    assert post(ck, request).status_code == 200


async def test_chatkit_is_absent_when_off(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    async with app_client(make_settings()) as client:
        assert (await client.post("/chatkit", json={})).status_code == 404


async def test_a_missing_package_leaves_the_service_up(
    app_client: ClientFactory,
    make_settings: MakeSettings,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setitem(sys.modules, "chatkit", None)
    monkeypatch.setitem(sys.modules, "service.chatkit.server", None)
    caplog.set_level(logging.WARNING, logger="service.chatkit")

    async with app_client(make_settings(service={"chatkit": "on"})) as client:
        assert (await client.get("/health")).status_code == 200
        assert (await client.post("/chatkit", json={})).status_code == 404

    warnings = [r.getMessage() for r in caplog.records if r.name == "service.chatkit"]
    assert len(warnings) == 1
    assert "pip install '.[chatkit]'" in warnings[0]


def test_annotations_link_the_cited_passages_with_their_anchor() -> None:
    from engine.types import Source
    from service.chatkit.server import annotations_for

    sources = [
        Source("p1", "...", 0.9, {"url": "https://b.example/a#x", "title": "A", "heading": "X"}),
        Source("p2", "...", 0.8, {"url": "https://b.example/b", "anchor": "y", "title": "B"}),
        Source("p3", "...", 0.7, {"source": "c.md", "title": "C"}),
    ]

    found = annotations_for("See [2] and [1], [3] and [9].", sources, [2, 1, 3, 9])

    assert [a.source.type for a in found] == ["url", "url", "file"]
    first, second = found[0].source, found[1].source
    assert isinstance(first, URLSource)
    assert isinstance(second, URLSource)
    assert (first.url, first.title) == ("https://b.example/b#y", "B")
    assert (second.url, second.title, second.description) == ("https://b.example/a#x", "A", "X")
    assert found[0].index == len("See [2]")
