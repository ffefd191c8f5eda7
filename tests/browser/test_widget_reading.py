"""Reading an answer in Chromium, on the built Docusaurus site (site/build), light and dark:
a sentence the service found unsupported is marked and explained on focus, `$…$` and
`$$…$$` render as MathML, a code block carries its language and copies with its button, a
GFM table scrolls sideways inside the panel. Answers come from a routed fake service
(Playwright answers /chat/stream with the `done` event under test); nothing reaches the
network."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import missing, standalone_demo

if missing():
    pytest.skip(missing() or "", allow_module_level=True)

from playwright.sync_api import Page, Route, expect

FAKE_BACKEND = "http://bookchat.invalid"
IMU = "/docs/sensors/imu"
MATHML = "http://www.w3.org/1998/Math/MathML"
SOURCE = {
    "id": "n1",
    "text": "An IMU measures acceleration and angular velocity.",
    "metadata": {"source": "sensors/imu.md", "title": "IMU", "url": f"{IMU}#drift"},
}


def sse(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


def stream(answer: str, sentences: list[dict[str, Any]] | None = None) -> str:
    done = {"answer": answer, "request_id": "r1", "outcome": "answered", "cited": [1]}
    return (
        sse("sources", {"source_nodes": [SOURCE]})
        + sse("delta", {"delta": answer})
        + sse("done", {**done, "sentences": sentences or []})
    )


@pytest.fixture(params=["light", "dark"])
def theme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def reader(browser: Any, site_url: str, theme: str) -> Iterator[Page]:
    """The IMU page in the reader's color scheme, the widget pointed at the fake service."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, color_scheme=theme)
    context.add_init_script(f"window.bookchatConfig = {{ backend: {FAKE_BACKEND!r} }};")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site_url}{IMU}")
    expect(page.locator(".bookchat-root")).to_have_attribute("data-theme", theme)
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


def answer_with(page: Page, site_url: str, body: str) -> Any:
    """Asks a question that the fake service answers with `body`; the finished answer."""

    def handle(route: Route) -> None:
        cors = {
            "Access-Control-Allow-Origin": site_url,
            "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Request-ID",
            "Access-Control-Allow-Methods": "POST, OPTIONS",
        }
        if route.request.method == "OPTIONS":
            route.fulfill(status=204, headers=cors, body="")
            return
        route.fulfill(status=200, headers={**cors, "Content-Type": "text/event-stream"}, body=body)

    page.route(f"{FAKE_BACKEND}/**", handle)
    page.locator(".bookchat-launcher").click()
    page.get_by_label("Your question").fill("Tell me about the IMU")
    page.get_by_label("Your question").press("Enter")
    answer = page.locator(".bookchat-answer").last
    expect(answer).to_have_attribute("data-status", "done")
    return answer


def shot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"))


def test_an_unsupported_sentence_is_marked_and_explained_on_focus(
    reader: Page, site_url: str, theme: str, artifacts: Path
) -> None:
    text = (
        "An IMU measures acceleration and angular velocity [1]. "
        "The reset always takes exactly 9999 seconds on every machine [1]. "
        "Calibrate it at rest."
    )
    sentences = [
        {
            "text": "An IMU measures acceleration and angular velocity.",
            "cites": [1],
            "supported": True,
        },
        {
            "text": "The reset always takes exactly 9999 seconds on every machine.",
            "cites": [1],
            "supported": False,
        },
        {"text": "Calibrate it at rest.", "cites": [], "supported": True},
    ]
    answer = answer_with(reader, site_url, stream(text, sentences))

    marked = answer.locator(".bookchat-unsupported")
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text("The reset always takes exactly 9999 seconds on every machine")
    expect(answer.locator(".bookchat-md")).to_contain_text("Calibrate it at rest.")  # never hidden
    mark = answer.get_by_role("button", name="Unsupported sentence")
    tip = answer.get_by_role("tooltip")
    expect(tip).to_be_hidden()
    mark.focus()
    expect(tip).to_be_visible()
    expect(tip).to_have_text("Not found in the cited passages")
    expect(mark).to_have_accessible_description("Not found in the cited passages")
    shot(reader, artifacts, f"40-unsupported-sentence-{theme}")
    reader.get_by_label("Your question").focus()
    expect(tip).to_be_hidden()
    marked.locator(".bookchat-unsupported-text").hover()
    expect(tip).to_be_visible()


