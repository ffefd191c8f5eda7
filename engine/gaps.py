"""Where the book falls short: questions grouped by meaning, with the embedding model
the service uses, and the pages nearest each group (`bookchat report`'s `gaps`).

Grouping is greedy and deterministic: the texts come most frequent first; each text not
yet grouped starts a group and takes every other ungrouped text whose cosine similarity
to it is at least `threshold`. The texts are embedded in batches (the provider's batch
size), each distinct text once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.assistant import BookAssistant
from engine.payloads import PayloadLayout
from engine.retrieval import passage
from engine.store import inspect_collection, scroll_all
from engine.upstream import upstream_errors

logger = logging.getLogger(__name__)

THRESHOLD = 0.8
"""Cosine similarity at which two questions ask the same thing."""


@dataclass(frozen=True)
class Group:
    members: list[int]
    """Indexes of the texts in the group, its first text (the most frequent) first."""
    centroid: list[float]


def greedy_groups(vectors: np.ndarray, threshold: float = THRESHOLD) -> list[list[int]]:
    """Groups of row indexes of `vectors` (rows in priority order), as described above."""
    if len(vectors) == 0:
        return []
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1.0, norms)
    free = np.ones(len(unit), dtype=bool)
    groups: list[list[int]] = []
    for first in range(len(unit)):
        if not free[first]:
            continue
        candidates = np.flatnonzero(free)
        similar = candidates[unit[candidates] @ unit[first] >= threshold]
        members = [first, *(int(i) for i in similar if i != first)]
        free[members] = False
        groups.append(members)
    return groups


async def group_by_meaning(
    assistant: BookAssistant, texts: Sequence[str], threshold: float = THRESHOLD
) -> list[Group]:
    """`texts` (distinct, in priority order) grouped by meaning."""
    if not texts:
        return []
    info = await inspect_collection(assistant.client, assistant.settings.qdrant)
    embed = assistant.models.embedding_for(info.name, info.size)
    with upstream_errors("embedding"):
        vectors = np.asarray(await embed.aget_text_embedding_batch(list(texts)), dtype=np.float32)
    return [
        Group(members, vectors[members].mean(axis=0).tolist())
        for members in greedy_groups(vectors, threshold)
    ]


async def nearest_pages(
    assistant: BookAssistant, vector: Sequence[float], limit: int = 3
) -> list[str]:
    """The pages (`source`) of the passages nearest `vector`, best first, no gate."""
    layout = (await assistant.attach()).layout
    info = await inspect_collection(assistant.client, assistant.settings.qdrant)
    with upstream_errors("retrieval"):
        response = await assistant.client.query_points(
            info.name,
            query=list(vector),
            using=info.vector_name,
            limit=limit * 4,
            with_payload=True,
        )
    pages: list[str] = []
    for point in response.points:
        source = page_of(assistant, layout, point)
        if source and source not in pages:
            pages.append(source)
    return pages[:limit]


async def collection_pages(assistant: BookAssistant) -> set[str]:
    """Every page (`source`) the collection holds."""
    layout = (await assistant.attach()).layout
    with upstream_errors("qdrant scroll"):
        records = await scroll_all(assistant.client, assistant.settings.qdrant.collection)
    return {source for record in records if (source := page_of(assistant, layout, record))}


def page_of(assistant: BookAssistant, layout: PayloadLayout, point: Any) -> str:
    """A point's page as the engine's passages name it (their `source`)."""
    found = passage(point, 0.0, layout, assistant.settings.engine.site_url)
    return str(found.metadata.get("source", ""))
