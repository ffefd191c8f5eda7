"""The one retrieval pipeline: what every caller's passages come from.

`/chat`, `/chat/stream`, `bookchat ask`, the REPL (answers and `:retrieve`) and
`bookchat eval` all retrieve through `RetrievalPipeline.retrieve`, so evaluation scores
exactly the passages answers are built from. The steps, in order:

1. **Follow-ups**: with history, the message is rewritten into a standalone question
   (`engine.followups`); that is the `retrieval_query`. The reader's selection, when
   given, joins it for the legs (`engine.answering.with_selection`).
2. **Legs**, over one query embedding: the dense retriever (LlamaIndex over Qdrant, the
   query's filters pushed down); the reader's page, when given (the same retriever
   restricted to that page); the BM25 leg, when hybrid is on (`engine.lexical`).
3. **Fusion**: one leg keeps its order; several are fused by reciprocal rank (the page
   leg at half weight: its passages move ahead of equally ranked ones, better ones stay;
   at double weight for a question that leans on the page and was made standalone with
   its title and section: its passages rank first).
4. **The gate** (`BOOKCHAT_MIN_SCORE`): passages whose cosine similarity is under it do
   not count. None left = "not in the book", with no LLM call.
5. **The `top_k` bound**: the query's or the default, capped for small-window models.

A passage's `score` is its cosine similarity to the retrieval query, whatever the leg
that found it (a lexical-only find is scored by the dense retriever restricted to it).
A reranker is one more step between fusion and the gate.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from llama_index.core import QueryBundle, VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.vector_stores.qdrant import QdrantVectorStore
from qdrant_client import AsyncQdrantClient
from qdrant_client.http import models as rest

from config import Settings
from config.bounds import MAX_FILTER_VALUES
from engine.answering import with_selection
from engine.errors import InvalidQuery
from engine.followups import leans_on_context
from engine.ingestion.anchors import slug
from engine.ingestion.docusaurus import page_url
from engine.lexical import LexicalIndex, ServerTextLeg, rrf
from engine.providers import query_embedding
from engine.store import LLAMA_INDEX_PAYLOAD_KEYS, scroll_all
from engine.telemetry import record_question, stage
from engine.types import ChatQuery, FilterValue, Retrieved, Source
from engine.upstream import upstream_errors

logger = logging.getLogger(__name__)

CANDIDATES = 20
"""Passages each leg brings to the fusion (20 and 40 measured alike)."""
PAGE_WEIGHT = 0.5
"""The page leg's weight in the fusion, against 1 for the dense and BM25 legs."""
PAGE_LOOKUP_LIMIT = 500
"""Chunks of one page scored by vector lookup; a larger page is searched instead."""

PAGE_FIRST_WEIGHT = 2.0
"""The page leg's weight for a question that leans on the page ("How is it configured?"
asked from the SSH page): its passages rank first."""

Rewrite = Callable[[ChatQuery, str | None], Awaitable[str]]
"""The standalone question for a query, given its page's title and section (or None)."""


def qdrant_filter(
    filters: Mapping[str, FilterValue | Sequence[FilterValue]],
) -> rest.Filter | None:
    """Exact-match filters (a list means any of its values) as a Qdrant filter, pushed down
    to every leg. Qdrant's own filter, not LlamaIndex's `MetadataFilters`: those refuse a
    boolean value, which docs/api.md allows (it made `{"deprecated": true}` a 500)."""
    if not filters:
        return None
    conditions: list[Any] = []
    for key, value in filters.items():
        if isinstance(value, (list, tuple)):
            if not value or len(value) > MAX_FILTER_VALUES:
                raise InvalidQuery(f"filter '{key}' needs 1 to {MAX_FILTER_VALUES} values")
            kinds = {type(v) for v in value}
            if kinds not in ({str}, {int}):
                raise InvalidQuery(
                    f"filter '{key}': a list of values must be all strings or all integers"
                )
            match: Any = rest.MatchAny(any=list(value))
        else:
            match = rest.MatchValue(value=value)
        conditions.append(rest.FieldCondition(key=key, match=match))
    return rest.Filter(must=conditions)


def public_metadata(
    metadata: Mapping[str, Any], text_key: str, site_url: str | None = None
) -> dict[str, Any]:
    """A passage's metadata as the API shows it: the payload minus text and internals.

    A payload with a `source` but no `url` (another tool's collection) gets the URL
    ingestion would give it when `site_url` is known, with the section's anchor.
    """
    shown = {
        key: value
        for key, value in metadata.items()
        if key != text_key and key not in LLAMA_INDEX_PAYLOAD_KEYS
    }
    shown["source"] = str(shown.get("source") or shown.get("file_path") or shown.get("path") or "")
    shown["title"] = str(shown.get("title") or "")
    if not shown.get("url") and site_url and shown["source"]:
        anchor = shown.get("anchor") or (
            slug(str(shown["heading"])) if shown.get("heading") else ""
        )
        url = page_url(site_url, shown["source"], {})
        shown["url"] = f"{url}#{anchor}" if anchor else url
    if "url" in shown and (url := safe_url(shown["url"])) != shown["url"]:
        if url is None:
            del shown["url"]
        else:
            shown["url"] = url
    return shown


