"""The chat widget in a real browser, on the built Docusaurus site, against `bookchat serve`."""

from __future__ import annotations

import asyncio
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from storage import Database, FeedbackRow, FeedbackStore
from tests.support.browser import missing, new_page, standalone_demo
from tests.support.fake_gemini import FakeGemini

if missing():
    pytest.skip(missing() or "", allow_module_level=True)

from playwright.sync_api import Page, Request, Route, expect

IMU = "/docs/sensors/imu"


# ---------------------------------------------------------------------------- helpers
def goto(page: Page, site_url: str, path: str = IMU) -> None:
    page.goto(f"{site_url}{path}")
    expect(launcher(page)).to_be_visible()


def launcher(page: Page) -> Any:
    return page.locator(".bookchat-launcher")


def panel(page: Page) -> Any:
    return page.get_by_role("dialog", name="Ask the book")


def open_panel(page: Page) -> None:
    launcher(page).click()
    expect(panel(page)).to_be_visible()
    expect(page.get_by_label("Your question")).to_be_focused()


def ask(page: Page, question: str) -> None:
    page.get_by_label("Your question").fill(question)
    page.get_by_label("Your question").press("Enter")


def answers(page: Page) -> Any:
    return page.locator(".bookchat-answer")


def wait_done(page: Page, index: int = -1) -> Any:
    answer = answers(page).nth(index) if index >= 0 else answers(page).last
    expect(answer).to_have_attribute("data-status", "done")
    return answer


def chat_requests(page: Page) -> list[dict[str, Any]]:
    """The JSON bodies the page POSTs to /chat/stream, as they are sent."""
    bodies: list[dict[str, Any]] = []

    def on_request(request: Any) -> None:
        if request.url.endswith("/chat/stream") and request.method == "POST":
            bodies.append(request.post_data_json)

    page.on("request", on_request)
    return bodies


def shot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"))