def test_math_renders_as_mathml(reader: Page, site_url: str, theme: str, artifacts: Path) -> None:
    text = (
        "The tilt follows from the accelerometer, $\\theta = \\arctan(a_x / a_z)$ [1], "
        "and the drift grows as\n\n$$\n\\sigma(t) = \\sqrt{\\frac{N^2}{t}} + B\\,t\n$$\n\n"
        "It costs $5 and $10."
    )
    answer = answer_with(reader, site_url, stream(text))

    inline = answer.locator("span.bookchat-math > math")
    display = answer.locator("div.bookchat-math-display > math")
    expect(inline).to_have_count(1)
    expect(display).to_have_count(1)
    assert inline.evaluate("el => el.namespaceURI") == MATHML
    assert display.evaluate("el => el.namespaceURI") == MATHML
    # rendered as math, not as a line of text: the fraction stacks its numerator
    fraction = display.locator("mfrac").first
    box = fraction.bounding_box()
    line = inline.bounding_box()
    assert box is not None
    assert line is not None
    assert box["height"] > line["height"] * 1.3, (box, line)
    expect(answer.locator(".bookchat-md")).to_contain_text("It costs $5 and $10.")
    shot(reader, artifacts, f"41-math-{theme}")


def test_a_code_block_shows_its_language_and_copies(
    reader: Page, site_url: str, theme: str, artifacts: Path
) -> None:
    code = "sudo systemctl restart imu-calibration\njournalctl -u imu-calibration -f"
    reader.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    answer = answer_with(reader, site_url, stream(f"Restart it [1]:\n\n```bash\n{code}\n```\n"))

    expect(answer.locator(".bookchat-code-lang")).to_have_text("bash")
    expect(answer.locator("pre code.language-bash")).to_have_text(code)
    copy = answer.get_by_role("button", name="Copy bash code")
    copy.click()
    expect(answer.get_by_role("button", name="Copied")).to_be_visible()
    assert reader.evaluate("navigator.clipboard.readText()") == code
    shot(reader, artifacts, f"42-code-block-{theme}")


def test_a_wide_table_scrolls_inside_the_panel(
    reader: Page, site_url: str, theme: str, artifacts: Path
) -> None:
    header = "| Sensor | Measures | Typical rate | Noise density | Bias stability | Interface |"
    rule = "|---|---|--:|---|---|---|"
    rows = [
        "| accelerometer | linear acceleration | 1000 Hz | 120 µg/√Hz | 40 µg | SPI or I²C |",
        "| gyroscope | angular velocity | 2000 Hz | 0.005 °/s/√Hz | 3 °/h | SPI or I²C |",
        "| magnetometer | magnetic field | 100 Hz | 0.3 µT | n/a | I²C |",
    ]
    text = "The three sensors [1]:\n\n" + "\n".join([header, rule, *rows]) + "\n"
    answer = answer_with(reader, site_url, stream(text))

    region = answer.get_by_role("region", name="Table")
    expect(region.get_by_role("columnheader")).to_have_count(6)
    expect(region.get_by_role("row")).to_have_count(4)
    expect(region.get_by_role("cell", name="angular velocity")).to_be_visible()
    shot(reader, artifacts, f"43-table-{theme}")
    scroll = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert scroll[0] > scroll[1], scroll  # the table scrolls, not the panel
    message = answer.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert message[0] <= message[1], message
    region.focus()
    reader.keyboard.press("ArrowRight")
    reader.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())
    shot(reader, artifacts, f"43-table-{theme}")


def test_the_standalone_build_renders_the_same(
    browser: Any, site_url: str, artifacts: Path, tmp_path: Path
) -> None:
    """The standalone script renders with Preact: its MathML is MathML too, and the mark works."""
    with standalone_demo(browser, FAKE_BACKEND, tmp_path) as (page, errors):
        page.goto(f"{site_url}/demo/")
        text = "It reads $g = 9.81\\,\\mathrm{m/s^2}$ at rest [1]. It never drifts [1]."
        sentences = [
            {
                "text": "It reads $g = 9.81\\,\\mathrm{m/s^2}$ at rest.",
                "cites": [1],
                "supported": True,
            },
            {"text": "It never drifts.", "cites": [1], "supported": False},
        ]
        answer = answer_with(page, site_url, stream(text, sentences))
        math = answer.locator("span.bookchat-math > math")
        expect(math).to_have_count(1)
        assert math.evaluate("el => el.namespaceURI") == MATHML
        expect(answer.locator(".bookchat-unsupported")).to_have_text(re.compile("It never drifts"))
        answer.get_by_role("button", name="Unsupported sentence").focus()
        expect(answer.get_by_role("tooltip")).to_be_visible()
        shot(page, artifacts, "44-standalone-math-and-mark")
        assert not errors, errors