SAFE_URL_SCHEMES = ("http", "https")


def safe_url(value: object) -> str | None:
    """`value` as a link a reader's browser may open: an http(s) URL or a relative one
    (`/docs/x#a`, `//host/x`), stripped; None for any other scheme (`javascript:`,
    `data:`, `file:`...), which a foreign payload may hold and a client may render as a
    link. `urlsplit` drops the tabs, newlines and leading control characters a browser
    ignores too (`java\tscript:` is `javascript:`)."""
    text = str(value).strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:  # e.g. an unclosed IPv6 bracket
        scheme = "unparsable"
    if scheme and scheme not in SAFE_URL_SCHEMES:
        _dropped_scheme(scheme)
        return None
    return text


@functools.lru_cache(maxsize=64)
def _dropped_scheme(scheme: str) -> None:
    """Logs a dropped scheme once a process (the cache is the memory of what was said):
    a collection full of them would otherwise log at every request."""
    logger.warning(
        "passage urls with the scheme %r are dropped: only http(s) and relative URLs are returned",
        scheme,
    )


def passage(
    point: rest.ScoredPoint | rest.Record, score: float, text_key: str, site_url: str | None
) -> Source:
    """A Qdrant point as a passage: its text (under `text_key`, as `bookchat ingest` and
    other tools write it, or inside LlamaIndex's `_node_content`) and public metadata."""
    payload = point.payload or {}
    text = payload.get(text_key)
    if text is None and "_node_content" in payload:
        text = json.loads(payload["_node_content"]).get("text")
    return Source(
        id=str(point.id),
        text=str(text or ""),
        score=float(score),
        metadata=public_metadata(payload, text_key, site_url),
    )


@dataclass(frozen=True)
class Hit:
    """A point a leg found and its cosine score; made a passage only if chosen."""

    id: str
    score: float
    point: rest.ScoredPoint | rest.Record


class _Pages:
    """The collection's pages by their site path, to resolve a reader's `page`."""

    def __init__(
        self,
        sources: set[str],
        by_path: dict[str, str],
        titles: dict[str, str] | None = None,
        sections: dict[tuple[str, str], str] | None = None,
    ) -> None:
        self.sources = sources
        self.by_path = by_path
        self.titles = titles or {}
        self.sections = sections or {}

    def described(self, page: str, source: str) -> str:
        """The page's title and, when the reader's URL names one, its section."""
        title = self.titles.get(source) or source
        anchor = urlsplit(page.strip()).fragment
        section = self.sections.get((source, anchor)) if anchor else None
        return f"{title} - {section}" if section else title

    def source_of(self, page: str) -> str | None:
        page = page.strip()
        if page in self.sources:
            return page
        path = urlsplit(page).path.rstrip("/") or "/"
        if path.lstrip("/") in self.sources:
            return path.lstrip("/")
        if path in self.by_path:
            return self.by_path[path]
        # A site served under another base path: the longest known path it ends with.
        matches = [known for known in self.by_path if known != "/" and path.endswith(known)]
        return self.by_path[max(matches, key=len)] if matches else None


