"""The one retrieval pipeline: what every caller's passages come from.

`/chat`, `/chat/stream`, `bookchat ask`, the REPL (answers and `:retrieve`) and
`bookchat eval` all retrieve through `RetrievalPipeline.retrieve`, so evaluation scores
exactly the passages answers are built from. The steps, in order:

0. **Scope**: on a collection read from a Docusaurus build, the version and locale answered
   from (the query's, else its page's, else the latest version in the default locale), as
   filters added to the query's own (`_Pages.scope`).
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

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import unquote, urlsplit

import numpy as np
from llama_index.core import QueryBundle, VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.vector_stores.qdrant import QdrantVectorStore
from qdrant_client import AsyncQdrantClient
from qdrant_client.http import models as rest

from config import Settings
from config.bounds import MAX_FILTER_VALUES
from engine.answering import with_selection
from engine.errors import InvalidQuery, UnknownScope
from engine.followups import leans_on_context
from engine.ingestion.anchors import slug
from engine.ingestion.docusaurus import page_url
from engine.lexical import LexicalIndex, ServerTextLeg, query_terms, rrf
from engine.payloads import FIELDS as PUBLIC_FIELDS
from engine.payloads import PayloadLayout, as_text
from engine.providers import query_embedding
from engine.store import scroll_all
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
RELEARN_SECONDS = 60.0
"""The collection's pages, versions and locales are read again when a query asks for one
not in them, at most this often (a re-ingestion on a server, e.g. a new version)."""

SELECTION_HELD = 0.8
"""A candidate holds the reader's selection when this share of the selection's terms is
in its text: it is the passage the selection was taken from."""
SELECTION_CANDIDATES = 5
"""The candidates of each leg read for the selection (a BM25-only find among them is
looked up: one lookup, only for a query with a selection)."""
SELECTION_WEIGHT = 4.0
"""The weight of the passages holding the selection in the fusion: they rank first."""
PAGE_FIRST_WEIGHT = 2.0
"""The page leg's weight for a question that leans on the page ("How is it configured?"
asked from the SSH page): its passages rank first."""

Rewrite = Callable[[ChatQuery, str | None], Awaitable[str]]
"""The standalone question for a query, given its page's title and section (or None)."""


def qdrant_filter(
    filters: Mapping[str, FilterValue | Sequence[FilterValue]],
    key_path: Callable[[str], str] = str,
) -> rest.Filter | None:
    """Exact-match filters (a list means any of its values) as a Qdrant filter, pushed down
    to every leg. Qdrant's own filter, not LlamaIndex's `MetadataFilters`: those refuse a
    boolean value, which docs/api.md allows (it made `{"deprecated": true}` a 500).
    `key_path`: where a key lives in the payload (`PayloadLayout.filter_key`)."""
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
        conditions.append(rest.FieldCondition(key=key_path(key), match=match))
    return rest.Filter(must=conditions)


def public_metadata(
    payload: Mapping[str, Any], layout: PayloadLayout, site_url: str | None = None
) -> dict[str, Any]:
    """A passage's metadata as the API shows it: the payload's metadata, flat (a nested
    `metadata`/`meta` object lifted), minus text and internals, with `title`, `heading`,
    `source` and (when the collection has one) `url` at its top, read where the layout
    says (`engine.payloads`).

    A payload with a `source` but no `url` (another tool's collection) gets the URL
    ingestion would give it when `site_url` is known, with the section's anchor.
    """
    shown = layout.metadata_of(payload)
    url_path = layout.fields.get("url")
    if url_path and (renamed := url_path.split(".")[-1]) not in PUBLIC_FIELDS:
        # Lifted as `url` (made safe below): not shown raw under its own name too.
        shown.pop(renamed, None)
    for name in ("title", "heading", "source"):
        shown[name] = as_text(layout.field_of(payload, name))
    url = layout.field_of(payload, "url")
    if url not in (None, ""):
        shown["url"] = str(url)
    else:
        shown.pop("url", None)
    if not shown.get("url") and site_url and shown["source"] and not _is_web_url(shown["source"]):
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


def _is_web_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


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
    point: rest.ScoredPoint | rest.Record,
    score: float,
    layout: PayloadLayout,
    site_url: str | None,
) -> Source:
    """A Qdrant point as a passage: its text and public metadata, read as the
    collection's payload layout says (`bookchat ingest`'s, LlamaIndex's, LangChain's...)."""
    payload = point.payload or {}
    return Source(
        id=str(point.id),
        text=layout.text_of(payload),
        score=float(score),
        metadata=public_metadata(payload, layout, site_url),
    )


