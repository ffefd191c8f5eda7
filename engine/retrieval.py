"""The one retrieval pipeline: what every caller's passages come from.

`/chat`, `/chat/stream`, `bookchat ask`, the REPL (answers and `:retrieve`) and
`bookchat eval` all retrieve through `RetrievalPipeline.retrieve`, so evaluation scores
exactly the passages answers are built from. One place for each step, in order:

1. the `top_k` bound (the query's or the default, capped for small-window models);
2. the retriever over the index, with the query's metadata filters pushed down to Qdrant;
3. the retrieval postprocessors (similarity cutoff).

A reranker, a second (lexical) leg or a page boost is one more step here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from llama_index.core import QueryBundle, VectorStoreIndex
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.postprocessor import SimilarityPostprocessor
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import MetadataMode, NodeWithScore
from llama_index.core.vector_stores.types import (
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
)

from config import Settings
from config.bounds import MAX_FILTER_VALUES
from engine.errors import InvalidQuery
from engine.store import LLAMA_INDEX_PAYLOAD_KEYS
from engine.types import ChatQuery, FilterValue, Source
from engine.upstream import upstream_errors


def metadata_filters(
    filters: Mapping[str, FilterValue | Sequence[FilterValue]],
) -> MetadataFilters | None:
    """Exact-match filters (a list means any of its values), pushed down to Qdrant."""
    if not filters:
        return None
    items: list[MetadataFilter | MetadataFilters] = []
    for key, value in filters.items():
        if isinstance(value, (list, tuple)):
            if not value or len(value) > MAX_FILTER_VALUES:
                raise InvalidQuery(f"filter '{key}' needs 1 to {MAX_FILTER_VALUES} values")
            kinds = {type(v) for v in value}
            if kinds not in ({str}, {int}):
                raise InvalidQuery(
                    f"filter '{key}': a list of values must be all strings or all integers"
                )
            items.append(MetadataFilter(key=key, value=list(value), operator=FilterOperator.IN))
        else:
            items.append(MetadataFilter(key=key, value=value, operator=FilterOperator.EQ))
    return MetadataFilters(filters=items)


def public_metadata(metadata: Mapping[str, Any], text_key: str) -> dict[str, Any]:
    """A passage's metadata as the API shows it: the payload minus text and internals."""
    shown = {
        key: value
        for key, value in metadata.items()
        if key != text_key and key not in LLAMA_INDEX_PAYLOAD_KEYS
    }
    shown["source"] = str(shown.get("source") or shown.get("file_path") or shown.get("path") or "")
    shown["title"] = str(shown.get("title") or "")
    return shown


class RetrievalPipeline:
    """Retriever, filters, postprocessors and the `top_k` bound, built once per index."""

    def __init__(
        self, index: VectorStoreIndex, settings: Settings, max_top_k: int | None = None
    ) -> None:
        self._index = index
        self._settings = settings.engine
        self._text_key = settings.qdrant.text_key
        self._max_top_k = max_top_k
        self._postprocessors: list[BaseNodePostprocessor] = []
        if self._settings.similarity_cutoff is not None:
            self._postprocessors.append(
                SimilarityPostprocessor(similarity_cutoff=self._settings.similarity_cutoff)
            )

    def top_k(self, query: ChatQuery) -> int:
        """Passages for a query: its own or the default, within the models' bound."""
        wanted = query.top_k or self._settings.top_k
        return min(wanted, self._max_top_k) if self._max_top_k else wanted

    async def retrieve(self, query: ChatQuery, text: str | None = None) -> list[NodeWithScore]:
        """The ranked passages for `text` (default: the query's message)."""
        search = text if text is not None else query.message
        retriever = self._index.as_retriever(
            similarity_top_k=self.top_k(query), filters=metadata_filters(query.filters)
        )
        with upstream_errors("retrieval"):
            nodes = await retriever.aretrieve(search)
        bundle = QueryBundle(search)
        for step in self._postprocessors:
            nodes = step.postprocess_nodes(nodes, query_bundle=bundle)
        return nodes

    def retriever(self, query: ChatQuery) -> BaseRetriever:
        """This pipeline as a LlamaIndex retriever for one query (for a chat engine)."""
        return _QueryRetriever(self, query)

    def sources(self, nodes: Sequence[NodeWithScore]) -> list[Source]:
        """Passages as the engine returns them: text, score and public metadata."""
        return [
            Source(
                id=item.node.node_id,
                text=item.node.get_content(metadata_mode=MetadataMode.NONE),
                score=float(item.score or 0.0),
                metadata=public_metadata(item.node.metadata, self._text_key),
            )
            for item in nodes
        ]


class _QueryRetriever(BaseRetriever):
    """The pipeline bound to one query, as the retriever of a per-request chat engine."""

    def __init__(self, pipeline: RetrievalPipeline, query: ChatQuery) -> None:
        super().__init__()
        self._pipeline = pipeline
        self._query = query

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        raise NotImplementedError("the retrieval pipeline is async only")

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return await self._pipeline.retrieve(self._query, query_bundle.query_str)
