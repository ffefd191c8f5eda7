"""`bookchat doctor`: the checkup of `engine.doctor`, in plain words.

The report goes to stdout; when `bookchat serve` would not work, the last line of stderr
is the one-line reason and the exit code is non-zero (2: fix the configuration or the
collection's settings; 1: the collection, its vectors or an upstream).
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

import numpy as np

from config import Settings
from engine.doctor import (
    AGREEMENT_OTHER_MODEL,
    AGREEMENT_SAME_MODEL,
    Checkup,
    VectorSpace,
    examine,
)
from engine.payloads import FIELDS, NODE_CONTENT

KNOWN_TEXT_KEYS = {
    "text": "bookchat ingest's, or a hand-written indexer's",
    "page_content": "LangChain's",
    "content": "Haystack's",
    NODE_CONTENT: "LlamaIndex's node JSON",
}


def run_doctor(settings: Settings, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Print the checkup (to stdout unless `out`); its exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    checkup = asyncio.run(examine(settings))
    out.write(render(checkup))
    out.flush()
    if checkup.failure:
        print(f"bookchat doctor: {checkup.failure}", file=err)
    return checkup.exit_code


def _vectors(spaces: list[VectorSpace], chosen: str | None) -> str:
    if len(spaces) == 1 and spaces[0].name is None:
        return f"one unnamed vector of size {spaces[0].size}, {spaces[0].distance} distance"
    return "; ".join(
        f"'{space.name}' of size {space.size}, {space.distance} distance"
        + (" (used)" if space.name == chosen else "")
        for space in spaces
    )


def _percentiles(values: list[float]) -> str:
    p10, p50, p90 = np.percentile(values, [10, 50, 90])
    return f"p10 {p10:.2f}, p50 {p50:.2f}, p90 {p90:.2f}"


def render(checkup: Checkup) -> str:
    lines = [f"collection '{checkup.collection}' at {checkup.location}"]
    if checkup.provider:
        lines.append(f"  embedding model: {checkup.embed_model} ({checkup.provider})")
    if checkup.vectors:
        lines.append(f"  points: {checkup.points}")
        lines.append(f"  vectors: {_vectors(checkup.vectors, checkup.vector_name)}")
    if checkup.layout is not None:
        found, layout = checkup.layout, checkup.layout.layout
        lines.append(f"payload layout, from a sample of {found.sampled} points:")
        kind = KNOWN_TEXT_KEYS.get(layout.text_key, "")
        setting = " (set)" if "text" in layout.configured else ""
        lines.append(f"  text: '{layout.text_key}'{setting}" + (f", {kind}" if kind else ""))
        if found.sampled:
            lines.append(
                "  points without text: "
                + (f"{found.without_text} of {found.sampled}" if found.without_text else "none")
            )
        lines.append(
            f"  metadata object: '{layout.metadata_key}'"
            if layout.metadata_key
            else "  metadata: flat (beside the text)"
        )
        for name in FIELDS:
            path = layout.fields.get(name)
            setting = " (set)" if name in layout.configured else ""
            where = f"'{path}'{setting}" if path else "not found"
            empty = "absent from responses" if name == "url" else "'' in responses"
            lines.append(f"  {name}: {where}" + ("" if path else f" ({empty})"))
    if checkup.agreement:
        agreement = float(np.median(checkup.agreement))
        verdict = (
            "these vectors were made by this model"
            if agreement >= AGREEMENT_SAME_MODEL
            else "partly: see the warning"
            if agreement >= AGREEMENT_OTHER_MODEL
            else "NOT made by this model: retrieval would rank noise"
        )
        lines.append(
            f"embedding agreement: {agreement:.2f} (median cosine of {len(checkup.agreement)} "
            f"stored texts re-embedded with {checkup.embed_model} against their stored "
            f"vectors; lowest {min(checkup.agreement):.2f}): {verdict}"
        )
    if checkup.hybrid:
        lines.append(f"hybrid retrieval: {checkup.hybrid}")
    if checkup.in_book:
        lines.append(
            f"best score of {len(checkup.in_book)} questions from the book "
            f"({checkup.queries_from}): {_percentiles(checkup.in_book)}"
        )
        lines.append(
            f"best score of {len(checkup.off_topic)} off-topic questions: "
            f"{_percentiles(checkup.off_topic)}"
        )
        now = "unset" if checkup.min_score is None else f"{checkup.min_score:g}"
        if checkup.suggested_min_score is not None:
            lines.append(
                f"suggested BOOKCHAT_MIN_SCORE: {checkup.suggested_min_score:g} (in use now: {now})"
            )
    if checkup.grounding_threshold:
        lines.append(f"grounding threshold: {checkup.grounding_threshold}")
    for warning in checkup.warnings:
        lines.append(f"WARNING: {warning}")
    if checkup.settings_lines:
        lines.append("settings (.env or environment; GEMINI_API_KEY not shown):")
        lines += checkup.settings_lines
    if checkup.failure:
        lines.append(f"FAIL: {checkup.failure}")
    else:
        lines.append("OK: `bookchat serve` can answer from this collection")
    return "\n".join(lines) + "\n"
