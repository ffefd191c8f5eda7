"""Retrieval-quality evaluation: `bookchat eval`.

A dataset is JSON Lines, one `{"question": str, "expected": [source, ...]}` a line. A
retrieved chunk is relevant when its `source` equals an expected entry or ends with `/`
plus one. Metrics are computed over the ranked list of distinct pages (a page's first,
best-ranked chunk stands for it), with binary relevance, and follow the usual TREC
definitions at cut-off k:

- hit rate: a relevant page in the top k;
- MRR: 1 / rank of the first relevant page (0 when none);
- nDCG: DCG = sum of 1/log2(rank+1) over relevant ranks, over the ideal DCG of
  min(|expected|, k) relevant pages at the top;
- recall: expected entries found / expected entries;
- precision: relevant pages / k.

Each expected entry is credited once (two retrieved paths matching the same entry count
once). Scores that tie keep the retriever's order. The tests check these numbers against
LlamaIndex's `RetrieverEvaluator` metrics where the definitions coincide.
"""

from __future__ import annotations

import asyncio
import json
import math
import statistics
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import ConfigurationError
from engine.types import NO_PROGRESS, ChatQuery, ChatResult, FilterValue, ProgressFactory, Source

METRICS = ("hit_rate", "mrr", "ndcg", "recall", "precision")


@dataclass(frozen=True)
class Question:
    question: str
    expected: tuple[str, ...]