class RetrievalPipeline:
    """The retrieval steps, built once per index and shared by every query."""

    def __init__(
        self,
        index: VectorStoreIndex,
        embed_model: BaseEmbedding,
        client: AsyncQdrantClient,
        settings: Settings,
        *,
        rewrite: Rewrite,
        min_score: float | None,
        max_top_k: int | None = None,
        lexical: LexicalIndex | ServerTextLeg | None = None,
    ) -> None:
        self._index = index
        self._embed_query = query_embedding(embed_model)
        self._client = client
        self._settings = settings.engine
        self._qdrant = settings.qdrant
        self._rewrite = rewrite
        self.min_score = min_score
        self._max_top_k = max_top_k
        self._lexical = lexical
        self._pages: _Pages | None = None

    @property
    def _store(self) -> QdrantVectorStore:
        """The index's Qdrant store: its vector name and its payload parser."""
        store = self._index.vector_store
        assert isinstance(store, QdrantVectorStore)
        return store

    @property
    def hybrid(self) -> bool:
        return self._lexical is not None

    def top_k(self, query: ChatQuery) -> int:
        """Passages for a query: its own or the default, within the models' bound."""
        wanted = query.top_k or self._settings.top_k
        return min(wanted, self._max_top_k) if self._max_top_k else wanted

    async def retrieve(self, query: ChatQuery) -> Retrieved:
        """The retrieval query and the passages that count for it, best first."""
        record_question(query.message)
        page = await self._page_source(query.page) if query.page else None
        context = (
            self._pages.described(query.page, page)
            if query.page and page and self._pages and not query.history
            else None
        )
        search = await self._rewrite(query, context)
        top_k = self.top_k(query)
        filters = qdrant_filter(query.filters)
        # A question made standalone with its page leans on it: the page's passages first.
        leans = context is not None and self._settings.followup_decide
        page_weight = (
            PAGE_FIRST_WEIGHT if leans and leans_on_context(query.message) else PAGE_WEIGHT
        )
        # The reader's selection is part of the question ("Explain this passage.").
        bundle = QueryBundle(with_selection(search, query.selected_text))
        with upstream_errors("query embedding"), stage("embed"):
            bundle.embedding = await self._embed_query(bundle.query_str)
        with stage("search"):
            passages = await self._search(bundle, query, top_k, filters, page, page_weight)
        return Retrieved(search, passages)

    async def _search(
        self,
        bundle: QueryBundle,
        query: ChatQuery,
        top_k: int,
        filters: rest.Filter | None,
        page: str | None,
        page_weight: float = PAGE_WEIGHT,
    ) -> list[Source]:
        """The legs (dense; BM25 and the reader's page when on), fused, gated, cut."""
        fused = self._lexical is not None or page is not None
        dense = await self._dense(bundle, max(top_k, CANDIDATES) if fused else top_k, filters)
        if not fused:
            return self._passages(self._gate(dense)[:top_k])
        rankings, weights = [[hit.id for hit in dense]], [1.0]
        found = {hit.id: hit for hit in dense}
        if self._lexical is not None:
            rankings.append(await self._lexical_ids(bundle, query, filters))
            weights.append(1.0)
        if page is not None:
            paged = await self._page_leg(bundle, query, filters, page, top_k)
            rankings.append([hit.id for hit in paged])
            found.update({hit.id: hit for hit in paged})
            weights.append(page_weight)
        scores = rrf(rankings, weights)
        # Ties keep the order ids were first seen in (dense, then BM25, then page).
        ranked = sorted(dict.fromkeys(i for ids in rankings for i in ids), key=lambda i: -scores[i])
        return self._passages(await self._best(bundle, ranked, found, top_k))

    def _passages(self, hits: list[Hit]) -> list[Source]:
        """The chosen points as passages, the one form a passage keeps up to the response.
        Only these: the dense leg's 20 candidates made LlamaIndex nodes were 6 % of the
        service's CPU in a c=32 burst, for the 5 kept."""
        return [
            passage(hit.point, hit.score, self._qdrant.text_key, self._settings.site_url)
            for hit in hits
        ]

    async def _best(
        self, bundle: QueryBundle, ranked: list[str], found: dict[str, Hit], k: int
    ) -> list[Hit]:
        """The first `k` passages of `ranked` that pass the gate. A BM25-only find is
        looked up (vector and payload) only when its rank could put it among them:
        measured at c=32, looking up all ~15 of the 20 BM25 candidates that the dense leg
        had not found was 8 % of the service's CPU, for the 1 or 2 that make the top 5."""
        chosen: list[Hit] = []
        start = 0
        while len(chosen) < k and start < len(ranked):
            # The first window is the top k; when the gate rejected some, the rest of the
            # ranking at once: at most two lookups, whatever the gate does.
            window = ranked[start : start + k] if start == 0 else ranked[start:]
            start += len(window)
            missing = [point_id for point_id in window if point_id not in found]
            if missing:
                found.update({hit.id: hit for hit in await self._by_id(bundle, missing)})
            chosen += self._gate([found[i] for i in window if i in found])
        return chosen[:k]

    def _gate(self, hits: list[Hit]) -> list[Hit]:
        if self.min_score is None:
            return hits
        return [hit for hit in hits if hit.score >= self.min_score]

    async def _dense(self, bundle: QueryBundle, k: int, filters: rest.Filter | None) -> list[Hit]:
        # The query the store's `aquery` makes (its dense vector, the filters pushed down),
        # made here: neither a `VectorIndexRetriever` per request (spans, events, callback
        # trace, docstore and recursion checks: 1.5 ms of CPU a query against 1.0) nor the
        # store's parse of all 20 candidates into nodes (`_nodes` makes the chosen ones).
        store = self._store
        with upstream_errors("retrieval"):
            response = await self._client.query_points(
                self._qdrant.collection,
                query=bundle.embedding,
                using=store.dense_vector_name or None,
                limit=k,
                query_filter=filters,
                with_payload=True,
            )
        found: dict[str, Hit] = {}
        for point in response.points:  # the first of an id, as LlamaIndex's retriever
            found.setdefault(str(point.id), Hit(str(point.id), point.score, point))
        return list(found.values())

    async def _lexical_ids(
        self, bundle: QueryBundle, query: ChatQuery, filters: rest.Filter | None
    ) -> list[str]:
        """The BM25 ranking's point ids, best first (looked up later, when needed)."""
        if isinstance(self._lexical, LexicalIndex):
            return self._lexical.search(bundle.query_str, CANDIDATES, query.filters)
        if isinstance(self._lexical, ServerTextLeg):
            return await self._lexical.search(bundle.query_str, CANDIDATES, filters)
        return []

    async def _page_leg(
        self,
        bundle: QueryBundle,
        query: ChatQuery,
        filters: rest.Filter | None,
        page: str,
        k: int,
    ) -> list[Hit]:
        """The best passages of the reader's page (and of the query's filters)."""
        if isinstance(self._lexical, LexicalIndex):
            # In process: the page's chunks are known, so their vectors are looked up
            # (a filtered search runs in pure Python: ~130 ms at 10k chunks).
            ids = self._lexical.ids_where({"source": page})
            if query.filters:  # and every filter of the query
                admitted = set(self._lexical.ids_where(query.filters))
                ids = [point_id for point_id in ids if point_id in admitted]
            if len(ids) <= PAGE_LOOKUP_LIMIT:
                scored = await self._by_id(bundle, ids)
                return sorted(scored, key=lambda hit: -hit.score)[:k]
        return await self._dense(bundle, k, _with_source(filters, page))

    async def _by_id(self, bundle: QueryBundle, ids: list[str]) -> list[Hit]:
        """Passages by point id, scored by cosine like the dense leg's: a lookup, not a
        search (a search restricted to ids scans every point in the embedded mode, ~100 ms
        at 10k chunks; the lookup takes well under a millisecond)."""
        if not ids:
            return []
        with upstream_errors("qdrant retrieve"):
            records = await self._client.retrieve(
                self._qdrant.collection, ids=ids, with_payload=True, with_vectors=True
            )
        store = self._store
        query = np.asarray(bundle.embedding, dtype=np.float32)
        query /= float(np.linalg.norm(query)) or 1.0
        found = []
        for record in records:
            vectors = record.vector
            vector = (
                vectors.get(store.dense_vector_name or "") if isinstance(vectors, dict) else vectors
            )
            dense = np.asarray(vector or [], dtype=np.float32)
            norm = float(np.linalg.norm(dense)) or 1.0
            point = record.model_copy(update={"vector": None})  # not part of a passage
            found.append(Hit(str(record.id), float(query @ dense) / norm, point))
        order = {point_id: rank for rank, point_id in enumerate(ids)}
        return sorted(found, key=lambda hit: order.get(hit.id, len(order)))

    async def _page_source(self, page: str) -> str | None:
        """The `source` of the reader's page, from its source path or its site path."""
        if self._pages is None:
            with upstream_errors("qdrant scroll"):
                records = await scroll_all(
                    self._client,
                    self._qdrant.collection,
                    ["source", "url", "title", "heading", "anchor"],
                )
            sources: set[str] = set()
            by_path: dict[str, str] = {}
            titles: dict[str, str] = {}
            sections: dict[tuple[str, str], str] = {}
            for record in records:
                payload = record.payload or {}
                source = str(payload.get("source") or "")
                if not source:
                    continue
                sources.add(source)
                if payload.get("title"):
                    titles.setdefault(source, str(payload["title"]))
                if payload.get("heading"):
                    anchor = str(payload.get("anchor") or slug(str(payload["heading"])))
                    sections.setdefault((source, anchor), str(payload["heading"]))
                if payload.get("url"):
                    by_path[urlsplit(str(payload["url"])).path.rstrip("/") or "/"] = source
            self._pages = _Pages(sources, by_path, titles, sections)
        found = self._pages.source_of(page)
        if found is None:
            logger.info("page %r is not in the collection: no preference", page[:200])
        return found


def _with_source(filters: rest.Filter | None, source: str) -> rest.Filter:
    """The query's filters (all of them must hold) and the page's `source`."""
    page = rest.FieldCondition(key="source", match=rest.MatchValue(value=source))
    must = list(filters.must or []) if filters is not None else []
    return rest.Filter(must=[*must, page])
