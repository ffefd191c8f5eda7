"""Retrieval and answer evaluation: `bookchat eval`.

A dataset is JSON Lines, one `{"question": str, "expected": [source, ...]}` a line, with
optional `history` (the turns before the question), `page` (the reader's page),
`version` and `locale` (the docs version and locale it is asked in, as `/chat` takes them) and
`facts` (`[[alternative, ...], ...]`: a correct answer contains one alternative of each);
`expected: []` marks a question the book does not cover. A retrieved chunk is relevant
when its `source` equals an expected entry or ends with `/` plus one. Metrics are
computed over the ranked list of distinct pages (a page's first, best-ranked chunk stands
for it), with binary relevance, and follow the usual TREC definitions at cut-off k:

- hit rate: a relevant page in the top k;
- MRR: 1 / rank of the first relevant page (0 when none);
- nDCG: DCG = sum of 1/log2(rank+1) over relevant ranks, over the ideal DCG of
  min(|expected|, k) relevant pages at the top;
- recall: expected entries found / expected entries;
- precision: relevant pages / k.

Each expected entry is credited once (two retrieved paths matching the same entry count
once). Scores that tie keep the retriever's order. The tests check these numbers against
LlamaIndex's `RetrieverEvaluator` metrics where the definitions coincide. They are taken
over the questions the book covers; beside them:

- follow-up hit rate: the hit rate of the questions that have a history;
- page-context hit rate: the hit rate of the questions asked from a page with none;
  with the rewrite decision on, `bookchat eval` also runs those two groups rewriting
  every one (`EvalRun.add_rewrite_always`), so one run shows what the decision changes;
- abstention precision and recall: of the questions retrieval (or, with answers, the
  answer's `outcome`) declared not in the book, the share that are out of scope; of the
  out-of-scope questions, the share declared so;
- with answers: the share whose every citation marker points at a relevant passage
  (at least one marker), the share containing their facts, and the share stating a
  number no passage holds (a detectable unsupported statement), and the share of the
  answers' sentences the grounding check flagged unsupported.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import re
import statistics
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from engine.errors import ConfigurationError
from engine.types import (
    NO_PROGRESS,
    ChatQuery,
    ChatResult,
    FilterValue,
    ProgressFactory,
    Retrieved,
    Source,
    Turn,
)

METRICS = ("hit_rate", "mrr", "ndcg", "recall", "precision")


@dataclass(frozen=True)
class Question:
    question: str
    expected: tuple[str, ...]
    """Empty: the book does not cover the question."""
    history: tuple[Turn, ...] = ()
    page: str | None = None
    facts: tuple[tuple[str, ...], ...] = ()
    version: str | None = None
    locale: str | None = None

    @property
    def in_scope(self) -> bool:
        return bool(self.expected)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) and item for item in value)


def _question(row: Any, where: str) -> Question:
    if not isinstance(row, dict):
        raise ConfigurationError(f"{where}: a line must be a JSON object")
    question, expected = row.get("question"), row.get("expected")
    if not isinstance(question, str) or not question.strip():
        raise ConfigurationError(f"{where}: 'question' must be a non-empty string")
    if not isinstance(expected, list) or not _strings(expected):
        raise ConfigurationError(f"{where}: 'expected' must be a list of sources")
    history = row.get("history", [])
    if not isinstance(history, list) or not all(
        isinstance(turn, dict)
        and turn.get("role") in ("user", "assistant")
        and isinstance(turn.get("content"), str)
        and turn["content"]
        for turn in history
    ):
        raise ConfigurationError(
            f'{where}: \'history\' must be a list of {{"role": "user"|"assistant", "content": str}}'
        )
    for key in ("page", "version", "locale"):
        value = row.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigurationError(f"{where}: '{key}' must be a non-empty string")
    facts = row.get("facts", [])
    if not isinstance(facts, list) or not all(_strings(group) and group for group in facts):
        raise ConfigurationError(f"{where}: 'facts' must be a list of lists of strings")
    return Question(
        question=question,
        expected=tuple(expected),
        history=tuple(Turn(turn["role"], turn["content"]) for turn in history),
        page=row.get("page"),
        facts=tuple(tuple(group) for group in facts),
        version=row.get("version"),
        locale=row.get("locale"),
    )


def select_questions(
    questions: Sequence[Question], version: str | None = None, locale: str | None = None
) -> list[Question]:
    """The cases of one version and locale (`bookchat eval --version --locale`): those
    that say so, and those that say nothing, which are then asked in it. None: all."""
    chosen = []
    for item in questions:
        if version is not None and item.version not in (None, version):
            continue
        if locale is not None and item.locale not in (None, locale):
            continue
        chosen.append(replace(item, version=item.version or version, locale=item.locale or locale))
    return chosen


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
        questions.append(_question(row, f"{path}:{number}"))
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
    metrics: dict[str, float] | None
    """None for a question the book does not cover."""
    latency_ms: float
    retrieval_query: str = ""
    follow_up: bool = False
    page_context: bool = False
    """Asked from a page with no history: the page is its context."""
    top_score: float | None = None
    """The best passage's score (before the gate when the run disables it)."""
    abstained: bool | None = None
    """Retrieval found nothing that counts (or, with answers: `outcome` not_in_book)."""
    answer: str | None = None
    outcome: str | None = None
    cited: list[int] | None = None
    citations_relevant: bool | None = None
    facts_found: bool | None = None
    unsupported: bool | None = None
    sentences: int | None = None
    """The answer's sentences the grounding check read (None: not checked)."""
    sentences_flagged: int | None = None
    """Of those, the ones it flagged unsupported."""
    judged: dict[str, float] | None = None


