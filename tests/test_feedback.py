"""POST /feedback: ratings stored with what the answer was about (SQLite and PostgreSQL),
and `bookchat feedback export` turning down-votes into evaluation cases."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from engine.evaluation import load_dataset
from storage import Database, FeedbackRow, FeedbackStore
from tests.support.errors import assert_error
from tests.support.fake_gemini import FakeGemini
from tests.support.processes import bookchat, service_env
from tests.support.settings import ClientFactory, MakeSettings
from tests.support.sse import parse_events

HISTORY = [
    {"role": "user", "content": "What does the emergency stop button do?"},
    {"role": "assistant", "content": "It cuts motor power [1]."},
]


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'bookchat.db'}"
    return str(request.getfixturevalue("pg_url"))


async def stored(url: str) -> list[FeedbackRow]:
    async with Database.open(url) as database:
        return await FeedbackStore(database).rows()


async def test_rating_of_an_answer_is_stored_with_what_it_was_about(
    app_client: ClientFactory, make_settings: MakeSettings, db_url: str
) -> None:
    async with app_client(make_settings(service={"feedback_db": db_url})) as client:
        answer = await client.post(
            "/chat", json={"message": "And how do I restart it?", "history": HISTORY}
        )
        body = answer.json()
        rated = await client.post(
            "/feedback",
            json={"request_id": body["request_id"], "rating": "down", "comment": "vague"},
        )

    assert rated.status_code == 201
    assert rated.json()["request_id"] == body["request_id"]
    (row,) = await stored(db_url)
    assert row.rating == "down"
    assert row.comment == "vague"
    assert row.question == "And how do I restart it?"
    assert row.history == HISTORY
    assert row.retrieval_query == body["retrieval_query"]
    assert [p["id"] for p in row.passages] == [n["id"] for n in body["source_nodes"]]
    assert row.outcome == "answered"


async def test_rating_of_a_streamed_answer(
    app_client: ClientFactory, make_settings: MakeSettings, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'fb.db'}"
    async with app_client(make_settings(service={"feedback_db": url})) as client:
        stream = await client.post("/chat/stream", json={"message": "What does an IMU measure?"})
        done = parse_events(stream.text)[-1][1]
        rated = await client.post(
            "/feedback", json={"request_id": done["request_id"], "rating": "up"}
        )

    assert rated.status_code == 201
    (row,) = await stored(url)
    assert row.question == "What does an IMU measure?"
    assert row.passages[0]["source"] == "sensors/imu.md"


async def test_with_the_question_log_off_a_client_may_send_what_the_answer_was_about(
    app_client: ClientFactory, make_settings: MakeSettings, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'fb.db'}"
    settings = make_settings(service={"feedback_db": url, "question_log": False})
    async with app_client(settings) as client:
        rated = await client.post(
            "/feedback",
            json={
                "request_id": "answered-by-another-instance",
                "rating": "down",
                "question": "What is ZMP?",
                "passages": [{"id": "p1", "source": "control/advanced/balance.md"}],
            },
        )

    assert rated.status_code == 201
    (row,) = await stored(url)
    assert row.question == "What is ZMP?"
    assert row.passages == [{"id": "p1", "source": "control/advanced/balance.md"}]


@pytest.mark.parametrize(
    "payload",
    [
        {"request_id": "x", "rating": "meh"},
        {"request_id": "", "rating": "up"},
        {"request_id": "bad id!", "rating": "up"},
        {"rating": "up"},
        {"request_id": "x", "rating": "up", "comment": "x" * 2001},
        {"request_id": "x", "rating": "up", "unknown": 1},
    ],
)
async def test_bad_feedback_is_422(client: httpx.AsyncClient, payload: dict[str, object]) -> None:
    assert_error(await client.post("/feedback", json=payload), 422, "invalid_request")


async def test_an_unreachable_feedback_database_is_503(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    url = "postgresql://nobody@127.0.0.1:9/none"
    async with app_client(make_settings(service={"feedback_db": url})) as client:
        chat = await client.post("/chat", json={"message": "IMU"})  # answers do not wait on it
        rated = await client.post("/feedback", json={"request_id": "abc", "rating": "up"})

    assert chat.status_code == 200
    assert_error(rated, 503, "upstream_unavailable")
    assert "nobody" not in rated.text


def test_export_turns_down_votes_into_eval_cases(
    fake: FakeGemini, qdrant_path: Path, tmp_path: Path
) -> None:
    import asyncio

    from engine.types import Turn
    from storage import AnswerRecord

    url = f"sqlite:///{tmp_path / 'fb.db'}"

    async def fill() -> None:
        database = Database.open(url)
        store = FeedbackStore(database)
        about = AnswerRecord(
            question="And how do I restart it?",
            retrieval_query="emergency stop restart",
            history=(Turn("user", "What is the e-stop?"),),
            passages=(("a", "safety/estop.md"), ("b", "safety/estop.md"), ("c", "intro.md")),
        )
        await store.add("r1", "down", "wrong page", about)
        await store.add("r2", "up", None, about)
        await database.aclose()

    asyncio.run(fill())
    out = tmp_path / "cases.jsonl"
    env = {**service_env(fake, qdrant_path), "BOOKCHAT_FEEDBACK_DB": url}
    result = bookchat("feedback", "export", "--out", str(out), env=env)

    assert result.returncode == 0, result.stderr
    assert "wrote 1 down-voted answers" in result.stdout
    (case,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert case["question"] == "And how do I restart it?"
    assert case["expected"] == ["safety/estop.md", "intro.md"]
    assert case["history"] == [{"role": "user", "content": "What is the e-stop?"}]
    assert case["feedback"]["comment"] == "wrong page"
    assert load_dataset(out)[0].history[0].content == "What is the e-stop?"


async def test_demo_page_serves_the_widget(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    script = await client.get("/widget/bookchat-widget.js")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<script src="/widget/bookchat-widget.js"' in page.text
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")


async def test_demo_page_can_be_turned_off(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    async with app_client(make_settings(service={"demo_page": False})) as client:
        assert_error(await client.get("/"), 404, "not_found")
        assert_error(await client.get("/widget/bookchat-widget.js"), 404, "not_found")


async def test_demo_page_needs_no_key_but_the_api_does(
    app_client: ClientFactory, make_settings: MakeSettings
) -> None:
    async with app_client(make_settings(service={"api_keys": "k1"})) as client:
        assert (await client.get("/")).status_code == 200
        assert_error(
            await client.post("/feedback", json={"request_id": "a", "rating": "up"}),
            401,
            "unauthorized",
        )