def load_dataset(path: Path) -> list[Question]:
    """Read a JSON Lines dataset; a bad line is a one-line error naming its number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigurationError(f"cannot read {path}: {exc.strerror}") from None
    questions = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigurationError(f"{path}:{number}: not JSON ({exc.msg})") from None
        question, expected = (
            (row.get("question"), row.get("expected")) if isinstance(row, dict) else (None, None)
        )
        if not isinstance(question, str) or not question.strip():
            raise ConfigurationError(f"{path}:{number}: 'question' must be a non-empty string")
        if (
            not isinstance(expected, list)
            or not expected
            or not all(isinstance(item, str) and item for item in expected)
        ):
            raise ConfigurationError(f"{path}:{number}: 'expected' must be a list of sources")
        questions.append(Question(question=question, expected=tuple(expected)))
    if not questions:
        raise ConfigurationError(f"{path}: no questions")
    return questions


def matches(source: str, expected: str) -> bool:
    return source == expected or source.endswith("/" + expected)


def distinct_pages(sources: Sequence[Source]) -> list[tuple[str, float]]:
    """(source, score) of each page once, at its best-ranked chunk, in rank order."""
    seen: set[str] = set()
    pages = []
    for item in sources:
        name = str(item.metadata.get("source", ""))
        if name not in seen:
            seen.add(name)
            pages.append((name, item.score))
    return pages


def relevance(pages: Sequence[str], expected: Sequence[str]) -> list[int]:
    """1 where a page matches an expected entry not matched by a better-ranked page."""
    left = list(expected)
    flags = []
    for page in pages:
        hit = next((entry for entry in left if matches(page, entry)), None)
        if hit is not None:
            left.remove(hit)
        flags.append(int(hit is not None))
    return flags


def scores(flags: Sequence[int], n_expected: int, k: int) -> dict[str, float]:
    """The five metrics of one ranked list of binary relevance flags, at cut-off k."""
    top = list(flags[:k])
    first = next((rank for rank, flag in enumerate(top, 1) if flag), None)
    dcg = sum(flag / math.log2(rank + 1) for rank, flag in enumerate(top, 1))
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(n_expected, k) + 1))
    return {
        "hit_rate": float(first is not None),
        "mrr": 1.0 / first if first else 0.0,
        "ndcg": dcg / ideal if ideal else 0.0,
        "recall": sum(top) / n_expected if n_expected else 0.0,
        "precision": sum(top) / k,
    }


@dataclass
class QuestionResult:
    question: str
    expected: list[str]
    ranked: list[dict[str, Any]]
    metrics: dict[str, float]
    latency_ms: float
    answer: str | None = None
    cites_relevant: bool | None = None
    judged: dict[str, float] | None = None


@dataclass
class EvalRun:
    """One evaluation run: its configuration, per-question results and the means."""

    config: dict[str, Any]
    results: list[QuestionResult] = field(default_factory=list)
    aggregate: dict[str, float] = field(default_factory=dict)

    def finish(self) -> None:
        n = len(self.results)
        self.aggregate = {name: sum(r.metrics[name] for r in self.results) / n for name in METRICS}
        latencies = sorted(r.latency_ms for r in self.results)
        self.aggregate["latency_mean_ms"] = statistics.fmean(latencies)
        self.aggregate["latency_p95_ms"] = latencies[min(n - 1, math.ceil(0.95 * n) - 1)]
        answered = [r for r in self.results if r.cites_relevant is not None]
        if answered:
            self.aggregate["cites_relevant"] = sum(bool(r.cites_relevant) for r in answered) / len(
                answered
            )
        judged = [r.judged for r in self.results if r.judged]
        for name in ("faithfulness", "relevancy"):
            if judged:
                self.aggregate[name] = statistics.fmean(j.get(name, 0.0) for j in judged)

    def to_json(self) -> dict[str, Any]:
        return {
            "config": self.config,
            "aggregate": self.aggregate,
            "questions": [asdict(result) for result in self.results],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EvalRun:
        run = cls(config=dict(data["config"]), aggregate=dict(data["aggregate"]))
        run.results = [QuestionResult(**row) for row in data["questions"]]
        return run

    def worst(self) -> list[QuestionResult]:
        return [r for r in self.results if not r.metrics["hit_rate"]]


Retrieve = Callable[[ChatQuery], Awaitable[list[Source]]]
Answer = Callable[[ChatQuery], Awaitable[ChatResult]]
Judge = Callable[[str, ChatResult], Awaitable[dict[str, float]]]


async def evaluate(
    questions: Sequence[Question],
    retrieve: Retrieve,
    *,
    k: int,
    filters: Mapping[str, FilterValue | list[FilterValue]] | None = None,
    concurrency: int = 4,
    config: Mapping[str, Any] | None = None,
    answer: Answer | None = None,
    judge: Judge | None = None,
    progress: ProgressFactory = NO_PROGRESS,
) -> EvalRun:
    """Run every question through `retrieve` (and `answer`, when given)."""
    run = EvalRun(config={**(config or {}), "k": k, "filters": dict(filters or {})})
    limit = asyncio.Semaphore(concurrency)
    bar = progress(len(questions), "question")
    results: list[QuestionResult | None] = [None] * len(questions)

    async def one(index: int, item: Question) -> None:
        query = ChatQuery(message=item.question, top_k=k, filters=dict(filters or {}))
        async with limit:
            started = time.perf_counter()
            sources = await retrieve(query)
            latency = (time.perf_counter() - started) * 1000
            reply = await answer(query) if answer is not None else None
            verdict = await judge(item.question, reply) if judge and reply else None
        pages = distinct_pages(sources)
        flags = relevance([name for name, _ in pages], item.expected)
        result = QuestionResult(
            question=item.question,
            expected=list(item.expected),
            ranked=[
                {"source": name, "score": round(score, 6), "relevant": bool(flag)}
                for (name, score), flag in zip(pages, flags, strict=True)
            ],
            metrics=scores(flags, len(item.expected), k),
            latency_ms=round(latency, 3),
        )
        if reply is not None:
            result.answer = reply.answer
            result.cites_relevant = cites_relevant(reply.answer, item.expected)
            result.judged = verdict
        results[index] = result
        bar.step(item.question[:60], "done")

    try:
        await asyncio.gather(*(one(i, q) for i, q in enumerate(questions)))
    finally:
        bar.close()
    run.results = [r for r in results if r is not None]
    run.finish()
    return run


def cites_relevant(answer: str, expected: Sequence[str]) -> bool:
    """The answer names a relevant source in brackets, e.g. `[safety/estop.md]`."""
    cited = [part.split("]", 1)[0].strip() for part in answer.split("[")[1:]]
    return any(matches(name, entry) for name in cited for entry in expected)


# ------------------------------------------------------------------ reports
LABELS = {
    "hit_rate": "hit rate",
    "mrr": "MRR",
    "ndcg": "nDCG",
    "recall": "recall",
    "precision": "precision",
    "cites_relevant": "answers citing a relevant source",
    "faithfulness": "faithfulness (LLM-judged)",
    "relevancy": "relevancy (LLM-judged)",
    "latency_mean_ms": "retrieval latency mean (ms)",
    "latency_p95_ms": "retrieval latency p95 (ms)",
}


def render_report(run: EvalRun, worst: int = 10) -> str:
    k = run.config.get("k")
    agg = run.aggregate
    lines = [
        f"{len(run.results)} questions, k={k}, "
        + ", ".join(f"{key}={value}" for key, value in run.config.items() if key not in ("k",)),
        "",
        f"{'metric':<36}{'value':>8}",
    ]
    for name in (*METRICS, "cites_relevant", "faithfulness", "relevancy"):
        if name in agg:
            lines.append(
                f"{LABELS[name] + (f'@{k}' if name in METRICS else ''):<36}{agg[name]:>8.3f}"
            )
    for name in ("latency_mean_ms", "latency_p95_ms"):
        lines.append(f"{LABELS[name]:<36}{agg[name]:>8.1f}")
    misses = run.worst()
    if misses:
        lines += ["", f"no relevant source in the top {k} ({len(misses)}):"]
        for result in misses[:worst]:
            got = ", ".join(row["source"] for row in result.ranked[:3]) or "nothing"
            lines.append(f"- {result.question}")
            lines.append(f"    expected {', '.join(result.expected)}; got {got}")
    return "\n".join(lines)


def render_comparison(before: EvalRun, after: EvalRun) -> str:
    lines = [f"{'metric':<30}{'A':>9}{'B':>9}{'delta':>9}"]
    for name in (*METRICS, "latency_mean_ms", "latency_p95_ms"):
        a, b = before.aggregate.get(name), after.aggregate.get(name)
        if a is None or b is None:
            continue
        lines.append(f"{LABELS[name]:<30}{a:>9.3f}{b:>9.3f}{b - a:>+9.3f}")
    old = {r.question: r for r in before.results}
    changed = []
    for result in after.results:
        previous = old.get(result.question)
        if previous is None:
            continue
        a_rr, b_rr = previous.metrics["mrr"], result.metrics["mrr"]
        if abs(a_rr - b_rr) > 1e-9:
            changed.append((b_rr - a_rr, result.question, a_rr, b_rr))
    lines.append("")
    if not changed:
        lines.append("no question changed its first relevant rank")
    else:
        lines.append(f"questions whose reciprocal rank changed ({len(changed)}):")
        for delta, question, a_rr, b_rr in sorted(changed):
            word = "better" if delta > 0 else "worse"
            lines.append(f"- {word} {a_rr:.2f} -> {b_rr:.2f}  {question}")
    only = {r.question for r in after.results} ^ set(old)
    if only:
        lines.append(f"({len(only)} questions are in only one of the runs)")
    return "\n".join(lines)


def write_run(run: EvalRun, path: Path) -> None:
    path.write_text(
        json.dumps(run.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def read_run(path: Path) -> EvalRun:
    try:
        return EvalRun.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigurationError(f"{path} is not a bookchat eval --json file ({exc})") from None


def llm_judge(llm: Any) -> Judge:
    """Faithfulness and relevancy of an answer, judged by `llm` with LlamaIndex's evaluators."""
    from llama_index.core.evaluation import FaithfulnessEvaluator, RelevancyEvaluator

    faithfulness = FaithfulnessEvaluator(llm=llm)
    relevancy = RelevancyEvaluator(llm=llm)

    async def judge(question: str, reply: ChatResult) -> dict[str, float]:
        contexts = [source.text for source in reply.sources] or [""]
        faithful = await faithfulness.aevaluate(
            query=question, response=reply.answer, contexts=contexts
        )
        relevant = await relevancy.aevaluate(
            query=question, response=reply.answer, contexts=contexts
        )
        return {"faithfulness": faithful.score or 0.0, "relevancy": relevant.score or 0.0}

    return judge