@dataclass(frozen=True)
class Hit:
    """A point a leg found and its cosine score; made a passage only if chosen."""

    id: str
    score: float
    point: rest.ScoredPoint | rest.Record


SCOPE_KEYS = [
    "source",
    "url",
    "version",
    "locale",
    "latest",
    "default_locale",
    "title",
    "heading",
    "anchor",
]
"""The payload keys the collection's pages and scopes are learnt from (once a process)."""


def site_path(page: str) -> str:
    """A page's path as compared: no origin, query or `#anchor`, percent-decoded, without
    `index.html`, `.html` or a trailing slash (a site serves all of these forms)."""
    path = unquote(urlsplit(page.strip()).path)
    path = path.removesuffix("index.html").removesuffix(".html")
    return "/" + path.strip("/") if path.strip("/") else "/"


@dataclass(frozen=True)
class Scope:
    """The part of the collection a query is answered from: exact-match payload filters
    (added to the query's own) and the locale answered in."""

    filters: dict[str, FilterValue]
    locale: str | None = None

    def within(
        self, filters: Mapping[str, FilterValue | Sequence[FilterValue]]
    ) -> dict[str, FilterValue | Sequence[FilterValue]]:
        """The query's own filters, within this scope: a query that filters on a version
        key (`version`, `latest`) or a locale key (`locale`, `default_locale`) itself
        keeps its own choice for that one."""
        kept = {
            key: value
            for key, value in self.filters.items()
            if not any(other in filters for other in SCOPE_GROUPS[key])
        }
        return {**kept, **filters}


SCOPE_GROUPS = {
    "version": ("version", "latest"),
    "latest": ("version", "latest"),
    "locale": ("locale", "default_locale"),
    "default_locale": ("locale", "default_locale"),
}


