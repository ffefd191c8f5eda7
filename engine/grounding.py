"""Sentence-level grounding: is each sentence of an answer said by the passages it cites?

An answer is cut into sentences (`answer_sentences`), each with the `[n]` markers that
follow it. Each sentence is checked against its evidence: the passages it cites, or,
when it cites none, all the passages the answer was given (`Grounder.check`):

1. **Lexically, first.** The numbers, identifiers (code spans, `snake_case`,
   `camelCase`, dotted or slashed names, words mixing letters and digits) and quoted
   names it states must appear in the evidence: one missing makes it unsupported, with
   no embedding. A sentence whose content words are nearly all in one evidence sentence
   (`COVERED`; for a sentence of `;`-joined clauses, each clause in one) is supported,
   with no embedding either; so is one with no content word;
   one with `MAX_NEW` or more of its content words absent from the evidence is not.
2. **By meaning, for the rest.** The sentences left undecided and the evidence
   sentences are embedded in one call (the embedding model retrieval loaded; an LRU
   cache keeps the vectors of texts seen, so a book's passage sentences are embedded
   once a process): the sentence is supported when its cosine to some evidence sentence
   reaches the threshold, its words new to the evidence stay under `MAX_NEW`, and each
   single digit it states is in one of its `CLOSEST` closest evidence sentences.

The threshold depends on the embedding model: cosines of one model are not those of
another (unrelated texts score about 0.1 with all-MiniLM-L6-v2 and often 0.5 to 0.7 with
gemini-embedding-001). `BOOKCHAT_GROUNDING_THRESHOLD=auto` calibrates it on the book
itself (`calibrate`, `GroundingThreshold`): the cosine that only a small share of
unrelated sentence pairs of the book (sentences of different pages) reach.

`BOOKCHAT_GROUNDING=llm` asks the LLM instead (one call an answer, for the sentences the
lexical step left undecided); `off` skips the check. The thresholds were picked on
`sample_book/grounding.jsonl` (`bookchat eval --grounding`, docs/evaluation.md).
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM
from numpy.typing import NDArray

from engine.providers.extractive import (
    STOPWORDS,
    clean_inline,
    passage_sentences,
    split_sentences,
    stem,
)
from engine.types import CheckedSentence, Source

logger = logging.getLogger(__name__)

GroundingMode = Literal["embedding", "llm", "off"]
EmbedTexts = Callable[[list[str]], Awaitable[list[list[float]]]]

THRESHOLD = 0.6
"""The cosine a sentence needs to some evidence sentence with all-MiniLM-L6-v2, picked
on `sample_book/grounding.jsonl` (precision 1.000, recall 0.810); what `auto` reproduces
for that model (see `CALIBRATION_MARGIN`), and the threshold of a `Grounder` given none."""
CALIBRATION_TEXTS = 96
"""Sentences embedded to calibrate: one call (Gemini's `batchEmbedContents` takes at most
100 texts), drawn from as many pages as the sample holds, a few a page."""
CALIBRATION_POINTS = 256
"""Chunks of the collection read for the calibration's sentences (one bounded scroll)."""
CALIBRATION_SEED = 0
CALIBRATION_MIN_TERMS = 3
"""A calibration sentence has at least this many content words (no headings, no
fragments: the sentences that reach the meaning step are of that kind)."""
CALIBRATION_MIN_PAIRS = 100
"""Fewer pairs of sentences from different pages than this: no calibration (fallback)."""
CALIBRATION_QUANTILE = 0.95
CALIBRATION_MARGIN = 0.41
"""The calibrated threshold is `q + CALIBRATION_MARGIN * (1 - q)`, `q` the
`CALIBRATION_QUANTILE` of the cosines of unrelated sentence pairs (every pair of the
sample whose sentences come from different pages).

Measured with all-MiniLM-L6-v2 on the sample book (its 708 sentences of 8 characters or
more, 24 pages, all 240,067 pairs from different pages): the quantiles 0.90, 0.95, 0.99
and 0.999 are 0.270, 0.324, 0.428 and 0.550; the fixed 0.6 sits at the 0.9996 quantile,
far too rare a tail to measure on the pairs of 96 sentences. So a quantile that a sample
measures well plus a margin: the 0.95 quantile (about 220 of the sample book's 4,416
cross-page pairs of 96 sentences above it; every pair is used, not a few hundred of them:
the same one embedding call, and a steadier quantile, 0.011 of spread over seeds against
0.018 with 400 pairs). Over seeds 0 to 29, q = 0.324 +/- 0.011 and the threshold 0.601 +/-
0.007 (0.583 to 0.612). The margin: (0.6 - 0.324) / (1 - 0.324) = 0.41 of the way to 1.

The margin is a share of the distance to 1, not a fixed amount, because that is how
models' scales differ: a model whose vectors share a common direction (anisotropy, a
common reason for unrelated texts to score 0.5 to 0.7, as with gemini-embedding-001) maps
every cosine c to a + (1 - a) c, and this rule's threshold moves exactly so (a fixed 0.6,
or a fixed margin, does not): `tests/test_grounding_threshold.py`."""
CALIBRATION_RETRY_SECONDS = 600.0
CALIBRATION_ATTEMPTS = 3
"""A failed calibration is tried again (in the background, the fallback in use
meanwhile) after `CALIBRATION_RETRY_SECONDS`, at most this many times a process."""
MAX_NEW = 0.4
"""The share of a sentence's content words that may be absent from its evidence (under
this, not at it)."""
COVERED = 0.8
"""A sentence with this share of its content words in one evidence sentence is
supported without an embedding."""
CLOSEST = 2
"""A single digit the sentence states ("Category 2") must be in one of its this many
closest evidence sentences (too common in prose to look for in a whole passage)."""
CACHE_SIZE = 8192
NAMED_BY = ("source", "title", "heading")
"""The metadata the model reads with each passage (`engine.answering.PROMPT_METADATA_KEYS`)."""

