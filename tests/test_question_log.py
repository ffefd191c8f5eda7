"""The question log: answers logged (no address), ratings bounded to logged answers (one
per answer), the database file watched, `bookchat report` and `bookchat forget`."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from storage import Database, FeedbackStore, QuestionLog
from storage.tables import questions
from tests.support.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from tests.support.errors import assert_error
from tests.support.fake_gemini import OUTPUT_TOKENS, PROMPT_TOKENS, FakeGemini
from tests.support.processes import bookchat, service_env
from tests.support.question_log import answer, seed
from tests.support.settings import ClientFactory, MakeSettings
from tests.support.sse import parse_events


def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'bookchat.db'}"


async def logged(url: str) -> list[dict[str, object]]:
    async with Database.open(url) as database, database.engine.connect() as conn:
        rows = (await conn.execute(select(questions).order_by(questions.c.id))).mappings()
        return [dict(row) for row in rows]


async def test_an_answer_is_logged_without_the_readers_address(
    app_client: ClientFactory, make_settings: MakeSettings, tmp_path: Path
) -> None:
    url = db_url(tmp_path)
    async with app_client(make_settings(service={"feedback_db": url})) as client:
        body = (await client.post("/chat", json={"message": "What does an IMU measure?"})).json()

    (row,) = await logged(url)
    assert row["request_id"] == body["request_id"]
    assert row["question"] == "What does an IMU measure?"
    assert row["answer"] == body["answer"]
    assert row["outcome"] == "answered"
    cited = [s for s in json.loads(str(row["sources"])) if s["cited"]]
    assert cited[0]["source"] == "sensors/imu.md"
    assert isinstance(row["latency_ms"], int)
    assert (row["tokens_in"], row["tokens_out"]) == (PROMPT_TOKENS, OUTPUT_TOKENS)
    assert "127.0.0.1" not in json.dumps(row, default=str)
    assert len(str(row["reader"])) == 16


async def test_a_streamed_answer_is_logged(
    app_client: ClientFactory, make_settings: MakeSettings, tmp_path: Path
) -> None:
    url = db_url(tmp_path)
    async with app_client(make_settings(service={"feedback_db": url})) as client:
        stream = await client.post("/chat/stream", json={"message": "What does lidar do?"})
        done = parse_events(stream.text)[-1][1]

    (row,) = await logged(url)
    assert (row["request_id"], row["origin"]) == (done["request_id"], "stream")


async def test_the_log_can_be_turned_off(
    app_client: ClientFactory, make_settings: MakeSettings, tmp_path: Path
) -> None:
    url = db_url(tmp_path)
    settings = make_settings(service={"feedback_db": url, "question_log": False})
    async with app_client(settings) as client:
        await client.post("/chat", json={"message": "What does an IMU measure?"})

    assert await logged(url) == []


async def test_a_rating_of_an_answer_never_given_is_404(
    app_client: ClientFactory, make_settings: MakeSettings, tmp_path: Path
) -> None:
    url = db_url(tmp_path)
    async with app_client(make_settings(service={"feedback_db": url})) as client:
        rated = await client.post("/feedback", json={"request_id": "made-up", "rating": "up"})

    assert_error(rated, 404, "not_found")
    async with Database.open(url) as database:
        assert await FeedbackStore(database).rows() == []


async def test_one_rating_per_answer_the_last_wins(
    app_client: ClientFactory, make_settings: MakeSettings, tmp_path: Path
) -> None:
    url = db_url(tmp_path)
    async with app_client(make_settings(service={"feedback_db": url})) as client:
        rid = (await client.post("/chat", json={"message": "IMU"})).json()["request_id"]
        for rating in ("up", "down", "down"):
            await client.post("/feedback", json={"request_id": rid, "rating": rating})
        await client.post("/feedback", json={"request_id": rid, "rating": "up", "comment": "ok"})

    async with Database.open(url) as database:
        (row,) = await FeedbackStore(database).rows()
    assert (row.rating, row.comment) == ("up", "ok")


async def test_a_rating_after_a_restart_carries_the_answers_context(
    app_client: ClientFactory, make_settings: MakeSettings, tmp_path: Path
) -> None:
    settings = make_settings(service={"feedback_db": db_url(tmp_path)})
    async with app_client(settings) as client:
        body = (await client.post("/chat", json={"message": "What does an IMU measure?"})).json()
    async with app_client(settings) as restarted:
        rated = await restarted.post(
            "/feedback", json={"request_id": body["request_id"], "rating": "down"}
        )

    assert rated.status_code == 201
    async with Database.open(db_url(tmp_path)) as database:
        (row,) = await FeedbackStore(database).rows()
    assert row.question == "What does an IMU measure?"
    assert [p["id"] for p in row.passages] == [n["id"] for n in body["source_nodes"]]


async def test_a_rating_past_the_retention_is_404(
    app_client: ClientFactory, make_settings: MakeSettings, tmp_path: Path
) -> None:
    url = db_url(tmp_path)
    await seed(url, [answer("old-one", "What is ZMP?", days_ago=31)])
    async with app_client(make_settings(service={"feedback_db": url})) as client:
        rated = await client.post("/feedback", json={"request_id": "old-one", "rating": "up"})

    assert_error(rated, 404, "not_found")


async def test_a_deleted_database_file_refuses_ratings_and_fails_ready(
    app_client: ClientFactory, make_settings: MakeSettings, tmp_path: Path
) -> None:
    url = db_url(tmp_path)
    async with app_client(make_settings(service={"feedback_db": url})) as client:
        rid = (await client.post("/chat", json={"message": "IMU"})).json()["request_id"]
        for name in os.listdir(tmp_path / "data"):
            os.remove(tmp_path / "data" / name)
        rated = await client.post("/feedback", json={"request_id": rid, "rating": "up"})
        ready = await client.get("/ready")

    assert_error(rated, 503, "upstream_unavailable")
    assert ready.status_code == 503
    assert "was deleted while serving" in ready.json()["reason"]


async def test_purge_deletes_answers_and_ratings_past_the_retention(tmp_path: Path) -> None:
    url = db_url(tmp_path)
    await seed(url, [answer("old", "a", days_ago=40), answer("new", "b", days_ago=1)])
    async with Database.open(url) as database:
        purged = await QuestionLog(database, 30).purge()

    assert purged == (1, 0)
    assert [row["request_id"] for row in await logged(url)] == ["new"]


def seeded_book(url: str) -> None:
    imu = "sensors/imu.md"
    answers = [
        answer("a1", "What does an IMU measure?", cited=[imu], reader="x", tokens=(300, 40, 60)),
        answer("a2", "How is an IMU calibrated?", cited=[imu], latency_ms=200, reader="y"),
        answer("a3", "What is a lidar?", cited=["sensors/lidar.md"], latency_ms=300),
        answer("g1", "How do I bake bread?", outcome="not_in_book", shown=[imu]),
        answer("g2", "How do I bake bread", outcome="not_in_book", latency_ms=500),
        answer("g3", "how do I bake bread?", outcome="not_in_book"),
        answer("g4", "Who won the football match?", outcome="not_in_book"),
        answer("old", "Too old for the window", days_ago=20),
    ]
    ratings = [("a1", "up", None), ("a2", "down", "it missed the gyro")]
    asyncio.run(seed(url, answers, ratings))


def test_report_json_from_a_seeded_database(
    fake: FakeGemini, qdrant_path: Path, tmp_path: Path
) -> None:
    url = db_url(tmp_path)
    seeded_book(url)
    out = tmp_path / "report.json"
    env = {**service_env(fake, qdrant_path), "BOOKCHAT_FEEDBACK_DB": url}

    result = bookchat("report", "--since", "7", "--json", str(out), env=env)

    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert report["questions"] == 7
    assert report["outcomes"] == {"answered": 3, "not_in_book": 4}
    assert report["ratings"] == {"up": 1, "down": 1}
    bread, *others = report["gaps"]
    assert bread["count"] == 3
    assert bread["examples"][0].lower().startswith("how do i bake bread")
    assert sorted(len(gap["examples"]) for gap in others) == [1, 1]
    assert all(gap["nearest_pages"] for gap in report["gaps"])
    (down,) = report["down_voted"]
    assert down == {
        "question": "How is an IMU calibrated?",
        "answer": "An answer [1].",
        "pages": ["sensors/imu.md"],
        "comment": "it missed the gyro",
    }
    assert report["pages"]["most_cited"][0] == {"page": "sensors/imu.md", "count": 2}
    assert "safety/estop.md" in report["pages"]["never_cited"]
    assert "sensors/imu.md" not in report["pages"]["never_cited"]
    (today,) = report["per_day"]
    assert (today["questions"], today["not_in_book"], today["readers"]) == (7, 4, 3)
    assert report["latency_ms"] == {"p50": 100, "p95": 440}


def test_the_report_sets_the_days_tokens_against_the_daily_budget(
    fake: FakeGemini, qdrant_path: Path, tmp_path: Path
) -> None:
    url = db_url(tmp_path)
    seeded_book(url)
    out = tmp_path / "report.json"
    env = {
        **service_env(fake, qdrant_path),
        "BOOKCHAT_FEEDBACK_DB": url,
        "BOOKCHAT_DAILY_TOKEN_BUDGET": "400",
    }

    result = bookchat("report", "--since", "7", "--json", str(out), env=env)

    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    (today,) = report["per_day"]
    assert today["tokens"] == 400
    assert report["budget"] == {
        "daily_token_budget": 400,
        "busiest_day_tokens": 400,
        "days_at_budget": [today["day"]],
    }


def test_forget_deletes_answers_and_ratings_before_a_date(
    fake: FakeGemini, qdrant_path: Path, tmp_path: Path
) -> None:
    url = db_url(tmp_path)
    asyncio.run(seed(url, [answer("old", "a", days_ago=400), answer("new", "b")]))
    env = {**service_env(fake, qdrant_path), "BOOKCHAT_FEEDBACK_DB": url}

    result = bookchat("forget", "--before", "2026-01-01", env=env)

    assert result.returncode == 0, result.stderr
    assert "deleted 1 logged questions" in result.stdout
    assert [row["request_id"] for row in asyncio.run(logged(url))] == ["new"]


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing")
def test_report_page_opens_offline_in_chromium(
    fake: FakeGemini, qdrant_path: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    url = db_url(tmp_path)
    seeded_book(url)
    page_file = tmp_path / "report.html"
    env = {**service_env(fake, qdrant_path), "BOOKCHAT_FEEDBACK_DB": url}
    assert bookchat("report", "--html", str(page_file), env=env).returncode == 0

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.on("request", lambda request: requests.append(request.url))
        page.goto(page_file.as_uri())
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        charts = page.locator("figure svg").count()
        gap_text = page.locator("table").first.inner_text()
        browser.close()

    assert charts == 3
    assert "How do I bake bread?" in gap_text
    assert [r for r in requests if not r.startswith("file:")] == []