def sse(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


def fulfil(
    route: Route,
    site_url: str,
    status: int,
    body: str,
    content_type: str,
    headers: dict[str, str] | None = None,
) -> None:
    cors = {
        "Access-Control-Allow-Origin": site_url,
        "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Request-ID",
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Expose-Headers": "Retry-After, X-Request-ID",
    }
    if route.request.method == "OPTIONS":
        route.fulfill(status=204, headers=cors, body="")
        return
    route.fulfill(
        status=status, headers={**cors, "Content-Type": content_type, **(headers or {})}, body=body
    )


# ---------------------------------------------------------------------------- answers and sources
def test_ask_streams_the_answer_with_source_links(
    page: Page, site_url: str, artifacts: Path
) -> None:
    sent = chat_requests(page)
    goto(page, site_url)
    open_panel(page)

    ask(page, "What does an IMU measure?")

    answer = wait_done(page)
    expect(answer.locator(".bookchat-md")).to_contain_text("According to")
    links = answer.locator(".bookchat-sources a.bookchat-source-link")
    expect(links.first).to_be_visible()
    assert links.count() >= 1
    href = links.first.get_attribute("href") or ""
    assert href.startswith("/docs/"), href  # same-origin: a site path for client-side navigation
    # the answer's bracketed citation became a link to its source
    expect(answer.locator(".bookchat-md a.bookchat-cite").first).to_be_visible()
    # the widget sent the page (an older backend refusing it is asked again without it)
    assert sent[0]["message"] == "What does an IMU measure?"
    assert sent[0]["page"] == IMU
    # screen readers hear the finished answer once
    expect(page.locator(".bookchat-sr-only")).to_contain_text("Answer: According to")
    shot(page, artifacts, "01-answer-with-sources")


def test_a_source_link_opens_its_page_in_the_same_tab(
    page: Page, site_url: str, artifacts: Path
) -> None:
    goto(page, site_url, "/docs/control/pid")
    page.evaluate("window.__sameDocument = true")
    open_panel(page)
    ask(page, "How does a LiDAR measure distance?")
    answer = wait_done(page)
    link = answer.locator(".bookchat-sources a.bookchat-source-link").first
    target = link.get_attribute("href") or ""

    link.click()

    expect(page).to_have_url(re.compile(re.escape(f"{site_url}{target.split('#')[0]}")))
    assert len(page.context.pages) == 1
    assert page.evaluate("window.__sameDocument === true"), "navigation reloaded the page"
    expect(answers(page).first).to_have_attribute("data-status", "done")  # conversation kept
    shot(page, artifacts, "02-after-source-link")


def test_a_citation_deep_link_scrolls_to_its_section(
    page: Page, site_url: str, service_url: str, artifacts: Path
) -> None:
    """metadata.url with #anchor (what the backend will send) lands on the heading."""
    anchor = "collaborative-operation-isots-15066"
    node = {
        "id": "n1",
        "text": "ISO/TS 15066 …",
        "score": 0.8,
        "metadata": {
            "source": "safety/standards.md",
            "title": "Safety standards",
            "heading": "Collaborative operation: ISO/TS 15066",
            "url": f"{site_url}/docs/safety/standards#{anchor}",
        },
    }
    body = (
        sse("sources", {"source_nodes": [node]})
        + sse("delta", {"delta": "See ISO/TS 15066 [1]."})
        + sse(
            "done",
            {
                "answer": "See ISO/TS 15066 [1].",
                "request_id": "r-deep",
                "outcome": "answered",
                "cited": [1],
            },
        )
    )
    page.route(
        f"{service_url}/chat/stream",
        lambda route: fulfil(route, site_url, 200, body, "text/event-stream"),
    )
    goto(page, site_url)
    open_panel(page)
    ask(page, "Which standard covers collaborative robots?")
    wait_done(page)

    page.locator(".bookchat-md a.bookchat-cite").first.click()

    expect(page).to_have_url(f"{site_url}/docs/safety/standards#{anchor}")
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()
    shot(page, artifacts, "03-deep-link-section")


def test_ask_about_a_selection(page: Page, site_url: str, artifacts: Path) -> None:
    sent = chat_requests(page)
    goto(page, site_url)
    paragraph = page.locator("article p").first
    # select the paragraph's text as a reader would (mouse or touch), then release
    paragraph.evaluate(
        """el => { const r = document.createRange(); r.selectNodeContents(el);
                   const s = getSelection(); s.removeAllRanges(); s.addRange(r);
                   document.dispatchEvent(new PointerEvent('pointerup', {bubbles: true})); }"""
    )
    button = page.get_by_role("button", name="Ask about this")
    expect(button).to_be_visible()
    shot(page, artifacts, "04a-selection-button")

    button.click()

    expect(page.locator(".bookchat-attached")).to_be_visible()
    ask(page, "What does this mean?")
    answer = wait_done(page)
    expect(answer).to_contain_text("About the selected passage")
    selected = paragraph.inner_text().strip()
    assert sent[-1]["selected_text"].strip() == selected
    expect(page.locator(".bookchat-user blockquote")).to_be_visible()
    shot(page, artifacts, "04b-selection-answer")


def test_a_follow_up_sends_the_history(page: Page, site_url: str, artifacts: Path) -> None:
    sent = chat_requests(page)
    goto(page, site_url)
    open_panel(page)
    ask(page, "What does an IMU measure?")
    first = wait_done(page).locator(".bookchat-md").inner_text()

    ask(page, "And why does it drift?")

    second = wait_done(page, 1)
    expect(second).to_contain_text("earlier turns: 2")  # the fake model saw two earlier turns
    history = sent[-1]["history"]
    assert [turn["role"] for turn in history] == ["user", "assistant"]
    assert history[0]["content"] == "What does an IMU measure?"
    assert first.startswith("According to")
    assert history[1]["content"].startswith("According to")
    shot(page, artifacts, "05-follow-up")


def test_stop_mid_stream(page: Page, site_url: str, fake: FakeGemini, artifacts: Path) -> None:
    fake.token_delay = 0.25
    fake.stream_chunks = 60
    goto(page, site_url)
    open_panel(page)
    ask(page, "What does an IMU measure?")
    answer = answers(page).last
    expect(answer).to_have_attribute("data-status", "streaming")
    expect(answer.locator(".bookchat-md")).to_be_visible()
    stop = page.get_by_role("button", name="Stop")

    stop.click()

    expect(answer).to_have_attribute("data-status", "stopped")
    expect(answer).to_contain_text("Stopped.")
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    deadline = time.monotonic() + 5
    while fake.streams_aborted < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert fake.streams_aborted >= 1, "the service kept generating after the reader stopped"
    assert fake.streams_completed == 0
    shot(page, artifacts, "06-stopped")


# ---------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("fault", "status", "text"),
    [
        (429, 429, "Try again in 7 s"),  # the service passes Gemini's retry delay on as Retry-After
        (500, 502, "(502)"),
    ],
)
def test_an_http_error_is_shown_and_retried(
    page: Page, site_url: str, fake: FakeGemini, artifacts: Path, fault: int, status: int, text: str
) -> None:
    fake.fail("embed", fault, times=1)  # retrieval fails: an HTTP error before the stream starts
    goto(page, site_url)
    open_panel(page)
    ask(page, "What does an IMU measure?")
    error = page.locator(".bookchat-error")
    expect(error).to_contain_text(text)
    shot(page, artifacts, f"07-error-{status}")

    error.get_by_role("button", name="Retry").click()

    answer = wait_done(page)
    expect(answer).to_contain_text("According to")
    expect(page.locator(".bookchat-error")).to_have_count(0)


