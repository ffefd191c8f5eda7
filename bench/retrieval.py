"""Retrieval alone in the embedded Qdrant: query latency and memory at one size.

    python bench/retrieval.py --chunks 100000 [--dim 768] [--queries 200]

Prints one JSON line. Run once per size, in a fresh process, so that memory is its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import time
import warnings

import numpy as np
from qdrant_client import AsyncQdrantClient
from qdrant_client.http import models as rest

BATCH = 5000


async def measure(chunks: int, dim: int, queries: int) -> dict[str, float]:
    warnings.simplefilter("ignore")  # qdrant-client warns above 20,000 local points
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    client = AsyncQdrantClient(":memory:")
    params = rest.VectorParams(size=dim, distance=rest.Distance.COSINE)
    await client.create_collection("synthetic", vectors_config=params)
    rng = np.random.default_rng(0)
    started = time.perf_counter()
    for start in range(0, chunks, BATCH):
        count = min(BATCH, chunks - start)
        vectors = rng.standard_normal((count, dim), dtype=np.float32)
        ids = list(range(start, start + count))
        payloads = [{"text": f"chunk {i}", "source": f"p{i % 500}.md"} for i in ids]
        await client.upsert(
            "synthetic", rest.Batch(ids=ids, vectors=vectors.tolist(), payloads=payloads)
        )
    load = time.perf_counter() - started
    latencies = []
    for _ in range(queries):
        query = rng.standard_normal(dim).tolist()
        t0 = time.perf_counter()
        await client.query_points("synthetic", query=query, limit=5, with_payload=True)
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    await client.close()
    return {
        "chunks": chunks,
        "load_s": load,
        "p50_ms": latencies[len(latencies) // 2],
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1],
        "rss_mb": peak / 1024,
        "added_mb": (peak - before) / 1024,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, required=True)
    parser.add_argument("--dim", type=int, default=768)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(measure(args.chunks, args.dim, args.queries))))
