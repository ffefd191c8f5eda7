"""`bookchat report [--since DAYS] --html FILE --json FILE`: what readers asked and where
the book fell short, from the question log (`storage.questions`).

The JSON::

    {"questions": n, "outcomes": {"answered": n, "not_in_book": n},
     "ratings": {"up": n, "down": n},
     "gaps": [{"count": n, "examples": [...], "nearest_pages": [...]}],
     "down_voted": [{"question", "answer", "pages": [...], "comment"}],
     "pages": {"most_cited": [{"page", "count"}], "never_cited": [...]},
     "per_day": [{"day", "questions", "not_in_book", "down", "readers", "tokens"}],
     "latency_ms": {"p50", "p95"},
     "budget": {"daily_token_budget", "busiest_day_tokens", "days_at_budget": [...]}}

`gaps` groups the questions answered "not in the book" and the down-voted ones by
meaning (`engine.gaps`, the embedding model the service uses), largest first. The HTML is
one self-contained page: its charts are SVG drawn by pygal (pure Python, no dependency;
its JavaScript tooltips are left out), inline, with no script and no style from the
network, so it opens offline.
"""

from __future__ import annotations

import html
import json
import logging
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from config import Settings
from engine import BookAssistant
from engine.errors import ConfigurationError
from engine.gaps import collection_pages, group_by_meaning, nearest_pages
from engine.providers import build_models
from storage import Database, QuestionLog
from storage.questions import WindowRow

logger = logging.getLogger(__name__)

MAX_GAP_TEXTS = 5000
"""Distinct gap questions embedded at most (the most frequent)."""
MAX_GAPS = 20
EXAMPLES = 5
NEAREST = 3
DOWN_VOTED = 50
MOST_CITED = 20


async def build_report(settings: Settings, since_days: int) -> dict[str, Any]:
    """The report of the last `since_days` days (the retention purged first)."""
    now = datetime.now(UTC)
    async with Database.open(settings.service.feedback_db.get_secret_value()) as database:
        log = QuestionLog(database, settings.service.retention_days)
        await log.purge(now)
        rows = await log.window(now - timedelta(days=since_days))
    report = summarize(rows)
    report["budget"] = budget_use(report["per_day"], settings.service.daily_token_budget)
    models = build_models(settings, with_llm=False)
    try:
        assistant = await BookAssistant.open(settings, require_collection=True, models=models)
        try:
            report["gaps"] = await gaps(assistant, rows)
            cited = {entry["page"] for entry in report["pages"]["all_cited"]}
            report["pages"]["never_cited"] = sorted(await collection_pages(assistant) - cited)
        finally:
            await assistant.aclose()
    finally:
        await models.aclose()
    del report["pages"]["all_cited"]
    return report


def summarize(rows: list[WindowRow]) -> dict[str, Any]:
    """Everything but `gaps` and `never_cited` (which need the collection)."""
    outcomes = Counter(row.outcome for row in rows)
    ratings = Counter(row.rating for row in rows if row.rating)
    cited: Counter[str] = Counter()
    days: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"questions": 0, "not_in_book": 0, "down": 0, "readers": set(), "tokens": 0}
    )
    for row in rows:
        cited.update({s["source"] for s in row.sources if s.get("cited") and s.get("source")})
        day = days[row.created_at.date().isoformat()]
        day["questions"] += 1
        day["not_in_book"] += row.outcome == "not_in_book"
        day["down"] += row.rating == "down"
        day["tokens"] += row.tokens
        if row.reader:
            day["readers"].add(row.reader)
    latencies = np.array([row.latency_ms for row in rows if row.latency_ms is not None])
    down = [row for row in rows if row.rating == "down"][-DOWN_VOTED:][::-1]
    ranked = [{"page": page, "count": n} for page, n in sorted(cited.items(), key=_by_count)]
    return {
        "questions": len(rows),
        "outcomes": {
            "answered": outcomes.get("answered", 0),
            "not_in_book": outcomes.get("not_in_book", 0),
        },
        "ratings": {"up": ratings.get("up", 0), "down": ratings.get("down", 0)},
        "gaps": [],
        "down_voted": [
            {
                "question": row.question,
                "answer": row.answer,
                "pages": list(
                    dict.fromkeys(s["source"] for s in row.sources if s.get("cited"))
                    or dict.fromkeys(s["source"] for s in row.sources)
                ),
                "comment": row.comment,
            }
            for row in down
        ],
        "pages": {"most_cited": ranked[:MOST_CITED], "never_cited": [], "all_cited": ranked},
        "per_day": [
            {"day": day, **counts, "readers": len(counts["readers"])}
            for day, counts in sorted(days.items())
        ],
        "latency_ms": {
            "p50": round(float(np.percentile(latencies, 50))) if len(latencies) else None,
            "p95": round(float(np.percentile(latencies, 95))) if len(latencies) else None,
        },
    }


def budget_use(per_day: list[dict[str, Any]], budget: int | None) -> dict[str, Any]:
    """The daily token budget (`BOOKCHAT_DAILY_TOKEN_BUDGET`) against the days' tokens: the
    busiest day's share, and the days that reached it (readers were refused after)."""
    busiest = max((day["tokens"] for day in per_day), default=0)
    return {
        "daily_token_budget": budget,
        "busiest_day_tokens": busiest,
        "days_at_budget": [day["day"] for day in per_day if budget and day["tokens"] >= budget],
    }


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