def _share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


@dataclass
class EvalRun:
    """One evaluation run: its configuration, per-question results and the means."""

    config: dict[str, Any]
    results: list[QuestionResult] = field(default_factory=list)
    aggregate: dict[str, float] = field(default_factory=dict)

    def finish(self) -> None:
        covered = [r for r in self.results if r.metrics is not None]
        aggregate: dict[str, float | None] = {}
        for name in METRICS:
            aggregate[name] = (
                statistics.fmean(r.metrics[name] for r in covered if r.metrics) if covered else None
            )
        aggregate["follow_up_hit_rate"] = _share(
            [bool(r.metrics and r.metrics["hit_rate"]) for r in covered if r.follow_up]
        )
        aggregate["page_context_hit_rate"] = _share(
            [bool(r.metrics and r.metrics["hit_rate"]) for r in covered if r.page_context]
        )
        abstained = [r for r in self.results if r.abstained]
        out_of_scope = [r for r in self.results if r.metrics is None]
        aggregate["abstention_precision"] = _share([r.metrics is None for r in abstained])
        aggregate["abstention_recall"] = _share([bool(r.abstained) for r in out_of_scope])
        aggregate["citations_relevant"] = _share(
            [bool(r.citations_relevant) for r in covered if r.outcome == "answered"]
        )
        aggregate["facts_found"] = _share(
            [bool(r.facts_found) for r in self.results if r.facts_found is not None]
        )
        aggregate["unsupported"] = _share(
            [bool(r.unsupported) for r in self.results if r.unsupported is not None]
        )
        checked = sum(r.sentences or 0 for r in self.results)
        aggregate["sentences_flagged"] = (
            sum(r.sentences_flagged or 0 for r in self.results) / checked if checked else None
        )
        judged = [r.judged for r in self.results if r.judged]
        for name in ("faithfulness", "relevancy"):
            aggregate[name] = statistics.fmean(j.get(name, 0.0) for j in judged) if judged else None
        latencies = sorted(r.latency_ms for r in self.results)
        n = len(latencies)
        aggregate["latency_mean_ms"] = statistics.fmean(latencies)
        aggregate["latency_p95_ms"] = latencies[min(n - 1, math.ceil(0.95 * n) - 1)]
        self.aggregate = {key: value for key, value in aggregate.items() if value is not None}

    def to_json(self) -> dict[str, Any]:
        return {
            "config": self.config,
            "aggregate": self.aggregate,
            "questions": [asdict(result) for result in self.results],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EvalRun:
        run = cls(config=dict(data["config"]), aggregate=dict(data["aggregate"]))
        known = set(QuestionResult.__dataclass_fields__)
        run.results = [
            QuestionResult(**{key: value for key, value in row.items() if key in known})
            for row in data["questions"]
        ]
        return run

    def add_rewrite_always(self, other: EvalRun) -> None:
        """Record `other` (the same run's follow-up and page questions, with every one
        rewritten) beside this run's own figures: what the rewrite decision changes."""
        for name in ("follow_up_hit_rate", "page_context_hit_rate"):
            if name in other.aggregate:
                self.aggregate[f"{name}_rewrite_always"] = other.aggregate[name]

    def worst(self) -> list[QuestionResult]:
        return [r for r in self.results if r.metrics is not None and not r.metrics["hit_rate"]]


Retrieve = Callable[[ChatQuery], Awaitable[Retrieved]]
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
        query = ChatQuery(
            message=item.question,
            history=item.history,
            filters=dict(filters or {}),
            top_k=k,
            page=item.page,
            version=item.version,
            locale=item.locale,
        )
        async with limit:
            started = time.perf_counter()
            retrieved = await retrieve(query)
            latency = (time.perf_counter() - started) * 1000
            reply = await answer(query) if answer is not None else None
            verdict = await judge(item.question, reply) if judge and reply else None
        pages = distinct_pages(retrieved.sources)
        flags = relevance([name for name, _ in pages], item.expected)
        result = QuestionResult(
            question=item.question,
            expected=list(item.expected),
            ranked=[
                {"source": name, "score": round(score, 6), "relevant": bool(flag)}
                for (name, score), flag in zip(pages, flags, strict=True)
            ],
            metrics=scores(flags, len(item.expected), k) if item.in_scope else None,
            latency_ms=round(latency, 3),
            retrieval_query=retrieved.retrieval_query,
            follow_up=any(turn.role == "user" for turn in item.history),
            page_context=item.page is not None and not item.history,
            top_score=round(retrieved.sources[0].score, 6) if retrieved.sources else None,
            abstained=not retrieved.sources,
        )
        if reply is not None:
            score_answer(result, item, reply)
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


NUMBER = re.compile(r"(?<![\[\w.])\d+(?:[.,]\d+)?(?![\]\w])")


def score_answer(result: QuestionResult, item: Question, reply: ChatResult) -> None:
    """The answer's outcome, citations, facts and detectable unsupported statements."""
    result.answer, result.outcome, result.cited = reply.answer, reply.outcome, reply.cited
    result.abstained = reply.outcome == "not_in_book"
    if reply.outcome != "answered":
        return
    cited = [reply.sources[n - 1] for n in reply.cited if 0 < n <= len(reply.sources)]
    result.citations_relevant = bool(cited) and all(
        any(matches(str(s.metadata.get("source", "")), e) for e in item.expected) for s in cited
    )
    if item.facts:
        result.facts_found = facts_found(reply.answer, item.facts)
    result.unsupported = bool(unsupported_numbers(reply.answer, reply.sources))
    if reply.sentences:
        result.sentences = len(reply.sentences)
        result.sentences_flagged = sum(not s.supported for s in reply.sentences)


def unsupported_numbers(answer: str, sources: Sequence[Source]) -> list[str]:
    """Numbers of two characters or more (`12`, `9.81`) that the answer states and no
    passage holds: a statement the passages cannot support. Single digits are too common
    in prose ("3 axes", "step 2") to tell anything."""
    passages = " ".join(source.text for source in sources)
    return [n for n in NUMBER.findall(answer) if len(n) > 1 and n not in passages]


def facts_found(answer: str, facts: Sequence[Sequence[str]]) -> bool:
    """Every group of alternatives has one in the answer (case-insensitive)."""
    text = answer.lower()
    return all(any(option.lower() in text for option in group) for group in facts)


@dataclass(frozen=True)
class GateRow:
    """How a retrieval gate would do on a question set's in- and out-of-scope questions."""

    threshold: float
    abstention_precision: float
    abstention_recall: float
    in_scope_kept: float


def gate_table(run: EvalRun) -> list[GateRow]:
    """Every useful threshold on the questions' best scores, with its abstention figures."""
    tops = [
        (r.top_score if r.top_score is not None else -1.0, r.metrics is None) for r in run.results
    ]
    out = sum(1 for _, oos in tops if oos)
    inside = len(tops) - out
    if not out or not inside:
        raise ConfigurationError(
            "picking a minimum score needs in-scope and out-of-scope (expected: []) questions"
        )
    values = sorted({score for score, _ in tops})
    candidates = [-1.0] + [(a + b) / 2 for a, b in itertools.pairwise(values)]
    rows = []
    for threshold in candidates:
        abstained = [oos for score, oos in tops if score < threshold]
        rows.append(
            GateRow(
                threshold=round(threshold, 4),
                abstention_precision=sum(abstained) / len(abstained) if abstained else 1.0,
                abstention_recall=sum(abstained) / out,
                in_scope_kept=sum(1 for s, oos in tops if not oos and s >= threshold) / inside,
            )
        )
    return rows


def pick_gate(rows: Sequence[GateRow]) -> GateRow:
    """The threshold with the best balanced accuracy (out-of-scope caught, in-scope kept);
    on a tie, the lowest (the gate should rather let a question through)."""
    return max(rows, key=lambda row: (row.abstention_recall + row.in_scope_kept, -row.threshold))


# ------------------------------------------------------------------ reports
LABELS = {
    "hit_rate": "hit rate",
    "mrr": "MRR",
    "ndcg": "nDCG",
    "recall": "recall",
    "precision": "precision",
    "follow_up_hit_rate": "follow-up hit rate",
    "page_context_hit_rate": "page-context hit rate",
    "follow_up_hit_rate_rewrite_always": "  rewriting every follow-up",
    "page_context_hit_rate_rewrite_always": "  rewriting every page question",
    "abstention_precision": "abstention precision",
    "abstention_recall": "abstention recall",
    "citations_relevant": "answers citing only relevant passages",
    "facts_found": "answers containing their facts",
    "unsupported": "answers with an unsupported number",
    "sentences_flagged": "answer sentences flagged unsupported",
    "faithfulness": "faithfulness (LLM-judged)",
    "relevancy": "relevancy (LLM-judged)",
    "latency_mean_ms": "retrieval latency mean (ms)",
    "latency_p95_ms": "retrieval latency p95 (ms)",
}
SHARES = (
    "follow_up_hit_rate",
    "follow_up_hit_rate_rewrite_always",
    "page_context_hit_rate",
    "page_context_hit_rate_rewrite_always",
    "abstention_precision",
    "abstention_recall",
    "citations_relevant",
    "facts_found",
    "unsupported",
    "sentences_flagged",
    "faithfulness",
    "relevancy",
)


def render_report(run: EvalRun, worst: int = 10) -> str:
    k = run.config.get("k")
    agg = run.aggregate
    covered = sum(1 for r in run.results if r.metrics is not None)
    lines = [
        f"{len(run.results)} questions ({covered} in scope), k={k}, "
        + ", ".join(f"{key}={value}" for key, value in run.config.items() if key not in ("k",)),
        "",
        f"{'metric':<40}{'value':>8}",
    ]
    for name in (*METRICS, *SHARES):
        if name in agg:
            label = LABELS[name] + (f"@{k}" if name in METRICS else "")
            lines.append(f"{label:<40}{agg[name]:>8.3f}")
    for name in ("latency_mean_ms", "latency_p95_ms"):
        lines.append(f"{LABELS[name]:<40}{agg[name]:>8.1f}")
    misses = run.worst()
    if misses:
        lines += ["", f"no relevant source in the top {k} ({len(misses)}):"]
        for result in misses[:worst]:
            got = ", ".join(row["source"] for row in result.ranked[:3]) or "nothing"
            lines.append(f"- {result.question}")
            if result.retrieval_query != result.question:
                lines.append(f"    retrieved with: {result.retrieval_query}")
            lines.append(f"    expected {', '.join(result.expected)}; got {got}")
    return "\n".join(lines)


def render_gate(rows: Sequence[GateRow], picked: GateRow, shown: int = 12) -> str:
    """The gate table (evenly sampled) and the pick, for `--pick-min-score`."""
    step = max(1, len(rows) // shown)
    sample = sorted({*rows[::step], picked}, key=lambda row: row.threshold)
    lines = [
        "",
        f"{'min score':>10}{'abstention precision':>22}{'abstention recall':>19}"
        f"{'in scope kept':>15}",
    ]
    for row in sample:
        mark = "  <- picked" if row == picked else ""
        lines.append(
            f"{row.threshold:>10.3f}{row.abstention_precision:>22.3f}"
            f"{row.abstention_recall:>19.3f}{row.in_scope_kept:>15.3f}{mark}"
        )
    lines.append(f"\nBOOKCHAT_MIN_SCORE={picked.threshold}")
    return "\n".join(lines)


def render_comparison(before: EvalRun, after: EvalRun) -> str:
    lines = [f"{'metric':<40}{'A':>9}{'B':>9}{'delta':>9}"]
    for name in (*METRICS, *SHARES, "latency_mean_ms", "latency_p95_ms"):
        a, b = before.aggregate.get(name), after.aggregate.get(name)
        if a is None or b is None:
            continue
        lines.append(f"{LABELS[name]:<40}{a:>9.3f}{b:>9.3f}{b - a:>+9.3f}")
    old = {r.question: r for r in before.results}
    changed = []
    for result in after.results:
        previous = old.get(result.question)
        if previous is None or previous.metrics is None or result.metrics is None:
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
    """One question per passage, written by the LLM, expecting the passage's source (and
    asked in its version and locale, when it has them)."""
    limit = asyncio.Semaphore(concurrency)
    bar = progress(len(passages), "passage")

    async def one(passage: Source) -> Question | None:
        async with limit:
            reply = await ask(GENERATE_PROMPT.format(text=passage.text[:4000]))
        bar.step(str(passage.metadata.get("source", "")), "asked")
        line = next((part.strip() for part in reply.splitlines() if part.strip()), "")
        source = str(passage.metadata.get("source", ""))
        if not line or not source:
            return None
        version, locale = (passage.metadata.get(key) for key in ("version", "locale"))
        return Question(
            question=line,
            expected=(source,),
            version=version if isinstance(version, str) and version else None,
            locale=locale if isinstance(locale, str) and locale else None,
        )

    try:
        generated = await asyncio.gather(*(one(p) for p in passages))
    finally:
        bar.close()
    return [q for q in generated if q is not None]


def write_dataset(questions: Sequence[Question], path: Path) -> None:
    def line(q: Question) -> dict[str, Any]:
        scope = {"version": q.version, "locale": q.locale}
        return {
            "question": q.question,
            "expected": list(q.expected),
            **{key: value for key, value in scope.items() if value},
        }

    path.write_text(
        "".join(json.dumps(line(q), ensure_ascii=False) + "\n" for q in questions),
        encoding="utf-8",
    )


# ------------------------------------------------------------------------- grounding
@dataclass(frozen=True)
class GroundingCase:
    """A labelled answer: the pages it was given (passage [n] is page n) and its
    sentences, each with its citations and whether its passages support it."""

    pages: tuple[str, ...]
    sentences: tuple[tuple[str, tuple[int, ...], bool], ...]


def load_grounding(path: Path) -> list[GroundingCase]:
    """Read a labelled grounding set (JSON Lines: `{"pages": [source, ...], "sentences":
    [{"text", "cites", "supported"}, ...]}`); a bad line is an error naming its number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigurationError(f"cannot read {path}: {exc.strerror}") from None
    cases = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            cases.append(
                GroundingCase(
                    pages=tuple(str(page) for page in row["pages"]),
                    sentences=tuple(
                        (str(s["text"]), tuple(int(n) for n in s["cites"]), bool(s["supported"]))
                        for s in row["sentences"]
                    ),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigurationError(f"{path}:{number}: not a grounding case ({exc})") from None
    if not cases:
        raise ConfigurationError(f"{path}: no cases")
    return cases


FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def book_page(book: Path, source: str) -> Source:
    """A page of the book as one passage (front matter left out)."""
    try:
        text = (book / source).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"cannot read {book / source}: {exc.strerror}") from None
    return Source(
        id=source, text=FRONT_MATTER.sub("", text), score=1.0, metadata={"source": source}
    )


def book_pages(book: Path) -> list[tuple[str, str]]:
    """Every Markdown page of the book's folder (partials, `_`-named, left out) as
    `(source, text)`: what `auto` calibrates the grounding threshold on when no collection
    is read (`bookchat eval --grounding`)."""
    pages = []
    for path in sorted(book.rglob("*.md*")):
        if path.suffix in (".md", ".mdx") and not path.name.startswith("_"):
            source = path.relative_to(book).as_posix()
            pages.append((source, book_page(book, source).text))
    return pages


@dataclass
class GroundingReport:
    sentences: int
    labelled_unsupported: int
    flagged: int
    true_flags: int
    embed_calls: int
    misjudged: list[tuple[str, bool]]
    """Sentences judged wrongly, with their label (supported or not)."""

    @property
    def precision(self) -> float:
        return self.true_flags / self.flagged if self.flagged else 0.0

    @property
    def recall(self) -> float:
        return self.true_flags / self.labelled_unsupported if self.labelled_unsupported else 0.0


async def evaluate_grounding(
    cases: Sequence[GroundingCase], grounder: Any, book: Path
) -> GroundingReport:
    """The grounder's "unsupported" flag against the labels: each case's sentences,
    joined into an answer with their markers, checked against its pages."""
    report = GroundingReport(0, 0, 0, 0, 0, [])
    for case in cases:
        passages = [book_page(book, page) for page in case.pages]
        answer = " ".join(
            text + (" [" + ", ".join(str(n) for n in cites) + "]" if cites else "")
            for text, cites, _ in case.sentences
        )
        checked = await grounder.check(answer, passages)
        if len(checked) != len(case.sentences):
            raise ConfigurationError(
                f"the answer {answer[:60]!r}... splits into {len(checked)} sentences, "
                f"not {len(case.sentences)}"
            )
        for (text, _, supported), verdict in zip(case.sentences, checked, strict=True):
            report.sentences += 1
            report.labelled_unsupported += not supported
            report.flagged += not verdict.supported
            report.true_flags += (not supported) and (not verdict.supported)
            if supported != verdict.supported:
                report.misjudged.append((text, supported))
    report.embed_calls = grounder.embed_calls
    return report


SWEEP_STEPS = (-0.15, -0.1, -0.05, 0.0, 0.05, 0.1, 0.15)
"""The thresholds `bookchat eval --grounding` scores besides the one in use: these away."""


async def grounding_sweep(
    score: Callable[[float], Awaitable[GroundingReport]],
    around: float,
    also: Sequence[float] = (),
) -> list[tuple[float, GroundingReport]]:
    """`score(threshold)` at `around` plus `SWEEP_STEPS` (inside 0..1) and at `also`."""
    thresholds = {round(around + step, 4) for step in SWEEP_STEPS} | {round(t, 4) for t in also}
    return [(t, await score(t)) for t in sorted(t for t in thresholds if 0.0 < t < 1.0)]


def render_sweep(rows: Sequence[tuple[float, GroundingReport]], marks: Mapping[float, str]) -> str:
    lines = [
        "threshold sweep (the unsupported flag):",
        f"{'threshold':>10}{'precision':>11}{'recall':>8}{'flagged':>9}",
    ]
    for threshold, report in rows:
        mark = marks.get(round(threshold, 4), "")
        lines.append(
            f"{threshold:>10.3f}{report.precision:>11.3f}{report.recall:>8.3f}"
            f"{report.flagged:>9d}" + (f"  {mark}" if mark else "")
        )
    return "\n".join(lines)


def render_grounding(report: GroundingReport, mode: str) -> str:
    lines = [
        f"grounding ({mode}): {report.sentences} sentences, "
        f"{report.labelled_unsupported} labelled unsupported, {report.flagged} flagged",
        f"{'unsupported flag precision':<40}{report.precision:>8.3f}",
        f"{'unsupported flag recall':<40}{report.recall:>8.3f}",
        f"{'embedding calls':<40}{report.embed_calls:>8d}",
    ]
    if report.misjudged:
        lines += ["", f"misjudged ({len(report.misjudged)}):"]
        lines += [
            f"- {'supported' if label else 'unsupported'}, judged otherwise: {text}"
            for text, label in report.misjudged
        ]
    return "\n".join(lines)