def test_an_error_event_mid_stream_is_shown_and_retried(
    page: Page, site_url: str, fake: FakeGemini, artifacts: Path
) -> None:
    fake.fail("stream", 429, times=1)  # after `sources`: one `error` event
    goto(page, site_url)
    open_panel(page)
    ask(page, "What does an IMU measure?")
    error = page.locator(".bookchat-error")
    expect(error).to_contain_text("The answer was interrupted")
    shot(page, artifacts, "08-error-event")
    error.get_by_role("button", name="Retry").click()
    wait_done(page)


@pytest.mark.parametrize(
    ("status", "text", "headers"),
    [
        (401, "access key (401)", {}),
        (413, "too long (413)", {}),
        (422, "could not accept this question (422)", {}),
        (503, "unavailable right now (503)", {}),
        (504, "took too long (504)", {}),
        (429, "Try again in 30 s", {"Retry-After": "30"}),
    ],
)
def test_every_error_status_of_the_contract_has_a_line_and_a_retry(
    page: Page, site_url: str, service_url: str, status: int, text: str, headers: dict[str, str]
) -> None:
    body = json.dumps({"error": {"code": "x", "message": "detail"}})
    page.route(
        f"{service_url}/chat/stream",
        lambda route: fulfil(route, site_url, status, body, "application/json", headers),
    )
    goto(page, site_url)
    open_panel(page)
    ask(page, "What does an IMU measure?")
    expect(page.locator(".bookchat-error")).to_contain_text(text)
    expect(page.locator(".bookchat-error").get_by_role("button", name="Retry")).to_be_enabled()


def test_network_down_is_shown_and_retried(
    page: Page, site_url: str, service_url: str, artifacts: Path
) -> None:
    page.route(f"{service_url}/chat/stream", lambda route: route.abort("connectionrefused"))
    goto(page, site_url)
    open_panel(page)
    ask(page, "What does an IMU measure?")
    expect(page.locator(".bookchat-error")).to_contain_text("Cannot reach the chat service")
    shot(page, artifacts, "09-network-down")

    page.unroute(f"{service_url}/chat/stream")
    page.locator(".bookchat-error").get_by_role("button", name="Retry").click()
    wait_done(page)


# ---------------------------------------------------------------------------- site integration
def test_dark_mode_follows_the_site(
    browser: Any, service_url: str, site_url: str, fake: FakeGemini, artifacts: Path
) -> None:
    page = new_page(
        browser, service_url, viewport={"width": 1280, "height": 860}, color_scheme="dark"
    )
    try:
        goto(page, site_url)
        root = page.locator(".bookchat-root")
        expect(root).to_have_attribute("data-theme", "dark")
        open_panel(page)
        ask(page, "What does an IMU measure?")
        wait_done(page)
        background = panel(page).evaluate("el => getComputedStyle(el).backgroundColor")
        assert background == "rgb(31, 32, 35)", background
        shot(page, artifacts, "10-dark-mode")
        # the site's own toggle switches the widget too
        page.locator("button[class*='toggleButton']").first.click()
        expect(page.locator("html")).to_have_attribute("data-theme", "light")
        expect(root).to_have_attribute("data-theme", "light")
    finally:
        page.context.close()


