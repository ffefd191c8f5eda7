"""`bookchat doctor`: whether `bookchat serve` can answer from the configured collection,
and the settings that make it so.

`examine(settings)` reads the collection as the engine will (the same `Settings`, the
same checks, the same layout detection) and measures what the engine cannot see at
start-up:

- **agreement**: a few stored texts re-embedded with the configured model, each compared
  (cosine) with its stored vector. The same model gives ~1; another model gives ~0 (its
  vectors live in another space), so retrieval would rank noise. The texts are embedded
  in the forms the usual indexers embed (the text alone; `bookchat ingest`'s title and
  section heading before it; LlamaIndex's metadata lines) and the best form counts.
- **grounding threshold**: the cosine an answer sentence needs to its passages, as
  `serve` will use it: set, or (`auto`) calibrated on the collection now, as `serve`
  does once a process (`engine.grounding.calibrate`: one embedding call).
- **scores**: the best cosine score of questions the book answers (the opening words of
  sampled passages) and of questions it does not (`OFF_TOPIC`), for a `BOOKCHAT_MIN_SCORE`
  between them, nearer the off-topic side (a reader's question matches its passage less
  well than the passage's own words do).

It never raises for a collection or upstream fault: the `Checkup` says what was found up
to the failure and why it stopped (`failure`, `exit_code`).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import MetadataMode
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from qdrant_client import AsyncQdrantClient
from qdrant_client.http import models as rest

from config import Settings
from engine.assistant import calibrate_on_collection
from engine.errors import BookChatError, CollectionInvalid, ConfigurationError
from engine.grounding import THRESHOLD, CalibrationError
from engine.payloads import NODE_CONTENT, SAMPLE_POINTS, LayoutReport, PayloadLayout, detect_layout
from engine.providers import Models, build_models, query_embedding
from engine.store import inspect_collection, open_qdrant
from engine.upstream import upstream_errors

logger = logging.getLogger(__name__)

AGREEMENT_SAMPLE = 8
"""Stored texts re-embedded to compare with their stored vectors."""
AGREEMENT_SAME_MODEL = 0.9
"""At or above: the configured model made these vectors."""
AGREEMENT_OTHER_MODEL = 0.5
"""Under: another model made them (a failure); between the two, a warning."""
QUERIES = 8
"""Questions from the book whose scores are measured: the opening words of sampled
passages (the book surely answers them; a reader's question scores lower)."""
QUESTION_WORDS = 12
OFF_TOPIC = (
    "What is the capital of Mongolia?",
    "How do I bake sourdough bread at home?",
    "Who won the football world cup in 1954?",
    "Recommend a good horror film for tonight",
)
"""Questions no technical book answers: the scores a gate must keep out."""
GATE_POSITION = 0.25
"""The suggested gate sits this far from the best off-topic score to the worst in-book
one: a passage's own words match it better than a reader's question does."""
EMBED_SECONDS_MARGIN = 5.0
"""Added to BOOKCHAT_EMBED_TIMEOUT for one doctor's batch (its retries included)."""


@dataclass(frozen=True)
class VectorSpace:
    """One dense vector of the collection."""

    name: str | None
    size: int
    distance: str


@dataclass
class Checkup:
    """What `bookchat doctor` found, up to the first failure."""

    collection: str
    location: str
    provider: str = ""
    embed_model: str = ""
    points: int | None = None
    vectors: list[VectorSpace] = field(default_factory=list)
    vector_name: str | None = None
    size: int | None = None
    layout: LayoutReport | None = None
    agreement: list[float] = field(default_factory=list)
    """Per re-embedded text, its best cosine with its stored vector."""
    hybrid: str = ""
    queries_from: str = ""
    in_book: list[float] = field(default_factory=list)
    off_topic: list[float] = field(default_factory=list)
    min_score: float | None = None
    """The gate `serve` would use now (configured, or the model's default)."""
    suggested_min_score: float | None = None
    grounding_threshold: str = ""
    """The grounding threshold `serve` would use, and where it comes from."""
    warnings: list[str] = field(default_factory=list)
    failure: str | None = None
    exit_code: int = 0
    settings_lines: list[str] = field(default_factory=list)

    def fail(self, reason: str, exit_code: int) -> Checkup:
        self.failure, self.exit_code = reason, exit_code
        return self


async def examine(settings: Settings) -> Checkup:
    """The checkup of the configured collection (see the module's docstring)."""
    qdrant = settings.qdrant
    checkup = Checkup(collection=qdrant.collection, location=qdrant.location)
    try:
        models = build_models(settings, with_llm=False)
    except ConfigurationError as exc:
        return checkup.fail(exc.message, 2)
    checkup.provider, checkup.embed_model = models.provider, models.embed_model
    try:
        client = open_qdrant(qdrant)
    except ConfigurationError as exc:
        await models.aclose()
        return checkup.fail(exc.message, 2)
    try:
        await _examine(settings, models, client, checkup)
    except (ConfigurationError, CollectionInvalid) as exc:
        checkup.fail(exc.message, 2)
    except BookChatError as exc:
        checkup.fail(exc.message, 1)
    finally:
        await client.close()
        await models.aclose()
    return checkup


async def _examine(
    settings: Settings, models: Models, client: AsyncQdrantClient, checkup: Checkup
) -> None:
    qdrant = settings.qdrant
    info = await inspect_collection(client, qdrant)
    with upstream_errors("qdrant collection"):
        vectors = (await client.get_collection(info.name)).config.params.vectors
    spaces = vectors.items() if isinstance(vectors, dict) else [(None, vectors)]
    checkup.vectors = [
        VectorSpace(name or None, params.size, str(params.distance.value).lower())
        for name, params in spaces
        if params is not None
    ]
    checkup.points, checkup.vector_name, checkup.size = info.points, info.vector_name, info.size
    embed_model = models.embedding_for(info.name, info.size)  # a size mismatch fails here
    with upstream_errors("qdrant scroll"):
        records, _ = await client.scroll(
            info.name, limit=SAMPLE_POINTS, with_payload=True, with_vectors=True
        )
    checkup.layout = detect_layout([r.payload or {} for r in records], qdrant, info.name)
    layout = checkup.layout.layout
    checkup.settings_lines = _settings_lines(settings, checkup, layout)
    if not records:
        checkup.warnings.append(
            "the collection is empty: `bookchat serve` starts, and answers once it is filled"
        )
        return
    if checkup.layout.without_text:
        checkup.warnings.append(
            f"{checkup.layout.without_text} of {checkup.layout.sampled} sampled points have no "
            f"text under '{layout.text_key}': they can be found but give the model nothing"
        )
    budget = settings.gemini.embed_timeout * settings.gemini.retry_attempts + EMBED_SECONDS_MARGIN
    checkup.agreement = await _agreement(embed_model, records, layout, info.vector_name, budget)
    agreement = float(np.median(checkup.agreement)) if checkup.agreement else None
    if agreement is not None and agreement < AGREEMENT_OTHER_MODEL:
        checkup.fail(
            f"the stored vectors were not made by {models.embed_model} at size {info.size} "
            f"(agreement {agreement:.2f} on {len(checkup.agreement)} re-embedded texts): "
            "re-ingest the book with this model, or configure the model that made them",
            1,
        )
        return
    if agreement is not None and agreement < AGREEMENT_SAME_MODEL:
        checkup.warnings.append(
            f"agreement {agreement:.2f} is low for the same model: the indexer may have "
            "embedded other text than the passage (prefixes, metadata) or used another task "
            "type; retrieval works but ranks less well than it could"
        )
    checkup.hybrid = _hybrid(settings, info.scored_text_keys, layout, checkup)
    if checkup.failure:
        return
    checkup.min_score = (
        settings.engine.min_score
        if settings.engine.min_score is not None
        else models.default_min_score
    )
    await _scores(embed_model, client, info.name, info.vector_name, records, layout, checkup)
    checkup.grounding_threshold = await _grounding_threshold(
        settings, models, client, info.name, layout, embed_model, budget, checkup
    )
    checkup.settings_lines = _settings_lines(settings, checkup, layout)


def _stored_vector(record: rest.Record, vector_name: str | None) -> list[float] | None:
    vector: Any = record.vector
    if isinstance(vector, dict):
        vector = vector.get(vector_name or "")
    return vector if isinstance(vector, list) and vector else None


def _forms(payload: dict[str, Any], layout: PayloadLayout) -> list[str]:
    """The texts an indexer may have embedded for this payload."""
    text = layout.text_of(payload)
    forms = [text]
    title, heading = layout.field_of(payload, "title"), layout.field_of(payload, "heading")
    if title or heading:  # `bookchat ingest`'s embedding text
        forms.append(f"{title or ''} — {heading or ''}\n\n{text}")
    if NODE_CONTENT in payload:  # LlamaIndex's: the metadata lines, then the text
        try:
            node = metadata_dict_to_node(payload)
            forms.append(node.get_content(metadata_mode=MetadataMode.EMBED))
        except (ValueError, TypeError, KeyError):
            pass
    return list(dict.fromkeys(forms))


def _cosine(a: list[float], b: list[float]) -> float:
    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    norms = float(np.linalg.norm(x) * np.linalg.norm(y))
    return float(x @ y) / norms if norms else 0.0


async def _agreement(
    embed_model: BaseEmbedding,
    records: list[rest.Record],
    layout: PayloadLayout,
    vector_name: str | None,
    budget: float,
) -> list[float]:
    """Per sampled text (spread over the sample), the best cosine between a form of it
    re-embedded now and its stored vector."""
    usable = [
        (r.payload or {}, stored)
        for r in records
        if layout.text_of(r.payload or {}) and (stored := _stored_vector(r, vector_name))
    ]
    step = max(1, len(usable) // AGREEMENT_SAMPLE)
    chosen = usable[::step][:AGREEMENT_SAMPLE]
    forms = [_forms(payload, layout) for payload, _ in chosen]
    texts = [text for group in forms for text in group]
    if not texts:
        return []
    with upstream_errors("embedding"):
        async with asyncio.timeout(budget):
            vectors = await embed_model.aget_text_embedding_batch(texts)
    found, start = [], 0
    for (_, stored), group in zip(chosen, forms, strict=True):
        found.append(max(_cosine(v, stored) for v in vectors[start : start + len(group)]))
        start += len(group)
    return found


def _hybrid(
    settings: Settings, scored: frozenset[str], layout: PayloadLayout, checkup: Checkup
) -> str:
    """What the BM25 leg will be, as `BookAssistant._lexical_leg` decides it."""
    if settings.engine.hybrid == "off":
        return "off (BOOKCHAT_HYBRID=off)"
    if not settings.qdrant.url:
        return "on: BM25 over the text field, in the serving process"
    if layout.text_key in scored:
        return f"on: the Qdrant server's BM25 over '{layout.text_key}'"
    if settings.engine.hybrid == "on":
        checkup.fail(
            f"BOOKCHAT_HYBRID=on needs a full-text index with scoring on '{layout.text_key}' "
            f"in collection '{checkup.collection}' (bookchat ingest makes it)",
            2,
        )
        return "unavailable"
    return (
        f"off: no full-text index with scoring on '{layout.text_key}' "
        "(`bookchat ingest` into this collection adds one)"
    )


async def _scores(
    embed_model: BaseEmbedding,
    client: AsyncQdrantClient,
    collection: str,
    vector_name: str | None,
    records: list[rest.Record],
    layout: PayloadLayout,
    checkup: Checkup,
) -> None:
    """The best score of in-book and off-topic questions; a gate between them."""
    questions: list[str] = []
    texts = [text for r in records if (text := layout.text_of(r.payload or {}))]
    for text in texts[:: max(1, len(texts) // QUERIES)]:
        words = " ".join(text.split()[:QUESTION_WORDS])
        if words not in questions:
            questions.append(words)
    checkup.queries_from = f"the first {QUESTION_WORDS} words of sampled passages"
    embed = query_embedding(embed_model)

    async def best(question: str) -> float:
        with upstream_errors("query embedding"):
            vector = await embed(question)
        with upstream_errors("retrieval"):
            found = await client.query_points(
                collection, query=vector, using=vector_name, limit=1, with_payload=False
            )
        return found.points[0].score if found.points else 0.0

    checkup.in_book = [await best(q) for q in questions[:QUERIES]]
    checkup.off_topic = [await best(q) for q in OFF_TOPIC]
    if not checkup.in_book:
        return
    low, high = max(checkup.off_topic), min(checkup.in_book)
    if high <= low:
        checkup.warnings.append(
            f"off-topic questions score as high as the book's ({low:.2f} ≥ {high:.2f}): "
            "no gate separates them; keep BOOKCHAT_MIN_SCORE unset or check the agreement"
        )
        return
    checkup.suggested_min_score = round(low + GATE_POSITION * (high - low), 2)


async def _grounding_threshold(
    settings: Settings,
    models: Models,
    client: AsyncQdrantClient,
    collection: str,
    layout: PayloadLayout,
    embed_model: BaseEmbedding,
    budget: float,
    checkup: Checkup,
) -> str:
    """The grounding threshold `serve` would use, calibrated now when it is `auto`; a
    calibration that fails is a warning (`serve` answers with the model's default)."""
    engine = settings.engine
    if engine.grounding != "embedding":
        return f"not used (BOOKCHAT_GROUNDING={engine.grounding})"
    if engine.grounding_threshold != "auto":
        return f"{engine.grounding_threshold:g} (BOOKCHAT_GROUNDING_THRESHOLD)"
    fallback = models.default_grounding_threshold or THRESHOLD
    try:
        async with asyncio.timeout(budget):
            calibration = await calibrate_on_collection(
                client, collection, layout, embed_model.aget_text_embedding_batch
            )
    except (BookChatError, CalibrationError, TimeoutError) as exc:
        reason = getattr(exc, "message", None) or str(exc) or "timed out"
        checkup.warnings.append(
            f"the grounding threshold cannot be calibrated on this collection ({reason}): "
            f"`serve` uses {models.embed_model}'s default {fallback:g}; "
            "set BOOKCHAT_GROUNDING_THRESHOLD to choose one"
        )
        return f"{fallback:g} ({models.embed_model}'s default: calibration failed)"
    return calibration.describe()


def _settings_lines(settings: Settings, checkup: Checkup, layout: PayloadLayout) -> list[str]:
    """The `KEY=value` lines that pin what was found (secrets left out)."""
    qdrant = settings.qdrant
    lines = [f"QDRANT_URL={qdrant.location}" if qdrant.url else f"QDRANT_PATH={qdrant.path}"]
    lines.append(f"QDRANT_COLLECTION={checkup.collection}")
    if checkup.vector_name:
        lines.append(f"QDRANT_VECTOR_NAME={checkup.vector_name}")
    lines += layout.settings_lines()
    if checkup.provider == "gemini":
        lines.append(f"BOOKCHAT_EMBED_MODEL={settings.gemini.embed_model}")
        if checkup.size is not None:
            lines.append(f"BOOKCHAT_EMBED_DIM={checkup.size}")
    else:
        lines.append(f"BOOKCHAT_PROVIDER={checkup.provider}")
    if checkup.suggested_min_score is not None:
        lines.append(f"BOOKCHAT_MIN_SCORE={checkup.suggested_min_score:g}")
    return lines