MARKERS = re.compile(r"\s*\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_LEADING_MARKERS = re.compile(r"^(?:\s*\[\d{1,3}(?:\s*,\s*\d{1,3})*\])+")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINE_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d{1,3}[.)]\s+)")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")
_CODE = re.compile(r"`([^`]+)`")
_QUOTED = re.compile(r"[\"“]([^\"”]{2,60})[\"”]")
_IDENTIFIER = re.compile(
    r"(?<![\w/.-])(?:[A-Za-z_][\w]*_[\w]+|[a-z]+[A-Z]\w*|[A-Za-z]+\d[\w-]*|"
    r"/?[\w-]+(?:[./][\w-]+)+)(?![\w])"
)
_DIGIT = re.compile(r"(?<![\w.,-])\d(?![\w.,-]\w|\w)")
_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9_\-²]*|\d+(?:[.,]\d+)*")


def answer_sentences(answer: str) -> list[tuple[str, list[int]]]:
    """The answer's sentences and the markers each ends with, fenced code left out.
    A marker that starts a sentence (after the period: `… stops. [1] Then`) belongs to
    the sentence before it."""
    units: list[str] = []
    in_code = False
    for line in answer.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if in_code or not line.strip() or set(line.strip()) <= set("|-: "):
            continue
        units.append(_LINE_PREFIX.sub("", line).strip())
    found: list[tuple[str, list[int]]] = []
    for unit in units:
        for piece in split_sentences(unit):
            lead = _LEADING_MARKERS.match(piece)
            if lead and found:
                text, cites = found[-1]
                found[-1] = (text, cites + _numbers(lead.group(0)))
                piece = piece[lead.end() :].strip()
            if not piece:
                continue
            cites = _numbers(piece)
            text = MARKERS.sub("", piece).strip()
            if re.search(r"[A-Za-z0-9]", text):
                found.append((text, cites))
    return [(text, list(dict.fromkeys(cites))) for text, cites in found]


def _numbers(text: str) -> list[int]:
    return [int(n) for group in MARKERS.findall(text) for n in re.split(r"\s*,\s*", group)]


def _normal(text: str) -> str:
    return " ".join(clean_inline(text).lower().replace("\u2019", "'").split())