def test_navigation_keeps_the_conversation_and_clear_empties_it(
    page: Page, site_url: str, artifacts: Path
) -> None:
    goto(page, site_url)
    open_panel(page)
    ask(page, "What does an IMU measure?")
    wait_done(page)
    page.evaluate("window.__sameDocument = true")

    page.locator("nav a.menu__link", has_text="Lidar").first.click()  # client-side navigation
    expect(page).to_have_url(re.compile(r"/docs/sensors/lidar$"))
    assert page.evaluate("window.__sameDocument === true")
    expect(answers(page)).to_have_count(1)
    expect(panel(page)).to_be_visible()

    page.reload()  # a full load: the conversation comes back from sessionStorage
    expect(panel(page)).to_be_visible()
    expect(answers(page)).to_have_count(1)
    expect(answers(page).first).to_have_attribute("data-status", "done")
    shot(page, artifacts, "11-after-reload")

    page.get_by_role("button", name="Clear").click()
    expect(answers(page)).to_have_count(0)
    page.reload()
    expect(panel(page)).to_be_visible()
    expect(answers(page)).to_have_count(0)


def test_keyboard_shortcut_escape_and_focus(page: Page, site_url: str) -> None:
    goto(page, site_url)
    page.locator("article").click()
    page.keyboard.press("Control+Shift+K")
    expect(panel(page)).to_be_visible()
    expect(page.get_by_label("Your question")).to_be_focused()
    page.keyboard.press("Escape")
    expect(panel(page)).to_be_hidden()
    expect(launcher(page)).to_be_focused()


def test_a_phone_sized_viewport(
    browser: Any, service_url: str, site_url: str, fake: FakeGemini, artifacts: Path
) -> None:
    page = new_page(
        browser,
        service_url,
        viewport={"width": 375, "height": 667},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        reduced_motion="reduce",  # no opening animation: the box is final at once
    )
    try:
        goto(page, site_url)
        shot(page, artifacts, "12a-phone-closed")
        launcher(page).tap()
        expect(panel(page)).to_be_visible()
        box = panel(page).bounding_box()
        assert box is not None
        edges = (box["x"], box["y"], box["width"], box["height"])
        assert tuple(round(v) for v in edges) == (0, 0, 375, 667), box
        ask(page, "What does an IMU measure?")
        wait_done(page)
        shot(page, artifacts, "12b-phone-answer")
        # following a source on a phone closes the full-screen panel to show the page
        page.locator(".bookchat-sources a.bookchat-source-link").first.tap()
        expect(panel(page)).to_be_hidden()
    finally:
        page.context.close()


def test_the_api_key_is_sent_as_a_bearer_token(
    browser: Any, service_url: str, site_url: str, fake: FakeGemini
) -> None:
    context = browser.new_context()
    context.add_init_script(
        f"window.bookchatConfig = {{ backend: {service_url!r}, apiKey: 'pk-public-1' }};"
    )
    page = context.new_page()
    try:
        headers: list[dict[str, str]] = []
        page.on(
            "request",
            lambda r: headers.append(r.headers) if r.url.endswith("/chat/stream") else None,
        )
        goto(page, site_url)
        open_panel(page)
        ask(page, "What does an IMU measure?")
        wait_done(page)
        assert headers
        assert headers[0].get("authorization") == "Bearer pk-public-1"
    finally:
        context.close()


# ---------------------------------------------------------------------------- feedback and outcome
def test_thumbs_reach_the_feedback_endpoint(
    page: Page, site_url: str, service_url: str, artifacts: Path
) -> None:
    posted: list[Any] = []

    def on_request(request: Request) -> None:
        if request.url == f"{service_url}/feedback":
            posted.append(request.post_data_json)

    page.on("request", on_request)
    goto(page, site_url)
    open_panel(page)
    ask(page, "What does an IMU measure?")
    wait_done(page)

    page.get_by_role("button", name="Helpful", exact=True).click()

    expect(page.locator(".bookchat-feedback-state")).not_to_have_text("")
    assert len(posted) == 1
    assert posted[0]["rating"] == "up"
    assert posted[0]["request_id"]
    shot(page, artifacts, "13-feedback")