GENERATE_PROMPT = (
    "Here is a passage from a book. Write one question that a reader could ask and that "
    "this passage answers. Reply with the question only, on one line.\n\n"
    "Passage:\n{text}"
)


async def generate_questions(
    passages: Sequence[Source],
    ask: Callable[[str], Awaitable[str]],
    concurrency: int = 4,
    progress: ProgressFactory = NO_PROGRESS,
) -> list[Question]:
    """One question per passage, written by the LLM, expecting the passage's source."""
    limit = asyncio.Semaphore(concurrency)
    bar = progress(len(passages), "passage")

    async def one(passage: Source) -> Question | None:
        async with limit:
            reply = await ask(GENERATE_PROMPT.format(text=passage.text[:4000]))
        bar.step(str(passage.metadata.get("source", "")), "asked")
        line = next((part.strip() for part in reply.splitlines() if part.strip()), "")
        source = str(passage.metadata.get("source", ""))
        return Question(question=line, expected=(source,)) if line and source else None

    try:
        generated = await asyncio.gather(*(one(p) for p in passages))
    finally:
        bar.close()
    return [q for q in generated if q is not None]


def write_dataset(questions: Sequence[Question], path: Path) -> None:
    path.write_text(
        "".join(
            json.dumps({"question": q.question, "expected": list(q.expected)}, ensure_ascii=False)
            + "\n"
            for q in questions
        ),
        encoding="utf-8",
    )