def required_tokens(sentence: str) -> list[str]:
    """What the evidence must hold word for word: numbers, identifiers, quoted names."""
    tokens = [m.group(1) for m in _CODE.finditer(sentence)]
    tokens += [m.group(1) for m in _QUOTED.finditer(sentence)]
    bare = _CODE.sub(" ", sentence)
    tokens += [n for n in _NUMBER.findall(bare) if len(n.replace(",", "").replace(".", "")) > 1]
    tokens += [m.group(0).rstrip(".") for m in _IDENTIFIER.finditer(bare)]
    return [t for t in dict.fromkeys(t.strip() for t in tokens) if t]


def content_terms(text: str) -> set[str]:
    return {stem(w) for w in _WORDS.findall(text) if w.lower() not in STOPWORDS and len(w) > 1}


def _clauses(text: str, words: set[str]) -> list[set[str]]:
    """The content words of each `;`-separated clause of a sentence (the whole sentence's
    when it has one): a sentence that joins several of the book's sentences or list items
    ("VOLATILE - …; TRANSIENT_LOCAL - …", as the extractive answerer writes a list, and as
    models do) is covered when each clause is; measured on `bookchat eval --answers`
    offline, such joins were 2 % of the extractive answers' sentences, every one flagged."""
    parts = [content_terms(clean_inline(part)) for part in re.split(r";\s+", text)]
    parts = [part for part in parts if part]
    return parts if len(parts) > 1 else [words]


def _unit(vector: Sequence[float]) -> NDArray[np.float32]:
    """`vector` scaled to length 1 (a zero vector stays zero), so that a dot product is
    the cosine."""
    array = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(array))
    return array / norm if norm else array


@dataclass
class _Pending:
    index: int
    text: str
    evidence: list[str]
    new: float


