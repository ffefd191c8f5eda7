"""Answers in the reader's version and language, on the versioned test site's build
(site/versioned: 1.0, 2.0 = lastVersion, next; en = default, fr), ingested once per session:
`/chat`, `/chat/stream` and `/chatkit` against the fake Gemini, the prompt it was sent, the
page's URL forms, `bookchat eval --version --locale`. The test book (no versions, no
locales) is answered as before."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from cli.evaluate import run_eval_command
from config import Settings
from engine import BookAssistant, retrieval
from engine.answering import language_of
from engine.errors import UnknownScope
from engine.evaluation import Question, select_questions
from engine.ingestion import IngestOptions, Ingestor
from engine.ingestion.build import read_build
from engine.types import ChatQuery
from tests.support.chatkit import threads_create
from tests.support.fake_gemini import FakeGemini
from tests.support.settings import ClientFactory, settings_for
from tests.support.sse import parse_events
from tests.support.versioned import EMBED_DIM, ORIGIN, ingest_build

pytestmark = pytest.mark.timeout(600)  # the first test may build the site and ingest it

QUESTION = "How do I install the Orbit toolkit?"
Open = Callable[..., Any]


@pytest.fixture
def versioned(
    fake: FakeGemini, versioned_template: Path, tmp_path: Path
) -> Callable[..., Settings]:
    """`versioned(**groups)`: settings over a private copy of the versioned collection."""
    path = tmp_path / "qdrant"
    shutil.copytree(versioned_template, path)

    def make(**groups: dict[str, Any]) -> Settings:
        return settings_for(fake.base_url, path, gemini={"embed_dim": EMBED_DIM}, **groups)

    return make


@pytest.fixture
def open_client(
    app_client: ClientFactory, versioned: Callable[..., Settings]
) -> Callable[..., Any]:
    @asynccontextmanager
    async def opened(**groups: dict[str, Any]) -> AsyncIterator[httpx.AsyncClient]:
        async with app_client(versioned(**groups)) as client:
            yield client

    return opened


async def ask(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await client.post("/chat", json={"message": QUESTION, **body})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    assert result["source_nodes"], "no passage"
    return result


def scopes(nodes: list[dict[str, Any]]) -> set[tuple[str | None, str | None]]:
    """(version, locale) of each passage."""
    return {(n["metadata"].get("version"), n["metadata"].get("locale")) for n in nodes}


def sources(nodes: list[dict[str, Any]]) -> list[str]:
    return [str(n["metadata"]["source"]) for n in nodes]


def prompt_of(fake: FakeGemini) -> str:
    """The system instruction of the last answer sent upstream (whole or streamed)."""
    calls = [r for r in fake.requests if r.kind in ("generate", "stream")]
    assert calls, "no answer call"
    return FakeGemini.system_of(calls[-1].body)


def prompt_sources(fake: FakeGemini) -> set[str]:
    return set(re.findall(r"^\[\d+\] source: (\S+)$", prompt_of(fake), re.M))


# ---------------------------------------------------------------- what the build says
def test_the_build_marks_the_latest_version_and_the_default_locale(versioned_site: Path) -> None:
    marks = {
        page.source: (dict(page.fields)["latest"], dict(page.fields)["default_locale"])
        for page in read_build(versioned_site)
    }

    assert marks["/docs/intro/"] == (True, True)  # 2.0, lastVersion
    assert marks["/docs/1.0/intro/"] == (False, True)
    assert marks["/docs/next/intro/"] == (False, True)
    assert marks["/fr/docs/intro/"] == (True, False)
    assert marks["/fr/docs/next/intro/"] == (False, False)
    assert marks["/blog/2024/03/01/first-light/"] == (True, True)  # no version: current


def test_a_build_of_an_older_version_only_has_no_latest_version(
    versioned_site: Path, tmp_path: Path
) -> None:
    shutil.copytree(versioned_site / "docs" / "1.0", tmp_path / "docs" / "1.0")

    pages = read_build(tmp_path)

    assert pages
    assert {dict(page.fields)["latest"] for page in pages} == {False}  # 1.0 has a banner


def test_without_banners_the_latest_version_is_the_one_served_without_its_name(
    tmp_path: Path,
) -> None:
    # Versions with `banner: 'none'`: only the URL shape tells (/docs/x/ vs /docs/1.0/x/).
    for folder, version in (("docs/1.0/a", "1.0"), ("docs/a", "2.0"), ("docs/next/a", "current")):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "index.html").write_text(
            '<html class="docs-doc-page"><head><meta name="generator" content="Docusaurus v3">'
            f'<meta property="og:url" content="{ORIGIN}/{folder}/">'
            f'<meta name="docusaurus_version" content="{version}">'
            '<meta name="docusaurus_locale" content="en">'
            f'<meta name="docusaurus_tag" content="docs-default-{version}">'
            "</head><body><article><h1>A</h1><p>Text.</p></article></body></html>"
        )

    latest = {dict(p.fields)["version"]: dict(p.fields)["latest"] for p in read_build(tmp_path)}

    assert latest == {"1.0": False, "2.0": True, "current": False}


# ---------------------------------------------------------------- /chat
async def test_a_question_from_a_1_0_page_is_answered_from_1_0_passages_only(
    open_client: Open,
) -> None:
    async with open_client() as client:
        result = await ask(client, page="/docs/1.0/intro/")

    assert scopes(result["source_nodes"]) == {("1.0", "en")}
    assert "/docs/1.0/intro/" in sources(result["source_nodes"])


async def test_a_question_from_a_french_page_is_answered_from_french_passages_only(
    open_client: Open,
) -> None:
    async with open_client() as client:
        result = await ask(client, page="/fr/docs/intro/")

    assert scopes(result["source_nodes"]) == {("2.0", "fr")}


async def test_the_prompt_from_a_french_page_asks_for_an_answer_in_french(
    open_client: Open, fake: FakeGemini
) -> None:
    async with open_client() as client:
        await ask(client, page="/fr/docs/intro/")

    assert "write the answer in French" in prompt_of(fake)
    assert {s.startswith("/fr/") for s in prompt_sources(fake)} == {True}


async def test_the_prompt_from_an_english_page_names_no_language(
    open_client: Open, fake: FakeGemini
) -> None:
    async with open_client() as client:
        await ask(client, page="/docs/1.0/intro/")

    assert "write the answer in" not in prompt_of(fake)


async def test_no_page_is_answered_from_the_latest_version_in_the_default_locale(
    open_client: Open,
) -> None:
    async with open_client() as client:
        result = await ask(client, top_k=10)

    # 2.0 (lastVersion) and pages of no version (blog posts); never next, never 1.0.
    assert scopes(result["source_nodes"]) <= {("2.0", "en"), (None, "en")}
    assert "/docs/intro/" in sources(result["source_nodes"])


async def test_an_explicit_version_and_locale_win_over_the_page(open_client: Open) -> None:
    async with open_client() as client:
        result = await ask(client, page="/docs/1.0/intro/", version="current", locale="fr")

    assert scopes(result["source_nodes"]) == {("current", "fr")}


async def test_an_explicit_version_alone_is_answered_in_the_default_locale(
    open_client: Open,
) -> None:
    async with open_client() as client:
        result = await ask(client, version="1.0")

    assert scopes(result["source_nodes"]) == {("1.0", "en")}


async def test_a_filter_on_version_replaces_the_latest_default(open_client: Open) -> None:
    async with open_client() as client:
        result = await ask(client, filters={"version": ["1.0", "current"]})

    assert {version for version, _ in scopes(result["source_nodes"])} <= {"1.0", "current"}


async def test_an_unknown_version_is_422_naming_the_known_ones(open_client: Open) -> None:
    async with open_client() as client:
        response = await client.post("/chat", json={"message": QUESTION, "version": "3.0"})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["message"] == (
        "unknown version '3.0': the collection holds 1.0, 2.0 (latest), current"
    )


async def test_an_unknown_locale_is_422_naming_the_known_ones(open_client: Open) -> None:
    async with open_client() as client:
        response = await client.post("/chat", json={"message": QUESTION, "locale": "de"})

    assert response.status_code == 422
    assert response.json()["error"]["message"] == (
        "unknown locale 'de': the collection holds en (default), fr"
    )


async def test_passages_carry_their_version_and_locale(open_client: Open) -> None:
    async with open_client() as client:
        result = await ask(client, page="/fr/docs/1.0/intro/")

    metadata = result["source_nodes"][0]["metadata"]
    assert (metadata["version"], metadata["locale"]) == ("1.0", "fr")


# ---------------------------------------------------------------- /chat/stream
async def test_the_stream_is_answered_from_the_pages_version_and_locale(
    open_client: Open, fake: FakeGemini
) -> None:
    async with open_client() as client:
        response = await client.post(
            "/chat/stream", json={"message": QUESTION, "page": "/fr/docs/1.0/intro/"}
        )

    events = parse_events(response.text)
    assert [name for name, _ in events][-1] == "done"
    assert scopes(events[0][1]["source_nodes"]) == {("1.0", "fr")}
    assert "write the answer in French" in prompt_of(fake)


async def test_the_stream_refuses_an_unknown_locale_before_it_starts(open_client: Open) -> None:
    async with open_client() as client:
        response = await client.post("/chat/stream", json={"message": QUESTION, "locale": "de"})

    assert response.status_code == 422
    assert "en (default), fr" in response.json()["error"]["message"]


# ---------------------------------------------------------------- /chatkit
def chatkit_request(text: str) -> str:
    return threads_create(text).model_dump_json()


async def test_chatkit_answers_from_the_version_and_locale_headers(
    open_client: Open, fake: FakeGemini, tmp_path: Path
) -> None:
    db = {"chatkit": "on", "feedback_db": f"sqlite:///{tmp_path / 'bookchat.db'}"}
    async with open_client(service=db) as client:
        response = await client.post(
            "/chatkit",
            content=chatkit_request(QUESTION),
            headers={
                "X-BookChat-User": "ana",
                "X-BookChat-Page": "/docs/intro/",
                "X-BookChat-Version": "1.0",
                "X-BookChat-Locale": "fr",
            },
        )

    assert response.status_code == 200, response.text
    assert '"thread.item.done"' in response.text
    found = prompt_sources(fake)
    assert {s.startswith("/fr/docs/1.0/") for s in found} == {True}
    assert "write the answer in French" in prompt_of(fake)


async def test_chatkit_refuses_an_unknown_version_header_with_422(
    open_client: Open, tmp_path: Path
) -> None:
    db = {"chatkit": "on", "feedback_db": f"sqlite:///{tmp_path / 'bookchat.db'}"}
    async with open_client(service=db) as client:
        response = await client.post(
            "/chatkit",
            content=chatkit_request(QUESTION),
            headers={"X-BookChat-User": "ana", "X-BookChat-Version": "9.9"},
        )

    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("unknown version '9.9'")


async def test_a_version_ingested_while_serving_is_learnt_when_asked_for(
    fake: FakeGemini, versioned_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = tmp_path / "build"
    shutil.copytree(versioned_site / "docs" / "1.0" / "intro", build / "docs" / "1.0" / "intro")
    settings = settings_for(fake.base_url, tmp_path / "qdrant", gemini={"embed_dim": EMBED_DIM})
    ingest_build(settings, build)
    engine = await BookAssistant.open(settings, require_collection=True)
    try:
        with pytest.raises(UnknownScope):
            await engine.check_scope("2.0", None)
        # A re-ingestion while serving (here through the engine's own client: the embedded
        # folder admits one), with a 2.0 page.
        shutil.copytree(versioned_site / "docs" / "intro", build / "docs" / "intro")
        models = replace(engine.models, closers=[])
        await Ingestor(settings, IngestOptions(folder=build), engine.client, lambda: models).run()
        monkeypatch.setattr(retrieval, "RELEARN_SECONDS", 0.0)

        await engine.check_scope("2.0", None)  # no UnknownScope
    finally:
        await engine.aclose()


# ---------------------------------------------------------------- the page's forms
async def test_a_page_is_recognised_in_every_form_the_site_serves(
    versioned: Callable[..., Settings],
) -> None:
    forms = {
        "/docs/1.0/intro/": "/docs/1.0/intro/",
        "/docs/1.0/intro": "/docs/1.0/intro/",
        "docs/1.0/intro/": "/docs/1.0/intro/",
        f"{ORIGIN}/docs/1.0/intro/": "/docs/1.0/intro/",
        f"{ORIGIN}/docs/1.0/intro#install-the-toolkit": "/docs/1.0/intro/",
        "/docs/1.0/intro/?tab=linux#install-the-toolkit": "/docs/1.0/intro/",
        "/docs/1.0/intro/index.html": "/docs/1.0/intro/",
        "/docs/1.0/intro/Second Part": "/docs/1.0/intro/Second%20Part/",
        "/docs/1.0/intro/Second%20Part/": "/docs/1.0/intro/Second%20Part/",
        "/fr/docs/1.0/intro": "/fr/docs/1.0/intro/",
        "http://localhost:3000/fr/docs/intro/": "/fr/docs/intro/",
    }
    engine = await BookAssistant.open(versioned(), require_collection=True)
    try:
        pipeline = await engine.attach()
        found = {
            form: (await pipeline.scope(ChatQuery(message="", page=form)))[0] for form in forms
        }
    finally:
        await engine.aclose()

    assert found == forms


# ---------------------------------------------------------------- bookchat eval
def test_eval_selects_the_cases_of_a_version_and_asks_the_others_in_it() -> None:
    cases = [
        Question("a", ("x",), version="1.0"),
        Question("b", ("x",), version="2.0"),
        Question("c", ("x",)),
        Question("d", ("x",), version="1.0", locale="fr"),
    ]

    chosen = select_questions(cases, version="1.0", locale="en")

    assert [(q.question, q.version, q.locale) for q in chosen] == [
        ("a", "1.0", "en"),
        ("c", "1.0", "en"),
    ]


def test_eval_retrieves_each_case_in_its_version(
    versioned: Callable[..., Settings], tmp_path: Path
) -> None:
    dataset = tmp_path / "cases.jsonl"
    dataset.write_text(
        "\n".join(
            json.dumps(case)
            for case in [
                {"question": QUESTION, "expected": ["/docs/1.0/intro/"], "version": "1.0"},
                {"question": QUESTION, "expected": ["/fr/docs/intro/"], "locale": "fr"},
                {"question": QUESTION, "expected": ["/docs/next/intro/"], "version": "current"},
            ]
        )
    )
    report = tmp_path / "run.json"
    argv = [str(dataset), "--version", "1.0", "--json", str(report), "--k", "5"]

    assert run_eval_command(versioned(), argv) == 0

    run = json.loads(report.read_text())
    ranked = [[row["source"] for row in q["ranked"]] for q in run["questions"]]
    assert run["config"]["version"] == "1.0"
    assert len(ranked) == 2  # the 1.0 case and the French one (asked in 1.0), not next's
    assert all(s.startswith("/docs/1.0/") for s in ranked[0])
    assert all(s.startswith("/fr/docs/1.0/") for s in ranked[1])


# ---------------------------------------------------------------- other collections
async def test_a_collection_without_versions_ignores_version_and_locale(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/chat",
        json={"message": "How do I calibrate the IMU?", "version": "9.9", "locale": "de"},
    )

    assert response.status_code == 200, response.text
    assert response.json()["source_nodes"]


def test_the_language_of_a_locale() -> None:
    assert [language_of(x) for x in ("fr", "pt-BR", "zh-Hans", "en", "en-US", None, "tlh")] == [
        "French",
        "Portuguese (pt-BR)",
        "Chinese (zh-Hans)",
        None,
        None,
        None,
        "the language of the locale tlh",
    ]
