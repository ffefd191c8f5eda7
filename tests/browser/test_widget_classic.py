"""The widget on the classic theme of a versioned, translated site (site/versioned, built by
`make versioned-site`): it sends the page's docs version and locale, keeps clear of the
theme's back-to-top button and pagination (desktop and a 390 px phone), lets the site's
search modal (DocSearch, Ctrl+K) open above its panel, leaves Esc to the page unless the
focus is in the panel, and names a service that refuses this site with the setting to
check. Answers come from a routed fake service (the request is what is checked); the
refusing service is the session's real `bookchat serve`, whose CORS list does not hold
this site's origin."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import VERSIONED_BUILD, missing, serve_static

if missing() or not (VERSIONED_BUILD / "docs" / "1.0" / "intro" / "index.html").exists():
    pytest.skip(
        missing() or "site/versioned/build is missing (make versioned-site)",
        allow_module_level=True,
    )

from playwright.sync_api import Page, Route, expect

# The routed fake service: never reached over the network, Playwright answers for it.
FAKE_BACKEND = "http://bookchat.invalid"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def versioned_url() -> Iterator[str]:
    with serve_static(VERSIONED_BUILD) as origin:
        yield origin


def sse(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


ANSWER = (
    sse("sources", {"source_nodes": []})
    + sse("delta", {"delta": "Version 1.0 tracks one target."})
    + sse(
        "done",
        {
            "answer": "Version 1.0 tracks one target.",
            "request_id": "r1",
            "outcome": "answered",
            "cited": [],
        },
    )
)


class FakeService:
    """Answers /chat/stream for FAKE_BACKEND and keeps the JSON bodies it was sent."""

    def __init__(self, page: Page, origin: str) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.origin = origin
        page.route(f"{FAKE_BACKEND}/**", self.handle)

    def handle(self, route: Route) -> None:
        cors = {
            "Access-Control-Allow-Origin": self.origin,
            "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Request-ID",
            "Access-Control-Allow-Methods": "POST, OPTIONS",
        }
        if route.request.method == "OPTIONS":
            route.fulfill(status=204, headers=cors, body="")
            return
        body = route.request.post_data_json
        assert isinstance(body, dict)
        self.bodies.append(body)
        route.fulfill(
            status=200, headers={**cors, "Content-Type": "text/event-stream"}, body=ANSWER
        )


def new_page(browser: Any, backend: str, viewport: dict[str, int], **extra: Any) -> Page:
    context = browser.new_context(viewport=viewport, reduced_motion="reduce", **extra)
    context.add_init_script(f"window.bookchatConfig = {{ backend: {backend!r} }};")
    page: Page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def desktop(browser: Any) -> Iterator[Page]:
    page = new_page(browser, FAKE_BACKEND, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture(params=["desktop", "phone"])
def any_screen(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[str, Page]]:
    if request.param == "desktop":
        page = new_page(browser, FAKE_BACKEND, DESKTOP)
    else:
        page = new_page(browser, FAKE_BACKEND, PHONE, is_mobile=True, has_touch=True)
    yield request.param, page
    page.context.close()


def goto(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".bookchat-launcher")).to_be_visible()


def panel(page: Page) -> Any:
    return page.get_by_role("dialog", name="Ask the book")


def question(page: Page) -> Any:
    return page.get_by_label("Your question")


def open_panel(page: Page) -> None:
    page.locator(".bookchat-launcher").click()
    expect(panel(page)).to_be_visible()
    expect(question(page)).to_be_focused()


def shot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"))


# The launcher's box against a page control's, in the browser (viewport coordinates).
OVERLAP_JS = """
(selector) => {
  const launcher = document.querySelector('.bookchat-launcher').getBoundingClientRect();
  const boxes = [...document.querySelectorAll(selector)].map((el) => el.getBoundingClientRect());
  return boxes.some((b) => b.width > 0 && b.height > 0 &&
    b.left < launcher.right && b.right > launcher.left &&
    b.top < launcher.bottom && b.bottom > launcher.top);
}
"""


def overlaps(page: Page, selector: str) -> bool:
    return bool(page.evaluate(OVERLAP_JS, selector))


def make_long(page: Page) -> None:
    """The test pages are short: lengthen the article so the page scrolls like a real one."""
    page.evaluate(
        "() => { const d = document.createElement('div'); d.style.height = '2400px';"
        " document.querySelector('article .markdown').append(d); }"
    )


# ---------------------------------------------------------------------------- version and locale
@pytest.mark.parametrize(
    ("path", "version", "locale", "name"),
    [
        ("/docs/1.0/intro/", "1.0", "en", "20-version-1.0"),
        ("/fr/docs/1.0/intro/", "1.0", "fr", "21-french-1.0"),
        ("/docs/next/intro/", "current", "en", "22-version-next"),
        ("/blog/", None, "en", "23-blog-locale-only"),
    ],
)
def test_the_question_carries_the_pages_version_and_locale(
    desktop: Page,
    versioned_url: str,
    artifacts: Path,
    path: str,
    version: str | None,
    locale: str,
    name: str,
) -> None:
    service = FakeService(desktop, versioned_url)
    goto(desktop, f"{versioned_url}{path}")
    open_panel(desktop)

    question(desktop).fill("What does tracking do?")
    question(desktop).press("Enter")

    expect(desktop.locator(".bookchat-answer").last).to_have_attribute("data-status", "done")
    shot(desktop, artifacts, name)
    body = service.bodies[-1]
    assert body["page"] == path
    assert body["locale"] == locale
    assert body.get("version") == version


def test_client_side_navigation_to_another_version_changes_what_is_sent(
    desktop: Page, versioned_url: str, artifacts: Path
) -> None:
    service = FakeService(desktop, versioned_url)
    goto(desktop, f"{versioned_url}/fr/docs/1.0/intro/")
    # The theme's version dropdown: a client-side navigation, the widget stays mounted.
    desktop.locator(".navbar .dropdown", has_text="1.0").hover()
    desktop.locator(".navbar .dropdown__link", has_text="2.0").click()
    expect(desktop).to_have_url(f"{versioned_url}/fr/docs/intro/")
    open_panel(desktop)

    question(desktop).fill("Et maintenant ?")
    question(desktop).press("Enter")

    expect(desktop.locator(".bookchat-answer").last).to_have_attribute("data-status", "done")
    shot(desktop, artifacts, "24-french-2.0-after-navigation")
    assert service.bodies[-1]["version"] == "2.0"
    assert service.bodies[-1]["locale"] == "fr"


# ---------------------------------------------------------------------------- the theme's controls
def test_the_launcher_does_not_cover_the_back_to_top_button(
    any_screen: tuple[str, Page], versioned_url: str, artifacts: Path
) -> None:
    screen, page = any_screen
    goto(page, f"{versioned_url}/docs/1.0/intro/")
    make_long(page)
    button = page.locator(".theme-back-to-top-button")

    # The theme shows the button when the reader scrolls back up, past 300 px down.
    page.mouse.wheel(0, 1500)
    page.wait_for_function("() => window.scrollY > 1000")
    page.mouse.wheel(0, -200)
    expect(button).to_have_css("visibility", "visible")
    expect(button).to_have_css("opacity", "1")

    page.wait_for_function(f"() => !({OVERLAP_JS})('.theme-back-to-top-button')")
    shot(page, artifacts, f"25-back-to-top-{screen}")
    assert not overlaps(page, ".theme-back-to-top-button")
    expect(page.locator(".bookchat-launcher")).to_be_in_viewport()


def test_the_launcher_does_not_cover_the_pagination_at_the_bottom(
    any_screen: tuple[str, Page], versioned_url: str, artifacts: Path
) -> None:
    screen, page = any_screen
    goto(page, f"{versioned_url}/docs/1.0/intro/")
    make_long(page)
    links = page.locator(".pagination-nav__link")
    expect(links.first).to_be_attached()

    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    expect(links.last).to_be_in_viewport()

    page.wait_for_function(f"() => !({OVERLAP_JS})('.pagination-nav__link')")
    shot(page, artifacts, f"26-pagination-{screen}")
    assert not overlaps(page, ".pagination-nav__link")
    assert not overlaps(page, ".theme-back-to-top-button")
    expect(page.locator(".bookchat-launcher")).to_be_in_viewport()


def test_the_launcher_rides_above_the_pagination_while_it_passes_under_it(
    any_screen: tuple[str, Page], versioned_url: str, artifacts: Path
) -> None:
    screen, page = any_screen
    goto(page, f"{versioned_url}/docs/1.0/intro/")
    make_long(page)
    # Scroll positions at which the pagination's top is 0 to 270 px above the viewport's bottom.
    positions = page.evaluate(
        """() => {
          const nav = document.querySelector('.pagination-nav');
          const top = nav.getBoundingClientRect().top + window.scrollY;
          const most = document.documentElement.scrollHeight - window.innerHeight;
          return Array.from({length: 10}, (_, i) =>
            Math.min(most, Math.round(top - window.innerHeight + 30 * i)));
        }"""
    )
    clear = f"() => !({OVERLAP_JS})('.pagination-nav__link')"

    for y in positions:
        page.evaluate("(y) => window.scrollTo(0, y)", y)
        page.wait_for_function("(y) => Math.abs(window.scrollY - y) < 2", arg=y)
        page.wait_for_function(clear)
        assert not overlaps(page, ".pagination-nav__link"), y

    shot(page, artifacts, f"26b-pagination-passing-{screen}")
    expect(page.locator(".bookchat-launcher")).to_be_in_viewport()


def test_the_search_modal_opens_above_the_panel_and_esc_closes_only_the_search(
    desktop: Page, versioned_url: str, artifacts: Path
) -> None:
    goto(desktop, f"{versioned_url}/docs/1.0/intro/")
    open_panel(desktop)

    desktop.keyboard.press("Control+K")  # the focus is in the chat's question box

    search = desktop.locator(".DocSearch-Modal")
    expect(search).to_be_visible()
    box = panel(desktop).bounding_box()
    assert box is not None
    on_top = desktop.evaluate(
        "([x, y]) => !!document.elementFromPoint(x, y)?.closest('.DocSearch-Container')",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    shot(desktop, artifacts, "27-search-above-panel")
    assert on_top, "the search modal is under the chat panel"

    desktop.locator(".DocSearch-Input").press("Escape")

    expect(search).to_be_hidden()
    expect(panel(desktop)).to_be_visible()
    shot(desktop, artifacts, "28-search-closed-panel-open")


def test_esc_on_the_page_leaves_the_panel_open_and_esc_in_it_closes_it(
    desktop: Page, versioned_url: str
) -> None:
    goto(desktop, f"{versioned_url}/docs/1.0/intro/")
    open_panel(desktop)
    desktop.locator("article h1").click()  # the focus leaves the panel

    desktop.keyboard.press("Escape")
    expect(panel(desktop)).to_be_visible()

    question(desktop).focus()
    desktop.keyboard.press("Escape")
    expect(panel(desktop)).to_be_hidden()
    expect(desktop.locator(".bookchat-launcher")).to_be_focused()


def test_ctrl_shift_k_opens_the_chat_not_the_search(desktop: Page, versioned_url: str) -> None:
    goto(desktop, f"{versioned_url}/docs/1.0/intro/")
    desktop.locator("article h1").click()

    desktop.keyboard.press("Control+Shift+K")

    expect(panel(desktop)).to_be_visible()
    expect(desktop.locator(".DocSearch-Modal")).to_have_count(0)


# ---------------------------------------------------------------------------- a refusing service
def test_a_service_that_refuses_this_site_is_named_with_the_cors_setting(
    browser: Any, service_url: str, versioned_url: str, artifacts: Path
) -> None:
    # The session's service allows the sample site's origin only, not this one's.
    page = new_page(browser, service_url, PHONE, is_mobile=True, has_touch=True)
    try:
        goto(page, f"{versioned_url}/fr/docs/1.0/intro/")
        page.locator(".bookchat-launcher").tap()
        expect(panel(page)).to_be_visible()
        question(page).fill("Pourquoi ?")
        question(page).press("Enter")

        error = panel(page).get_by_role("alert")
        expect(error).to_contain_text(f"Cannot reach the chat service at {service_url}")
        expect(error).to_contain_text(
            f"BOOKCHAT_CORS_ORIGINS includes this site's origin, {versioned_url}"
        )
        expect(error.get_by_role("button", name="Retry")).to_be_visible()
        shot(page, artifacts, "29-refused-origin-phone")
    finally:
        page.context.close()