class Grounder:
    """Checks an answer's sentences against its passages (see the module's text)."""

    def __init__(
        self,
        mode: GroundingMode,
        embed: EmbedTexts | None = None,
        llm: LLM | None = None,
        *,
        threshold: float | GroundingThreshold = THRESHOLD,
        max_new: float = MAX_NEW,
    ) -> None:
        self.mode = mode
        self._embed = embed
        self._llm = llm
        self.threshold = (
            threshold
            if isinstance(threshold, GroundingThreshold)
            else GroundingThreshold.fixed(threshold)
        )
        """The cosine the meaning step needs: fixed, or calibrated once (`auto`)."""
        self.max_new = max_new
        self._cache: OrderedDict[str, NDArray[np.float32]] = OrderedDict()
        """Texts' unit vectors (`_unit`)."""
        self._sentences: OrderedDict[str, list[str]] = OrderedDict()
        self._sentence_terms: OrderedDict[str, set[str]] = OrderedDict()
        self.embed_calls = 0

    @property
    def enabled(self) -> bool:
        return self.mode != "off"

    def _passage_sentences(self, text: str) -> list[str]:
        """A passage's sentences (cached: passages recur from question to question)."""
        found = self._sentences.get(text)
        if found is None:
            found = [s.text for s in passage_sentences([text], min_chars=8)] or [text]
            self._sentences[text] = found
            while len(self._sentences) > CACHE_SIZE // 8:
                self._sentences.popitem(last=False)
        return found

    def _terms(self, sentence: str) -> set[str]:
        """A passage sentence's content words (cached, as its passage's sentences)."""
        found = self._sentence_terms.get(sentence)
        if found is None:
            found = self._sentence_terms[sentence] = content_terms(sentence)
            while len(self._sentence_terms) > CACHE_SIZE:
                self._sentence_terms.popitem(last=False)
        return found

    async def check(self, answer: str, passages: Sequence[Source]) -> list[CheckedSentence]:
        """Each sentence of `answer` with its citations and whether it is supported."""
        if not self.enabled:
            return []
        sentences = answer_sentences(answer)
        verdicts: list[bool | None] = []
        pending: list[_Pending] = []
        for index, (text, cites) in enumerate(sentences):
            valid = [n for n in cites if 1 <= n <= len(passages)]
            given = [passages[n - 1] for n in valid] or list(passages)
            names = " ".join(str(p.metadata.get(key) or "") for p in given for key in NAMED_BY)
            verdict, new, evidence_sentences = self._lexical(text, [p.text for p in given], names)
            verdicts.append(verdict)
            if verdict is None:
                pending.append(_Pending(index, text, evidence_sentences, new))
        if pending:
            decided = await (self._judge(pending) if self.mode == "llm" else self._meaning(pending))
            for item, verdict in zip(pending, decided, strict=True):
                verdicts[item.index] = verdict
        return [
            CheckedSentence(text, cites, bool(verdict))
            for (text, cites), verdict in zip(sentences, verdicts, strict=True)
        ]

    def _lexical(
        self, text: str, evidence: Sequence[str], names: str = ""
    ) -> tuple[bool | None, float, list[str]]:
        """Supported, unsupported, or None (undecided); the share of new content words;
        the evidence's sentences. `names`: the passages' source, title and section, which
        the model reads with them."""
        if not evidence:
            return False, 1.0, []
        whole = _normal(" ".join([*evidence, names]))
        plain = whole.replace("`", "")
        for token in required_tokens(text):
            if _normal(token) not in plain:
                return False, 1.0, []
        words = content_terms(clean_inline(text))
        if not words:
            return True, 0.0, []
        evidence_sentences = [s for e in evidence for s in self._passage_sentences(e)]
        if all(self._covered(part, evidence_sentences) for part in _clauses(text, words)):
            return True, 0.0, []
        new = len(words - content_terms(whole)) / len(words)
        if new >= self.max_new:  # too much the evidence never says: no embedding needed
            return False, new, []
        return None, new, evidence_sentences

    def _covered(self, words: set[str], evidence_sentences: Sequence[str]) -> bool:
        """`COVERED` of `words` in one evidence sentence."""
        return any(len(words & self._terms(s)) >= COVERED * len(words) for s in evidence_sentences)

    async def _vectors(self, texts: list[str]) -> dict[str, NDArray[np.float32]]:
        from engine.upstream import upstream_errors

        assert self._embed is not None
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            self.embed_calls += 1
            # The SDK's own errors become engine errors here, so that a failed call
            # leaves the sentences unchecked and the answer standing (`ChatStream._ground`).
            with upstream_errors("grounding"):
                vectors = await self._embed(missing)
            for text, vector in zip(missing, vectors, strict=True):
                self._cache[text] = _unit(vector)
        found = {}
        for text in texts:
            self._cache.move_to_end(text)
            found[text] = self._cache[text]
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return found

    async def _meaning(self, pending: Sequence[_Pending]) -> list[bool]:
        """One embedding call for every undecided sentence and its evidence's sentences."""
        if self._embed is None:
            return [item.new < self.max_new for item in pending]
        texts = [t for item in pending for t in (item.text, *item.evidence)]
        vectors = await self._vectors(texts)
        threshold = await self.threshold.value()
        decided = []
        for item in pending:
            # One matrix product a sentence: in pure Python, the cosines of 3 sentences
            # against 30 evidence sentences took 5.5 ms of CPU at 768 dimensions (22 at
            # Gemini's default 3072) on every answer the meaning step decides.
            cosines = (
                np.stack([vectors[s] for s in item.evidence]) @ vectors[item.text]
                if item.evidence
                else np.zeros(0, dtype=np.float32)
            )
            order = np.argsort(-cosines, kind="stable")
            best = float(cosines[order[0]]) if len(order) else 0.0
            closest = " ".join(item.evidence[i] for i in order[:CLOSEST])
            digits = _DIGIT.findall(_CODE.sub(" ", item.text))
            decided.append(
                best >= threshold
                and item.new < self.max_new
                and all(re.search(rf"(?<![\w.]){d}(?![\w])", closest) for d in digits)
            )
        return decided

    async def _judge(self, pending: Sequence[_Pending]) -> list[bool]:
        """One LLM call: is each numbered sentence supported by its evidence?"""
        from engine.answering import chat_once
        from engine.upstream import upstream_errors

        if self._llm is None:
            return [item.new < self.max_new for item in pending]
        blocks = []
        for number, item in enumerate(pending, 1):
            evidence = " ".join(item.evidence)[:3000]
            blocks.append(f"({number}) Sentence: {item.text}\nEvidence: {evidence}")
        messages = [
            ChatMessage(role=MessageRole.SYSTEM, content=JUDGE_INSTRUCTION),
            ChatMessage(role=MessageRole.USER, content="\n\n".join(blocks)),
        ]
        with upstream_errors("grounding judge"):
            response = await chat_once(self._llm, messages)
        verdicts = dict(
            (int(n), word.lower() == "yes")
            for n, word in re.findall(r"\((\d+)\)\s*:?\s*(yes|no)", str(response.message.content))
        )
        return [verdicts.get(number, False) for number in range(1, len(pending) + 1)]