class _Pages:
    """What the collection says of its pages, learnt once: each page by its site path (to
    resolve a reader's `page`) with its version and locale, and the versions and locales
    the collection holds (to answer from the reader's). A collection without `version` or
    `locale` payloads (the sources reader's, another tool's) is never limited by them."""

    def __init__(self, payloads: Iterable[Mapping[str, Any]]) -> None:
        self.sources: set[str] = set()
        self.by_path: dict[str, str] = {}
        self.scopes: dict[str, tuple[str | None, str | None]] = {}
        self.versions: set[str] = set()
        self.latest: set[str] = set()
        self.locales: set[str] = set()
        self.default_locale: str | None = None
        self.titles: dict[str, str] = {}
        self.sections: dict[tuple[str, str], str] = {}
        for payload in payloads:
            version, locale = payload.get("version"), payload.get("locale")
            version = str(version) if isinstance(version, str) and version else None
            locale = str(locale) if isinstance(locale, str) and locale else None
            if version:
                self.versions.add(version)
                if payload.get("latest") is True:
                    self.latest.add(version)
            if locale:
                self.locales.add(locale)
                if payload.get("default_locale") is True:
                    self.default_locale = locale
            source = str(payload.get("source") or "")
            if not source:
                continue
            self.sources.add(source)
            self.scopes.setdefault(source, (version, locale))
            if payload.get("title"):
                self.titles.setdefault(source, str(payload["title"]))
            if payload.get("heading"):
                anchor = str(payload.get("anchor") or slug(str(payload["heading"])))
                self.sections.setdefault((source, anchor), str(payload["heading"]))
            for where in (payload.get("url"), source if source.startswith("/") else None):
                if where:
                    self.by_path[site_path(str(where))] = source

    def described(self, page: str, source: str) -> str:
        """The page's title and, when the reader's URL names one, its section."""
        title = self.titles.get(source) or source
        anchor = urlsplit(page.strip()).fragment
        section = self.sections.get((source, anchor)) if anchor else None
        return f"{title} - {section}" if section else title

    def source_of(self, page: str) -> str | None:
        """The `source` of a page given as its source, its site path or its URL, in any
        form the site serves: with or without the trailing slash or `index.html`, with an
        `#anchor` or a `?query`, with its locale's prefix (`/fr/...`), absolute or not."""
        page = page.strip()
        if page in self.sources:
            return page
        path = site_path(page)
        if path.lstrip("/") in self.sources:
            return path.lstrip("/")
        if path in self.by_path:
            return self.by_path[path]
        # A site served under another base path: the longest known path it ends with.
        matches = [known for known in self.by_path if known != "/" and path.endswith(known)]
        return self.by_path[max(matches, key=len)] if matches else None

    def scope(self, source: str | None, version: str | None, locale: str | None) -> Scope:
        """The filters of the version and locale answered from: those asked, else the
        page's, else the latest version (Docusaurus's `lastVersion`, never `next` unless
        it is the latest; pages of no version, blog posts, count as latest) and the
        default locale. A version or locale the collection has none of is an error, unless
        it has no versions or locales at all (then nothing is limited)."""
        page_version, page_locale = (
            self.scopes.get(source, (None, None)) if source else (None, None)
        )
        filters: dict[str, FilterValue] = {}
        if self.versions:
            if version is not None and version not in self.versions:
                raise UnknownScope(
                    f"unknown version {version!r}: the collection holds "
                    + ", ".join(
                        f"{v} (latest)" if v in self.latest else v for v in sorted(self.versions)
                    )
                )
            if version or page_version:
                filters["version"] = version or page_version or ""
            elif self.latest:  # some version is marked the latest (a build's pages)
                filters["latest"] = True
        answered_in = None
        if self.locales:
            if locale is not None and locale not in self.locales:
                raise UnknownScope(
                    f"unknown locale {locale!r}: the collection holds "
                    + ", ".join(
                        f"{name} (default)" if name == self.default_locale else name
                        for name in sorted(self.locales)
                    )
                )
            answered_in = locale or page_locale or self.default_locale
            if locale or page_locale:
                filters["locale"] = answered_in or ""
            elif self.default_locale is not None:
                filters["default_locale"] = True
        return Scope(filters, answered_in)


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
        layout: PayloadLayout | None = None,
    ) -> None:
        self._index = index
        self.layout = layout or PayloadLayout()
        self._embed_query = query_embedding(embed_model)
        self._client = client
        self._settings = settings.engine
        self._qdrant = settings.qdrant
        self._rewrite = rewrite
        self.min_score = min_score
        self._max_top_k = max_top_k
        self._lexical = lexical
        self._pages: _Pages | None = None
        self._pages_lock = asyncio.Lock()
        self._pages_read_at = 0.0

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
        page, scope = await self.scope(query)
        # The reader's version and locale: pushed down with the query's own filters.
        query = replace(query, filters=scope.within(query.filters))
        filters = qdrant_filter(query.filters, self.layout.filter_key)
        pages = self._pages
        context = (
            pages.described(query.page, page)
            if query.page and page and pages is not None and not query.history
            else None
        )
        search = await self._rewrite(query, context)
        top_k = self.top_k(query)
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
        return Retrieved(search, passages, scope.locale)

    async def scope(self, query: ChatQuery) -> tuple[str | None, Scope]:
        """The `source` of the reader's page (None: none given, or not in the collection)
        and the version and locale the query is answered from (`UnknownScope` for one the
        collection does not hold)."""
        for attempt in range(2):
            pages = await self._learn_pages(refresh=attempt > 0)
            page = pages.source_of(query.page) if query.page else None
            try:
                scope = pages.scope(page, query.version, query.locale)
            except UnknownScope:
                if attempt or not self._may_relearn():
                    raise
                continue
            break
        if query.page and page is None:
            logger.info("page %r is not in the collection: no preference", query.page[:200])
        return page, scope

    def _may_relearn(self) -> bool:
        """Whether what the collection holds may be read again: a version or locale not in
        it was asked, and the last reading is older than `RELEARN_SECONDS` (a server's
        collection may have been re-ingested meanwhile, a new version with it). A page not
        in it is not worth a reading: a reader on a page that is no docs page asks often."""
        return time.monotonic() - self._pages_read_at >= RELEARN_SECONDS

    async def _search(
        self,
        bundle: QueryBundle,
        query: ChatQuery,
        top_k: int,
        filters: rest.Filter | None,
        page: str | None,
        page_weight: float = PAGE_WEIGHT,
    ) -> list[Source]:
        """The legs (dense; BM25 and the reader's page when on), fused, gated, cut; the
        passages holding the reader's selection first, whatever the gate says."""
        selection = query_terms(query.selected_text or "")
        fused = self._lexical is not None or page is not None or bool(selection)
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
        held = await self._holding(bundle, selection, rankings, found) if selection else []
        if held:
            rankings.append(held)
            weights.append(SELECTION_WEIGHT)
        scores = rrf(rankings, weights)
        # Ties keep the order ids were first seen in (dense, then BM25, then page).
        ranked = sorted(dict.fromkeys(i for ids in rankings for i in ids), key=lambda i: -scores[i])
        return self._passages(await self._best(bundle, ranked, found, top_k, set(held)))

    async def _holding(
        self,
        bundle: QueryBundle,
        selection: list[str],
        rankings: list[list[str]],
        found: dict[str, Hit],
    ) -> list[str]:
        """The candidates whose text holds the reader's selection (`SELECTION_HELD` of
        its terms), in their first leg's order: the passage the selection was taken
        from. A half sentence selected and "Explain this passage." ranked the safety
        pages first offline (its words "safe", "Linux"), the page it came from 1st in
        BM25 but out of the dense leg's 20, so out of the fusion's top 4."""
        wanted = set(selection)
        ids = list(dict.fromkeys(i for ids in rankings for i in ids[:SELECTION_CANDIDATES]))
        missing = [point_id for point_id in ids if point_id not in found]
        if missing:
            found.update({hit.id: hit for hit in await self._by_id(bundle, missing)})
        return [
            point_id
            for point_id in ids
            if point_id in found
            and len(wanted & set(query_terms(self._text_of(found[point_id]))))
            >= SELECTION_HELD * len(wanted)
        ]

    def _text_of(self, hit: Hit) -> str:
        return self.layout.text_of(hit.point.payload or {})

    def _passages(self, hits: list[Hit]) -> list[Source]:
        """The chosen points as passages, the one form a passage keeps up to the response.
        Only these: the dense leg's 20 candidates made LlamaIndex nodes were 6 % of the
        service's CPU in a c=32 burst, for the 5 kept."""
        return [passage(hit.point, hit.score, self.layout, self._settings.site_url) for hit in hits]

    async def _best(
        self,
        bundle: QueryBundle,
        ranked: list[str],
        found: dict[str, Hit],
        k: int,
        held: Set[str] = frozenset(),
    ) -> list[Hit]:
        """The first `k` passages of `ranked` that pass the gate (or are `held`: they
        hold the reader's selection, whatever their score). A BM25-only find is
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
            hits = [found[i] for i in window if i in found]
            passed = {hit.id for hit in self._gate(hits)}
            chosen += [hit for hit in hits if hit.id in passed or hit.id in held]
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
        return await self._dense(
            bundle, k, _with_source(filters, self.layout.filter_key("source"), page)
        )

    async def _by_id(self, bundle: QueryBundle, ids: list[str]) -> list[Hit]:
        """Passages by point id, scored by cosine like the dense leg's: a lookup, not a
        search (a search restricted to ids scans every point in the embedded mode, ~100 ms
        at 10k chunks; the lookup takes well under a millisecond)."""
        if not ids:
            return []
        with upstream_errors("qdrant retrieve"):
            records = await self._client.retrieve(
                self._qdrant.collection,
                ids=[point_key(point_id) for point_id in ids],
                with_payload=True,
                with_vectors=True,
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

    def _scope_fields(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """A point's page and scope fields, wherever its layout keeps `source` and `url`
        (the version and locale fields exist only in the build reader's own layout)."""
        fields = {key: payload.get(key) for key in SCOPE_KEYS}
        fields["source"] = self.layout.field_of(payload, "source")
        fields["url"] = self.layout.field_of(payload, "url")
        fields["title"] = self.layout.field_of(payload, "title")
        fields["heading"] = self.layout.field_of(payload, "heading")
        return fields

    async def _learn_pages(self, *, refresh: bool = False) -> _Pages:
        """The collection's pages, versions and locales, read (a scroll of a few payload
        keys) on the first query, and again on `refresh` (one reading at a time)."""
        known = self._pages
        if known is None or refresh:
            async with self._pages_lock:
                if self._pages is known:  # no other query read it meanwhile
                    keys = sorted({*self.layout.payload_paths, *SCOPE_KEYS})
                    with upstream_errors("qdrant scroll"):
                        records = await scroll_all(self._client, self._qdrant.collection, keys)
                    self._pages = _Pages(self._scope_fields(r.payload or {}) for r in records)
                    self._pages_read_at = time.monotonic()
        assert self._pages is not None
        return self._pages


def point_key(point_id: str) -> int | str:
    """A point id as Qdrant takes it: an integer id (another tool's collection may use
    them) is not found by its string."""
    return int(point_id) if point_id.isdigit() else point_id


def _with_source(filters: rest.Filter | None, key: str, source: str) -> rest.Filter:
    """The query's filters (all of them must hold) and the page's `source` (at `key`)."""
    page = rest.FieldCondition(key=key, match=rest.MatchValue(value=source))
    must = list(filters.must or []) if filters is not None else []
    return rest.Filter(must=[*must, page])