def test_feedback_is_stored(page: Page, site_url: str, feedback_db: str) -> None:
    goto(page, site_url)
    open_panel(page)
    ask(page, "How is the inertial measurement unit mounted?")
    wait_done(page)
    with page.expect_response(lambda r: r.url.endswith("/feedback")) as response:
        page.get_by_role("button", name="Not helpful").click()
    assert response.value.status == 201
    expect(page.locator(".bookchat-feedback-state")).to_have_text("Thanks for the feedback.")
    request_id = response.value.json()["request_id"]
    # Playwright's sync API runs an event loop of its own: read the store from a thread.
    with ThreadPoolExecutor(1) as pool:
        rows = pool.submit(asyncio.run, feedback_rows(feedback_db)).result()
    (row,) = [row for row in rows if row.request_id == request_id]
    assert row.rating == "down"
    assert row.question == "How is the inertial measurement unit mounted?"
    assert row.passages


async def feedback_rows(url: str) -> list[FeedbackRow]:
    async with Database.open(url) as database:
        return await FeedbackStore(database).rows()


def test_not_in_the_book_from_the_service(
    page: Page, site_url: str, fake: FakeGemini, artifacts: Path
) -> None:
    fake.not_in_book = True  # the model judges the passages do not hold the answer
    goto(page, site_url)
    open_panel(page)
    ask(page, "What is the best recipe for sourdough bread?")
    answer = wait_done(page)
    expect(answer).to_have_attribute("data-outcome", "not_in_book")
    expect(answer.locator(".bookchat-notice")).to_contain_text("Not in the book")
    shot(page, artifacts, "14-not-in-book-service")


def test_the_not_in_the_book_state(
    page: Page, site_url: str, service_url: str, artifacts: Path
) -> None:
    """How the widget shows `outcome: not_in_book` (a synthetic stream, as the contract has it)."""
    body = (
        sse("sources", {"source_nodes": []})
        + sse("delta", {"delta": "The book does not cover sourdough."})
        + sse(
            "done",
            {
                "answer": "The book does not cover sourdough.",
                "request_id": "r-nib",
                "outcome": "not_in_book",
                "cited": [],
            },
        )
    )
    page.route(
        f"{service_url}/chat/stream",
        lambda route: fulfil(route, site_url, 200, body, "text/event-stream"),
    )
    goto(page, site_url)
    open_panel(page)
    ask(page, "What is the best recipe for sourdough bread?")
    answer = wait_done(page)
    expect(answer).to_have_attribute("data-outcome", "not_in_book")
    expect(answer.locator(".bookchat-notice")).to_contain_text("Not in the book")
    expect(page.locator(".bookchat-sr-only")).to_contain_text("Not in the book.")
    shot(page, artifacts, "14-not-in-book")


# ---------------------------------------------------------------------------- standalone build
def test_the_standalone_build_on_a_plain_page(
    browser: Any, service_url: str, site_url: str, fake: FakeGemini, artifacts: Path, tmp_path: Path
) -> None:
    with standalone_demo(browser, service_url, tmp_path) as (page, errors):
        page.goto(f"{site_url}/demo/")
        expect(launcher(page)).to_be_visible()
        page.keyboard.press("Control+Shift+K")
        expect(panel(page)).to_be_visible()
        expect(page.get_by_label("Your question")).to_be_focused()
        ask(page, "What does an IMU measure?")
        answer = wait_done(page)
        expect(answer).to_contain_text("According to")
        expect(page.locator(".bookchat-sr-only")).to_contain_text("Answer: According to")
        page.get_by_role("button", name="Helpful", exact=True).click()
        expect(page.locator(".bookchat-feedback-state")).not_to_have_text("")
        shot(page, artifacts, "15-standalone-demo")
        page.keyboard.press("Escape")
        expect(panel(page)).to_be_hidden()
        expect(launcher(page)).to_be_focused()
        # ask about a selection, then follow the system's dark mode
        page.locator("main p").first.evaluate(
            """el => { const r = document.createRange(); r.selectNodeContents(el);
                       const s = getSelection(); s.removeAllRanges(); s.addRange(r);
                       document.dispatchEvent(new PointerEvent('pointerup', {bubbles: true})); }"""
        )
        page.get_by_role("button", name="Ask about this").click()
        ask(page, "What does this mean?")
        expect(wait_done(page)).to_contain_text("About the selected passage")
        page.emulate_media(color_scheme="dark")
        expect(page.locator(".bookchat-root")).to_have_attribute("data-theme", "dark")
        shot(page, artifacts, "15b-standalone-dark")
        assert not errors, errors