JUDGE_INSTRUCTION = (
    "For each numbered sentence, say whether its evidence states what the sentence says "
    "(a faithful paraphrase counts; a number, name or claim the evidence does not make "
    "does not). Reply one line a sentence, `(n) yes` or `(n) no`, nothing else."
)


# ----------------------------------------------------------------------- the threshold
class CalibrationError(ValueError):
    """The book gives too few unrelated sentence pairs to calibrate on."""


@dataclass(frozen=True)
class Calibration:
    """A threshold calibrated on the book, and what it was measured on."""

    threshold: float
    quantile: float
    """The `CALIBRATION_QUANTILE` of the unrelated pairs' cosines."""
    texts: int
    pages: int
    pairs: int

    def describe(self) -> str:
        return (
            f"{self.threshold:.3f} (auto: {self.texts} sentences of {self.pages} pages, "
            f"{self.pairs} pairs from different pages, {CALIBRATION_QUANTILE:g} quantile "
            f"{self.quantile:.3f})"
        )


def threshold_rule(cosines: Sequence[float]) -> tuple[float, float]:
    """The threshold for these cosines of unrelated pairs, and their quantile it rests on
    (see `CALIBRATION_MARGIN`)."""
    quantile = float(np.quantile(np.asarray(cosines, dtype=np.float64), CALIBRATION_QUANTILE))
    return quantile + CALIBRATION_MARGIN * (1.0 - quantile), quantile


def calibration_sentences(
    passages: Sequence[tuple[str, str]],
    count: int = CALIBRATION_TEXTS,
    seed: int = CALIBRATION_SEED,
) -> list[tuple[str, str]]:
    """`count` (page, sentence) drawn from the passages (`(page, text)`), reproducibly:
    the pages in a shuffled order, one sentence of each in turn, so that they spread over
    as many pages as they can."""
    by_page: dict[str, list[str]] = {}
    for page, text in passages:
        for found in passage_sentences([text], min_chars=8):
            if len(content_terms(found.text)) >= CALIBRATION_MIN_TERMS:
                by_page.setdefault(page, []).append(found.text)
    rng = random.Random(seed)
    queues = {page: rng.sample(texts, len(texts)) for page, texts in sorted(by_page.items())}
    order = sorted(queues)
    rng.shuffle(order)
    chosen: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(chosen) < count and any(queues.values()):
        for page in order:
            while queues[page] and len(chosen) < count:
                sentence = queues[page].pop()
                if sentence not in seen:  # a sentence repeated on two pages is no pair
                    seen.add(sentence)
                    chosen.append((page, sentence))
                    break
    return chosen


async def calibrate(
    passages: Sequence[tuple[str, str]],
    embed: EmbedTexts,
    *,
    count: int = CALIBRATION_TEXTS,
    seed: int = CALIBRATION_SEED,
) -> Calibration:
    """The threshold for the model behind `embed`, measured on the book's passages
    (`(page, text)`): `count` sentences embedded in one call (see
    `calibration_sentences`), every pair of them from different pages compared, then
    `threshold_rule`. Raises `CalibrationError` when the book gives too few pairs."""
    chosen = calibration_sentences(passages, count, seed)
    pages = [page for page, _ in chosen]
    cross = [
        (i, j)
        for i in range(len(chosen))
        for j in range(i + 1, len(chosen))
        if pages[i] != pages[j]
    ]
    if len(cross) < CALIBRATION_MIN_PAIRS:
        raise CalibrationError(
            f"{len(cross)} pairs of sentences from different pages (of {len(set(pages))} "
            f"pages); calibrating needs {CALIBRATION_MIN_PAIRS}"
        )
    vectors = np.asarray(await embed([text for _, text in chosen]), dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1)
    unit = vectors / np.where(norms > 0, norms, 1.0)[:, None]
    similarity = unit @ unit.T
    first, second = (np.asarray(side) for side in zip(*cross, strict=True))
    threshold, quantile = threshold_rule(similarity[first, second].tolist())
    return Calibration(
        threshold=round(threshold, 4),
        quantile=round(quantile, 4),
        texts=len(chosen),
        pages=len(set(pages)),
        pairs=len(cross),
    )