async def gaps(assistant: BookAssistant, rows: list[WindowRow]) -> list[dict[str, Any]]:
    """The "not in the book" and down-voted questions grouped by meaning, largest first."""
    asked = Counter(
        " ".join(row.question.split())
        for row in rows
        if row.outcome == "not_in_book" or row.rating == "down"
    )
    texts = [text for text, _ in sorted(asked.items(), key=_by_count)][:MAX_GAP_TEXTS]
    found = []
    for group in await group_by_meaning(assistant, texts):
        members = [texts[i] for i in group.members]
        found.append((sum(asked[text] for text in members), members, group.centroid))
    found.sort(key=lambda entry: (-entry[0], entry[1][0]))
    return [
        {
            "count": count,
            "examples": members[:EXAMPLES],
            "nearest_pages": await nearest_pages(assistant, centroid, NEAREST),
        }
        for count, members, centroid in found[:MAX_GAPS]
    ]


# ---------------------------------------------------------------------- the page


def charts(report: dict[str, Any]) -> list[tuple[str, str]]:
    """(title, inline SVG) of each chart."""
    import pygal
    from pygal.style import CleanStyle

    options: dict[str, Any] = {
        "style": CleanStyle,
        "js": [],  # pygal's tooltips load a script from the network: none here
        "disable_xml_declaration": True,
        "width": 800,
        "height": 320,
        "explicit_size": True,
    }
    days = report["per_day"]
    per_day = pygal.Bar(title="Questions per day", x_label_rotation=30, **options)
    per_day.x_labels = [day["day"] for day in days]
    per_day.add("answered", [day["questions"] - day["not_in_book"] for day in days])
    per_day.add("not in the book", [day["not_in_book"] for day in days])
    per_day.add("readers", [day["readers"] for day in days])
    cited = pygal.HorizontalBar(title="Most cited pages", **options)
    for entry in report["pages"]["most_cited"][:10][::-1]:
        cited.add(entry["page"], entry["count"])
    outcomes = pygal.Pie(title="Outcomes and ratings", inner_radius=0.4, **options)
    outcomes.add("answered", report["outcomes"]["answered"])
    outcomes.add("not in the book", report["outcomes"]["not_in_book"])
    outcomes.add("down-voted", report["ratings"]["down"])
    outcomes.add("up-voted", report["ratings"]["up"])
    return [
        (title, chart.render(is_unicode=True))
        for title, chart in (
            ("per day", per_day),
            ("pages", cited),
            ("outcomes", outcomes),
        )
    ]


def _budget_words(budget: dict[str, Any] | None) -> str:
    if not budget:
        return ""
    busiest = f"busiest day <b>{budget['busiest_day_tokens']}</b> tokens"
    if budget["daily_token_budget"] is None:
        return f"{busiest} (no daily budget set)"
    reached = len(budget["days_at_budget"])
    return (
        f"{busiest} of a <b>{budget['daily_token_budget']}</b> budget; reached on {reached} day(s)"
    )


def render_html(report: dict[str, Any], since_days: int) -> str:
    e = html.escape
    latency = report["latency_ms"]
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>bookchat report</title><style>",
        "body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#222}",
        "table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}",
        "td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;"
        "vertical-align:top}",
        ".n{text-align:right}.figures span{display:inline-block;margin-right:2rem}",
        "</style></head><body>",
        f"<h1>What readers asked: the last {since_days} days</h1>",
        "<p class='figures'>",
        f"<span><b>{report['questions']}</b> questions</span>",
        f"<span><b>{report['outcomes']['not_in_book']}</b> not in the book</span>",
        f"<span><b>{report['ratings']['up']}</b> up, <b>{report['ratings']['down']}</b>"
        " down</span>",
        f"<span>latency p50 <b>{latency['p50']}</b> ms, p95 <b>{latency['p95']}</b> ms</span>",
        f"<span>{_budget_words(report.get('budget'))}</span>",
        "</p>",
    ]
    for _, svg in charts(report):
        parts.append(f"<figure>{svg}</figure>")
    parts.append("<h2>Where the book falls short</h2><table><tr><th class='n'>asked</th>")
    parts.append("<th>questions</th><th>nearest pages</th></tr>")
    for gap in report["gaps"]:
        examples = "<br>".join(e(text) for text in gap["examples"])
        pages = "<br>".join(e(page) for page in gap["nearest_pages"])
        parts.append(f"<tr><td class='n'>{gap['count']}</td><td>{examples}</td>")
        parts.append(f"<td>{pages}</td></tr>")
    parts.append("</table><h2>Down-voted answers</h2><table>")
    parts.append("<tr><th>question</th><th>answer</th><th>pages</th><th>comment</th></tr>")
    for entry in report["down_voted"]:
        parts.append(
            f"<tr><td>{e(entry['question'])}</td><td>{e(entry['answer'] or '')}</td>"
            f"<td>{'<br>'.join(e(p) for p in entry['pages'])}</td>"
            f"<td>{e(entry['comment'] or '')}</td></tr>"
        )
    parts.append("</table><h2>Pages never cited</h2><ul>")
    parts += [f"<li>{e(page)}</li>" for page in report["pages"]["never_cited"]]
    parts.append("</ul></body></html>")
    return "\n".join(parts)


def write_report(
    report: dict[str, Any], since_days: int, html_file: Path | None, json_file: Path | None
) -> None:
    try:
        if json_file is not None:
            json_file.write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
        if html_file is not None:
            html_file.write_text(render_html(report, since_days), "utf-8")
    except OSError as exc:
        raise ConfigurationError(f"cannot write the report: {exc.strerror}") from None
