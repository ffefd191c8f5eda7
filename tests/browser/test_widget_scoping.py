"""The widget on the versioned, translated site (site/versioned) against a real `bookchat
serve` holding that site's build (the `versioned_template` collection, copied): a question
asked from a 1.0, a French and a `next` page is answered from that version and locale only
(the sources the widget lists link there; the French prompt asks for French), the help link
after "not in the book" and after a thumbs-down, a docs page's `chat_questions` front
matter offered as starter questions, and a spent daily budget (a routed 429)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.support.browser import missing, new_page, serve_static
from tests.support.fake_gemini import FakeGemini
from tests.support.processes import launch, service_env, stop
from tests.support.versioned import EMBED_DIM

if missing():
    pytest.skip(missing() or "", allow_module_level=True)

from playwright.sync_api import Page, Request, Route, expect

pytestmark = pytest.mark.timeout(600)  # the first test may build the site and ingest it

QUESTION = "How do I install the Orbit toolkit?"
HELP_URL = "https://forum.example.org/c/orbit"
HELP_LABEL = "Ask on the Orbit forum"
# site/versioned/docusaurus.config.js: the plugin's own help link, for answers without one.
SITE_HELP_URL = "https://community.example.org/c/orbit"
SITE_HELP_LABEL = "Ask the Orbit community"
# site/versioned/versioned_docs/version-1.0/intro.md's front matter.
PAGE_QUESTIONS = ["How do I install the Orbit toolkit?", "What does Orbit plan?"]


@pytest.fixture(scope="module")
def scoped_site(versioned_site: Path) -> Iterator[str]:
    with serve_static(versioned_site) as origin:
        yield origin


@pytest.fixture(scope="module")
def scoped_service(
    fake_server: FakeGemini,
    versioned_template: Path,
    scoped_site: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """`bookchat serve` on a copy of the versioned collection; CORS allows the static site."""
    folder = tmp_path_factory.mktemp("scoped-service")
    shutil.copytree(versioned_template, folder / "qdrant")
    env = service_env(
        fake_server,
        folder / "qdrant",
        BOOKCHAT_EMBED_DIM=str(EMBED_DIM),
        BOOKCHAT_CORS_ORIGINS=scoped_site,
        BOOKCHAT_HELP_URL=HELP_URL,
        BOOKCHAT_HELP_LABEL=HELP_LABEL,
        BOOKCHAT_FEEDBACK_DB=f"sqlite:///{folder / 'feedback.db'}",
    )
    process, url = launch([], env, folder, wait=60)
    yield url
    stop([process])


@pytest.fixture
def desktop(browser: Any, scoped_service: str, fake: FakeGemini) -> Iterator[Page]:
    page: Page = new_page(
        browser, scoped_service, viewport={"width": 1280, "height": 860}, reduced_motion="reduce"
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


def shot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"))


def panel(page: Page) -> Any:
    return page.get_by_role("dialog", name="Ask the book")


def open_at(page: Page, url: str) -> None:
    page.goto(url)
    page.locator(".bookchat-launcher").click()
    expect(panel(page)).to_be_visible()


def ask(page: Page, text: str) -> Any:
    """Ask `text` and return the finished answer."""
    box = page.get_by_label("Your question")
    box.fill(text)
    box.press("Enter")
    answer = page.locator(".bookchat-answer").last
    expect(answer).to_have_attribute("data-status", "done")
    return answer


def source_paths(answer: Any) -> list[str]:
    links = answer.locator(".bookchat-sources a.bookchat-source-link")
    expect(links.first).to_be_visible()
    return [urlparse(link.get_attribute("href") or "").path for link in links.all()]


def prompt_of(fake: FakeGemini) -> str:
    """The system instruction of the last answer the fake Gemini was asked for."""
    calls = [r for r in fake.requests if r.kind in ("generate", "stream")]
    assert calls, "no answer call"
    return FakeGemini.system_of(calls[-1].body)


# ---------------------------------------------------------------------------- version and locale
@pytest.mark.parametrize(
    ("path", "inside", "outside", "name"),
    [
        ("/docs/1.0/intro/", "/docs/1.0/", (), "30-scoped-1.0"),
        ("/fr/docs/intro/", "/fr/docs/", ("/fr/docs/1.0/", "/fr/docs/next/"), "31-scoped-french"),
        ("/docs/next/intro/", "/docs/next/", (), "32-scoped-next"),
    ],
)
def test_the_sources_listed_belong_to_the_pages_version_and_locale(
    desktop: Page,
    scoped_site: str,
    artifacts: Path,
    path: str,
    inside: str,
    outside: tuple[str, ...],
    name: str,
) -> None:
    open_at(desktop, f"{scoped_site}{path}")

    answer = ask(desktop, QUESTION)

    shot(desktop, artifacts, name)
    paths = source_paths(answer)
    assert paths, "no source listed"
    assert all(p.startswith(inside) and not p.startswith(outside) for p in paths), paths


def test_a_question_from_a_french_page_asks_the_model_for_french(
    desktop: Page, scoped_site: str, fake: FakeGemini
) -> None:
    open_at(desktop, f"{scoped_site}/fr/docs/intro/")

    ask(desktop, "Comment installer Orbit ?")

    assert "write the answer in French" in prompt_of(fake)


def test_a_question_from_an_english_page_names_no_language(
    desktop: Page, scoped_site: str, fake: FakeGemini
) -> None:
    open_at(desktop, f"{scoped_site}/docs/1.0/intro/")

    ask(desktop, QUESTION)

    assert "write the answer in" not in prompt_of(fake)


# ---------------------------------------------------------------------------- the help link
def test_not_in_the_book_offers_the_services_help_link_in_a_new_tab(
    desktop: Page, scoped_site: str, fake: FakeGemini, artifacts: Path
) -> None:
    fake.not_in_book = True
    open_at(desktop, f"{scoped_site}/docs/1.0/intro/")

    answer = ask(desktop, "What is the capital of Peru?")

    expect(answer).to_have_attribute("data-outcome", "not_in_book")
    link = answer.get_by_role("link", name=HELP_LABEL)  # the service's, not the site's
    expect(link).to_have_attribute("href", HELP_URL)
    expect(link).to_have_attribute("target", "_blank")
    link.focus()
    expect(link).to_be_focused()
    shot(desktop, artifacts, "33-not-in-book-help-link")


def test_a_thumbs_down_offers_the_sites_help_link(
    desktop: Page, scoped_site: str, artifacts: Path
) -> None:
    open_at(desktop, f"{scoped_site}/docs/1.0/intro/")
    answer = ask(desktop, QUESTION)
    expect(answer.get_by_role("link", name=SITE_HELP_LABEL)).to_have_count(0)

    answer.get_by_role("button", name="Not helpful").click()

    link = answer.get_by_role("link", name=SITE_HELP_LABEL)
    expect(link).to_have_attribute("href", SITE_HELP_URL)
    expect(link).to_have_attribute("target", "_blank")
    shot(desktop, artifacts, "34-thumbs-down-help-link")


# ---------------------------------------------------------------------------- starter questions
def test_a_pages_chat_questions_are_offered_and_one_click_asks_it(
    desktop: Page, scoped_site: str, artifacts: Path
) -> None:
    sent: list[dict[str, Any]] = []

    def on_request(request: Request) -> None:
        if request.url.endswith("/chat/stream") and request.method == "POST":
            sent.append(request.post_data_json or {})

    desktop.on("request", on_request)
    open_at(desktop, f"{scoped_site}/docs/1.0/intro/")
    starters = panel(desktop).locator(".bookchat-starter")
    expect(starters).to_have_text(PAGE_QUESTIONS)
    shot(desktop, artifacts, "35-starter-questions")

    starters.nth(1).click()

    expect(desktop.locator(".bookchat-answer").last).to_have_attribute("data-status", "done")
    assert sent[-1]["message"] == PAGE_QUESTIONS[1]
    assert sent[-1]["version"] == "1.0"
    shot(desktop, artifacts, "36-starter-question-asked")


def test_a_page_without_chat_questions_offers_none(desktop: Page, scoped_site: str) -> None:
    open_at(desktop, f"{scoped_site}/docs/1.0/intro/")
    expect(panel(desktop).locator(".bookchat-starter")).to_have_count(2)

    # The theme's version dropdown: a client-side navigation to 2.0's page, which has none.
    desktop.locator(".navbar .dropdown", has_text="1.0").hover()
    desktop.locator(".navbar .dropdown__link", has_text="2.0").click()
    expect(desktop).to_have_url(f"{scoped_site}/docs/intro/")

    expect(panel(desktop).locator(".bookchat-starter")).to_have_count(0)


# ---------------------------------------------------------------------------- the day's budget
def test_a_spent_budget_says_todays_limit_and_offers_no_retry(
    desktop: Page, scoped_site: str, scoped_service: str, artifacts: Path
) -> None:
    # The service's 429 as docs/api.md gives it (tests/test_budget.py makes the real one).
    body = '{"error": {"code": "budget_exhausted", "message": "The daily budget is spent."}}'
    cors = {
        "Access-Control-Allow-Origin": scoped_site,
        "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Request-ID",
        "Access-Control-Expose-Headers": "Retry-After, X-Request-ID",
    }

    def refuse(route: Route) -> None:
        if route.request.method == "OPTIONS":
            route.fulfill(status=204, headers=cors, body="")
        else:
            headers = {**cors, "Content-Type": "application/json", "Retry-After": "18000"}
            route.fulfill(status=429, headers=headers, body=body)

    desktop.route(f"{scoped_service}/chat/stream", refuse)
    open_at(desktop, f"{scoped_site}/docs/1.0/intro/")
    box = desktop.get_by_label("Your question")
    box.fill(QUESTION)
    box.press("Enter")

    error = panel(desktop).get_by_role("alert")
    expect(error).to_have_text("The chat has reached today's limit; try again in 5 hours.")
    expect(error.get_by_role("button", name="Retry")).to_have_count(0)
    shot(desktop, artifacts, "37-budget-exhausted")