class GroundingThreshold:
    """The cosine the meaning step compares with: fixed (`BOOKCHAT_GROUNDING_THRESHOLD`,
    or a `Grounder` built with a number), or calibrated on the book once a process
    (`auto`).

    `start()` runs the calibration in the background (at attach); `value()` awaits it
    when it is still running (shielded: a request that leaves does not stop it), or
    starts it when nothing did. A failure never reaches the answer: `fallback` (the
    model's default) is used, with a warning, and the calibration is tried again later
    in the background (`CALIBRATION_RETRY_SECONDS`, `CALIBRATION_ATTEMPTS`).
    """

    def __init__(
        self,
        *,
        fixed: float | None = None,
        fallback: float = THRESHOLD,
        measure: Callable[[], Awaitable[Calibration]] | None = None,
        model: str = "",
    ) -> None:
        if fixed is None and measure is None:
            raise ValueError("a threshold is fixed or measured")
        self._value = fixed
        self.fallback = fallback
        self._measure = measure
        self.model = model
        self.calibration: Calibration | None = None
        self.failure: str | None = None
        self._task: asyncio.Task[None] | None = None
        self._attempts = 0
        self._failed_at = 0.0

    @classmethod
    def fixed(cls, value: float) -> GroundingThreshold:
        return cls(fixed=value)

    @property
    def current(self) -> float | None:
        """The value known now (None while the first calibration runs)."""
        return self._value

    @property
    def calibrating(self) -> bool:
        return self._measure is not None

    def describe(self) -> str:
        """One line for logs and reports: the value and where it comes from."""
        if not self.calibrating:
            return f"{self._value:g} (set)"
        if self.calibration is not None:
            return self.calibration.describe()
        if self.failure is not None:
            return f"{self.fallback:g} (the model's default: calibration failed: {self.failure})"
        return "auto (not calibrated yet)"

    def start(self) -> None:
        """Calibrate in the background (once; again after a failure, when due)."""
        if self._measure is None or self.calibration is not None:
            return
        if self._task is not None and not self._task.done():
            return
        if self._attempts >= CALIBRATION_ATTEMPTS:
            return
        self._attempts += 1
        self._task = asyncio.get_running_loop().create_task(self._run(self._measure))

    async def _run(self, measure: Callable[[], Awaitable[Calibration]]) -> None:
        started = time.monotonic()
        try:
            calibration = await measure()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # any failure: the fallback, never the answer's error
            self.failure = str(getattr(exc, "message", None) or exc) or type(exc).__name__
            self._failed_at = time.monotonic()
            self._value = self.fallback
            logger.warning(
                "grounding threshold: calibration for %s failed (%s); using the model's "
                "default %s (set BOOKCHAT_GROUNDING_THRESHOLD to choose one)",
                self.model,
                self.failure,
                self.fallback,
            )
            return
        self.calibration, self.failure = calibration, None
        self._value = calibration.threshold
        logger.info(
            "grounding threshold for %s: %s, calibrated in %.2f s",
            self.model,
            calibration.describe(),
            time.monotonic() - started,
        )

    async def value(self) -> float:
        """The threshold to compare with now."""
        if self._value is not None:
            if self.failure is not None and (
                time.monotonic() - self._failed_at >= CALIBRATION_RETRY_SECONDS
            ):
                self.start()  # in the background: the fallback holds meanwhile
            return self._value
        self.start()
        if self._task is not None:
            await asyncio.shield(self._task)
        return self._value if self._value is not None else self.fallback

    async def aclose(self) -> None:
        """Stop a calibration still running."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
