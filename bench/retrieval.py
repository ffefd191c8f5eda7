"""Retrieval alone in the embedded Qdrant: query latency and memory at one size, and
what the hybrid (BM25) leg adds to a query there.

    python bench/retrieval.py --chunks 100000 [--dim 768] [--queries 200]

Chunks are ~250 words drawn from the sample book's vocabulary (Zipf-like, as prose), so
BM25 sees realistic term statistics. The hybrid leg is what the engine runs on top of the
dense query: `LexicalIndex.search` for 20 candidates, then the vectors of those the dense
leg did not bring looked up (`retrieve`) and scored. Prints one JSON line. Run once per
size, in a fresh process, so that memory is its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import resource
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from qdrant_client import AsyncQdrantClient
from qdrant_client.http import models as rest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.lexical import LexicalIndex  # noqa: E402

BATCH = 5000
WORDS_A_CHUNK = 250


def vocabulary() -> list[str]:
    """The sample book's words, most frequent first."""
    text = " ".join(p.read_text() for p in (ROOT / "sample_book").rglob("*.md*"))
    counts: dict[str, int] = {}
    for word in re.findall(r"[A-Za-z_]{3,}", text):
        counts[word.lower()] = counts.get(word.lower(), 0) + 1
    return sorted(counts, key=lambda w: -counts[w])


async def measure(chunks: int, dim: int, queries: int) -> dict[str, float]:
    warnings.simplefilter("ignore")  # qdrant-client warns above 20,000 local points
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    client = AsyncQdrantClient(":memory:")
    params = rest.VectorParams(size=dim, distance=rest.Distance.COSINE)
    await client.create_collection("synthetic", vectors_config=params)
    rng = np.random.default_rng(0)
    words = vocabulary()
    weights = 1.0 / np.arange(1, len(words) + 1)
    weights /= weights.sum()
    texts: list[str] = []
    started = time.perf_counter()
    for start in range(0, chunks, BATCH):
        count = min(BATCH, chunks - start)
        vectors = rng.standard_normal((count, dim), dtype=np.float32)
        ids = list(range(start, start + count))
        drawn = rng.choice(len(words), size=(count, WORDS_A_CHUNK), p=weights)
        batch_texts = [" ".join(words[w] for w in row) for row in drawn]
        texts += batch_texts
        payloads = [
            {"text": text, "source": f"p{i % 500}.md"}
            for i, text in zip(ids, batch_texts, strict=True)
        ]
        await client.upsert(
            "synthetic", rest.Batch(ids=ids, vectors=vectors.tolist(), payloads=payloads)
        )
    load = time.perf_counter() - started
    started = time.perf_counter()
    lexical = LexicalIndex(
        (str(i), text, {"source": f"p{i % 500}.md"}) for i, text in enumerate(texts)
    )
    bm25_build = time.perf_counter() - started
    del texts
    latencies = []
    for _ in range(queries):
        query = rng.standard_normal(dim).tolist()
        t0 = time.perf_counter()
        await client.query_points("synthetic", query=query, limit=5, with_payload=True)
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    hybrid = []
    for _ in range(queries):
        query = " ".join(words[w] for w in rng.choice(min(len(words), 2000), size=6))
        t0 = time.perf_counter()
        ids = lexical.search(query, 20, {})
        if ids:
            await client.retrieve(
                "synthetic", ids=[int(i) for i in ids], with_payload=True, with_vectors=True
            )
        hybrid.append((time.perf_counter() - t0) * 1000)
    hybrid.sort()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    await client.close()
    return {
        "chunks": chunks,
        "load_s": load,
        "p50_ms": latencies[len(latencies) // 2],
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1],
        "rss_mb": peak / 1024,
        "added_mb": (peak - before) / 1024,
        "bm25_build_s": bm25_build,
        "hybrid_p50_ms": hybrid[len(hybrid) // 2],
        "hybrid_p95_ms": hybrid[int(len(hybrid) * 0.95) - 1],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, required=True)
    parser.add_argument("--dim", type=int, default=768)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(measure(args.chunks, args.dim, args.queries))))
